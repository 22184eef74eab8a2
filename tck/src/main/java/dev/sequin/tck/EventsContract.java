package dev.sequin.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server-sent events over the wire: the format, one event at a time, and a departed client. */
public interface EventsContract extends TckContext {

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void eventsArriveOneAtATime() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send(head("GET", "/events/gated/" + id, "Last-Event-ID: 41", "Accept: text/event-stream"));
            RawResponse head = c.readHead();
            assertEquals(200, head.status());
            assertEquals("text/event-stream; charset=utf-8", head.header("Content-Type"));
            assertEquals("no-cache", head.header("Cache-Control"));
            assertEquals("id: 1\nevent: tick\ndata: first\n\n", new String(c.readChunk(), StandardCharsets.UTF_8),
                    "the first event arrives while the writer waits");
            assertFalse(app().probes().writerEnd(id).isDone(), "the writer is still waiting on its gate");
            app().probes().gate(id).countDown();
            assertEquals("id: 2\ndata: second after 41\n\n", new String(c.readChunk(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void eventsWriterLearnsTheClientLeft() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send(head("GET", "/events/endless/" + id));
            assertEquals(200, c.readHead().status());
            assertTrue(new String(c.readChunk(), StandardCharsets.UTF_8).startsWith("data: tick 0"));
        }
        Throwable end = app().probes().writerEnd(id).get(10, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, end, "the next send after the client left throws IOException");
    }
}
