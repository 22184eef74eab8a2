package dev.sequin.tck;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Streamed bodies, read chunk by chunk from a raw socket: interleaving with the writer, chunk
 * boundaries, Content-Type, backpressure with a slow reader, and what a writer sees when the
 * client leaves.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface StreamingContract extends TckContext {

    /** The most the server may have written beyond what a paused reader has read. */
    long MAX_BUFFERED_BYTES = 16L * 1024 * 1024;

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void firstChunkArrivesBeforeTheWriterFinishes() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send(head("GET", "/stream/gated/" + id));
            RawResponse head = c.readHead();
            assertEquals(200, head.status());
            assertTrue(head.chunked(), "a streamed body is chunked");
            assertArrayEquals("first".getBytes(StandardCharsets.US_ASCII), c.readChunk(), "the first chunk must arrive while the writer waits");
            assertFalse(app().probes().writerEnd(id).isDone(), "the writer is still waiting on its gate");
            app().probes().gate(id).countDown();
            assertArrayEquals("second".getBytes(StandardCharsets.US_ASCII), c.readChunk());
            assertNull(c.readChunk());
        }
        assertNull(app().probes().writerEnd(id).get(5, TimeUnit.SECONDS), "the writer finished normally");
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void aLargeFirstWriteArrivesWholeBeforeTheWriterGoesOn() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send(head("GET", "/stream/gated-block/" + id));
            assertEquals(200, c.readHead().status());
            long received = 0;
            while (received < StreamingRoutes.BIG_WRITE) {
                byte[] chunk = c.readChunk();
                assertTrue(chunk != null, "the body ended after " + received + " bytes");
                received += chunk.length;
            }
            assertEquals(StreamingRoutes.BIG_WRITE, received, "all of the first write, and nothing after it, arrives while the writer waits");
            assertFalse(app().probes().writerEnd(id).isDone(), "the writer is still waiting on its gate");
            app().probes().gate(id).countDown();
            assertArrayEquals("second".getBytes(StandardCharsets.US_ASCII), c.readChunk());
            assertNull(c.readChunk());
        }
        assertNull(app().probes().writerEnd(id).get(5, TimeUnit.SECONDS), "the writer finished normally");
    }

    @Test
    @Requires(Capability.SOCKET)
    default void streamOfStringsSendsOneChunkPerElement() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/stream/list"), "GET");
            assertEquals(200, r.status());
            assertTrue(r.chunked());
            assertNull(r.header("Content-Length"));
            assertEquals("application/octet-stream", r.header("Content-Type"));
            assertEquals(List.of("a", "b"), r.textChunks());
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void streamOfBytesAndStringsSendsRawBytesAndUtf8() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/stream/mixed"), "GET");
            assertEquals(2, r.chunks().size());
            assertArrayEquals(new byte[] {0, (byte) 255}, r.chunks().get(0));
            assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9}, r.chunks().get(1));
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void streamingKeepsTheViewsContentType() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/stream/typed"), "GET");
            assertEquals("text/csv; charset=utf-8", r.header("Content-Type"));
            assertEquals(List.of("text/csv; charset=utf-8"), r.headers("Content-Type"));
            assertEquals("a,b\nc,d\n", r.text());
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void generatorChunksArriveAsTheyAreWritten() throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("GET", "/generator"));
            assertTrue(c.readHead().chunked());
            List<String> chunks = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            for (byte[] chunk = c.readChunk(); chunk != null; chunk = c.readChunk()) {
                chunks.add(new String(chunk, StandardCharsets.UTF_8));
                arrivals.add(System.nanoTime());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expected.add("count: " + i);
            }
            expected.add("Completed!");
            assertEquals(expected, chunks);
            long spreadMillis = TimeUnit.NANOSECONDS.toMillis(arrivals.getLast() - arrivals.getFirst());
            assertTrue(spreadMillis >= 6 * SeedRoutes.GENERATOR_SLEEP_MILLIS,
                    "chunks must arrive as written, over ~" + 9 * SeedRoutes.GENERATOR_SLEEP_MILLIS + " ms, not at once: " + spreadMillis + " ms");
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void writerFailureAfterCommitAbortsTheResponse() throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("GET", "/stream/fail"));
            assertEquals(200, c.readHead().status());
            assertArrayEquals("partial".getBytes(StandardCharsets.US_ASCII), c.readChunk());
            try {
                byte[] next = c.readChunk();
                fail("the response must be cut, not ended cleanly; got " + (next == null ? "the last chunk" : "more data"));
            } catch (SocketTimeoutException e) {
                fail("the connection hung instead of being aborted");
            } catch (IOException expected) {
                // the connection was closed or reset: the client sees a truncated response
            }
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void headOnAStreamingViewRunsNoWriter() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("HEAD", "/stream/probe/" + id, "Connection: close"), "HEAD");
            assertEquals(200, r.status());
            assertEquals(0, c.readToEnd().length, "no body after a HEAD response");
        }
        assertEquals(0, app().probes().counter(id).get(), "the writer must not run for HEAD");
    }

    @Test
    @Tag("slow")
    @Timeout(60)
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void slowReaderOfA100MiBBodyKeepsTheServerFromBuffering() throws Exception {
        String id = newId();
        try (RawConnection c = RawConnection.open(host(), port(), 64 * 1024)) {
            c.send(head("GET", "/stream/big/" + id));
            assertTrue(c.readHead().chunked());
            long read = 0;
            for (long pauseAt : new long[] {1L << 20, 24L << 20}) {
                read += readChunks(c, pauseAt - read);
                Thread.sleep(1_000);
                long ahead = app().probes().counter(id).get() - read;
                assertTrue(ahead < MAX_BUFFERED_BYTES,
                        "the server wrote " + ahead + " bytes beyond what the paused client read: it buffers instead of blocking the writer");
            }
            read += readChunks(c, Long.MAX_VALUE);
            assertEquals(StreamingRoutes.BIG_BYTES, read);
        }
        assertNull(app().probes().writerEnd(id).get(5, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(20)
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void clientDisconnectMakesTheNextWriteThrow() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send(head("GET", "/stream/disconnect/" + id));
            assertTrue(c.readHead().chunked());
            assertEquals(1024, c.readChunk().length);
        }
        Throwable end = app().probes().writerEnd(id).get(5, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, end, "the writer's next write after the client left must throw IOException");
    }

    /** Reads whole chunks until at least {@code atLeast} bytes or the end; returns the bytes read. */
    private static long readChunks(RawConnection c, long atLeast) throws IOException {
        long read = 0;
        while (read < atLeast) {
            byte[] chunk = c.readChunk();
            if (chunk == null) {
                break;
            }
            read += chunk.length;
        }
        return read;
    }
}
