package dev.sequin.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BufferedBodySinkTest {

    private static String text(BufferedBodySink sink) {
        return StandardCharsets.UTF_8.decode(sink.body()).toString();
    }

    @Test
    void keepsEveryWriteInOrderBeyondItsFirstCapacity() throws IOException {
        BufferedBodySink sink = new BufferedBodySink(-1, false);
        String block = "x".repeat(300);
        sink.write("a");
        sink.write(block);
        sink.flush();
        sink.write("b");
        sink.close();
        assertEquals("a" + block + "b", text(sink));
    }

    @Test
    void anAnnouncedLengthIsAllocatedOnceAndNoMore() throws IOException {
        BufferedBodySink sink = new BufferedBodySink(13, false);
        sink.write("Hello, World!");
        sink.close();
        assertEquals("Hello, World!", text(sink));
        assertEquals(13, sink.body().array().length);
    }

    @Test
    void holdsTheAnnouncedLength() throws IOException {
        BufferedBodySink exact = new BufferedBodySink(5, false);
        exact.write("hello");
        exact.close();
        assertEquals("hello", text(exact));

        BufferedBodySink overrun = new BufferedBodySink(3, false);
        overrun.write("ab");
        assertThrows(IOException.class, () -> overrun.write("cd"));
        assertEquals("ab", text(overrun), "nothing of the overrunning write is kept");
        assertThrows(IOException.class, overrun::close, "closing after an overrun fails, even if the handler caught it");

        BufferedBodySink shorter = new BufferedBodySink(10, false);
        shorter.write("abc");
        assertThrows(IOException.class, shorter::close);
    }

    @Test
    void aDiscardedBodyIsCountedButNotKept() throws IOException {
        BufferedBodySink head = new BufferedBodySink(5, true);
        head.write("hello");
        assertThrows(IOException.class, () -> head.write("!"));
        BufferedBodySink fine = new BufferedBodySink(5, true);
        fine.write("hello");
        fine.close();
        assertEquals(0, fine.body().remaining());
    }

    @Test
    void writingAfterCloseFails() throws IOException {
        BufferedBodySink sink = new BufferedBodySink(-1, false);
        sink.close();
        assertThrows(IOException.class, () -> sink.write("late"));
        assertThrows(IOException.class, sink::flush);
    }
}
