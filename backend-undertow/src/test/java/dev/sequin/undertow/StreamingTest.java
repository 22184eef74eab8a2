package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streaming responses: prompt chunks, backpressure from a slow reader, a client that leaves. */
@Timeout(30)
class StreamingTest extends ServerTestSupport {

    private static final int MIB = 1024 * 1024;

    @Test
    void firstChunkArrivesBeforeTheHandlerFinishes() throws Exception {
        CountDownLatch firstChunkRead = new CountDownLatch(1);
        AtomicBoolean handlerDone = new AtomicBoolean();
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                body.write("first");
                body.flush();
                if (!firstChunkRead.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the client never saw the first chunk");
                }
                body.write("second");
                body.flush();
            } finally {
                handlerDone.set(true);
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = RawHttp.readHead(in);
            assertEquals("chunked", RawHttp.header(head, "Transfer-Encoding"));
            assertNull(RawHttp.header(head, "Content-Length"));
            assertEquals("first", new String(RawHttp.readChunk(in), StandardCharsets.UTF_8));
            assertFalse(handlerDone.get(), "the first chunk arrived while the handler was still running");
            firstChunkRead.countDown();
            assertEquals("second", new String(RawHttp.readChunk(in), StandardCharsets.UTF_8));
            assertNull(RawHttp.readChunk(in), "the last chunk ends the body");
        }
    }

    @Test
    void slowReaderHoldsTheWriterBack() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch handlerDone = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            try (BodySink body = resp.open(100L * MIB)) {
                while (!stop.get() && written.get() < 100L * MIB) {
                    body.write(chunk.clear());
                    written.addAndGet(chunk.capacity());
                }
            } finally {
                handlerDone.countDown();
            }
        });
        long read = 0;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.setSoTimeout(RawHttp.SOCKET_TIMEOUT_MILLIS);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), RawHttp.SOCKET_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.readHead(in);
            byte[] buffer = new byte[16 * 1024];
            for (int i = 0; i < 32; i++) {          // read 512 KiB slowly
                read += in.readNBytes(buffer, 0, buffer.length);
                Thread.sleep(10);
            }
            Thread.sleep(1_500);                     // the client pauses
            long ahead = written.get() - read;
            assertTrue(ahead < 16L * MIB, "the handler wrote " + ahead + " bytes more than the client read");
            assertTrue(ahead > 0, "the handler kept writing while the client read");
            long before = written.get();
            Thread.sleep(500);
            assertEquals(before, written.get(), "the writer is blocked while the client pauses");
            stop.set(true);
        }
        assertTrue(handlerDone.await(5, TimeUnit.SECONDS), "the blocked writer is released once the client is gone");
    }

    @Test
    void writeFailsSoonAfterTheClientLeaves() throws Exception {
        CountDownLatch streaming = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            byte[] piece = new byte[1024];
            try (BodySink body = resp.open(-1)) {
                for (int i = 0; i < 100_000; i++) {
                    body.write(piece);
                    body.flush();
                    streaming.countDown();
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                failure.set(e);
                failed.countDown();
                throw e;
            }
        });
        Socket socket = RawHttp.connect(server.port());
        try (socket) {
            RawHttp.send(socket, "GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.readHead(socket.getInputStream());
            assertNotNull(RawHttp.readChunk(socket.getInputStream()));
            assertTrue(streaming.await(5, TimeUnit.SECONDS));
        }
        long closedAt = System.nanoTime();
        assertTrue(failed.await(5, TimeUnit.SECONDS), "the handler's write threw after the client left");
        assertTrue(failure.get() instanceof IOException);
        assertTrue(System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void largeBodiesArriveWhole() throws Exception {
        int size = 20 * MIB + 3;
        Server server = start((req, resp) -> {
            boolean chunked = req.rawPath().equals("/chunked");
            byte[] block = new byte[100_000];
            try (BodySink body = resp.open(chunked ? -1 : size)) {
                for (int sent = 0; sent < size; ) {
                    int n = Math.min(block.length, size - sent);
                    for (int i = 0; i < n; i++) {
                        block[i] = (byte) (sent + i);
                    }
                    body.write(ByteBuffer.wrap(block, 0, n));
                    sent += n;
                }
            }
        });
        for (String path : new String[] {"/fixed", "/chunked"}) {
            java.net.http.HttpResponse<InputStream> response = client.send(request(server, path).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[65536];
                long position = 0;
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        assertEquals((byte) (position + i), buffer[i], path + " byte " + (position + i));
                    }
                    position += n;
                }
                assertEquals(size, position, path);
            }
        }
    }

    @Test
    void closeCutsAWriterBlockedOnASlowClient() throws Exception {
        CountDownLatch handlerDone = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                for (int i = 0; i < 10_000; i++) {
                    body.write(new byte[64 * 1024]);
                }
            } catch (IOException e) {
                failure.set(e);
            } finally {
                handlerDone.countDown();
            }
        }, dev.sequin.spi.ServerOptions.port(0).withGracePeriod(java.time.Duration.ofMillis(300)));
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.readHead(socket.getInputStream());   // then stop reading: the handler blocks
            Thread.sleep(300);
            server.close();
            assertTrue(handlerDone.await(5, TimeUnit.SECONDS), "the blocked write ended when the server stopped");
            assertTrue(failure.get() instanceof IOException, String.valueOf(failure.get()));
        }
    }

    @Test
    void blockedWriteTimesOutAfterTheWriteTimeout() throws Exception {
        CountDownLatch handlerDone = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                for (int i = 0; i < 10_000; i++) {
                    body.write(new byte[64 * 1024]);
                }
            } catch (IOException e) {
                failure.set(e);
            } finally {
                handlerDone.countDown();
            }
        }, dev.sequin.spi.ServerOptions.port(0).withWriteTimeout(java.time.Duration.ofMillis(700)));
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.readHead(socket.getInputStream());   // then stop reading, but stay connected
            assertTrue(handlerDone.await(5, TimeUnit.SECONDS), "the stalled write gave up");
            assertTrue(failure.get() instanceof java.net.SocketTimeoutException, String.valueOf(failure.get()));
        }
    }

    @Test
    void bodyReadEndsWhenTheClientLeavesMidUpload() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch handlerDone = new CountDownLatch(1);
        AtomicReference<String> outcome = new AtomicReference<>();
        Server server = start((req, resp) -> {
            InputStream in = req.body();
            byte[] buffer = new byte[8192];
            long total = 0;
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    total += n;
                    reading.countDown();
                }
                outcome.set("end of stream after " + total);
            } catch (IOException e) {
                outcome.set("IOException after " + total);
            } finally {
                handlerDone.countDown();
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
            socket.getOutputStream().write(new byte[1000]);
            assertTrue(reading.await(5, TimeUnit.SECONDS));
        }
        assertTrue(handlerDone.await(5, TimeUnit.SECONDS), "the blocked read ended after the client left");
        assertTrue(outcome.get().startsWith("IOException"), outcome.get());
    }
}
