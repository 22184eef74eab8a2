package dev.sequin.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class AnnouncedLengthTest {

    @Test
    void aBodyOfExactlyItsLengthIsWhole() throws IOException {
        AnnouncedLength length = new AnnouncedLength(5, false);
        length.count(2);
        assertFalse(length.isWhole());
        assertTrue(length.isShort());
        length.count(3);
        assertTrue(length.isWhole());
        assertFalse(length.isShort());
        assertDoesNotThrow(length::checkEnd);
        assertEquals(5, length.written());
    }

    @Test
    void aWritePastTheLengthThrowsIsNotCountedAndTheEndThrowsToo() throws IOException {
        AnnouncedLength length = new AnnouncedLength(5, false);
        length.count(4);
        assertThrows(IOException.class, () -> length.count(2));
        assertEquals(4, length.written());
        assertTrue(length.isOverrun());
        length.count(1);   // the handler caught the exception and wrote what fits
        assertFalse(length.isWhole(), "a body that was overrun is never whole");
        assertThrows(IOException.class, length::checkEnd);
    }

    @Test
    void aShortBodyFailsAtItsEndUnlessItIsNotSent() throws IOException {
        AnnouncedLength sent = new AnnouncedLength(5, false);
        sent.count(3);
        IOException shortBody = assertThrows(IOException.class, sent::checkEnd);
        assertTrue(shortBody.getMessage().contains("3 bytes"), shortBody.getMessage());

        AnnouncedLength head = new AnnouncedLength(5, true);
        assertTrue(head.isDiscarded());
        assertFalse(sent.isDiscarded());
        assertEquals(5, head.contentLength());
        head.count(3);
        assertFalse(head.isShort());
        assertDoesNotThrow(head::checkEnd);
        assertThrows(IOException.class, () -> head.count(3), "a discarded body still keeps its length");
    }

    @Test
    void withoutALengthOnlyTheBytesAreCounted() throws IOException {
        AnnouncedLength chunked = new AnnouncedLength(-1, false);
        assertEquals(-1, chunked.contentLength());
        chunked.count(1L << 40);
        assertEquals(1L << 40, chunked.written());
        assertFalse(chunked.isShort());
        assertFalse(chunked.isWhole());
        assertDoesNotThrow(chunked::checkEnd);
    }
}
