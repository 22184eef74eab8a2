package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests the SPI handler may serve without blocking ({@link HttpHandler#isNonBlocking}): served
 * on the I/O thread, with the usual framing, errors and keep-alive; anything with a body still on
 * a virtual thread. (The test client asks every new connection for an {@code h2c} upgrade, which
 * Undertow ignores here: such a request is served on the I/O thread too.)
 */
@Timeout(20)
class NonBlockingTest extends ServerTestSupport {

    /** A handler that answers {@code isNonBlocking} with {@code true}, or throws what {@code answer} holds. */
    private record NonBlocking(HttpHandler handle, AtomicReference<RuntimeException> answer, AtomicInteger asked)
            implements HttpHandler {

        NonBlocking(HttpHandler handle) {
            this(handle, new AtomicReference<>(), new AtomicInteger());
        }

        @Override
        public void handle(ServerRequest request, ServerResponse response) throws Exception {
            handle.handle(request, response);
        }

        @Override
        public boolean isNonBlocking(ServerRequest request) {
            asked.incrementAndGet();
            RuntimeException failure = answer.get();
            if (failure != null) {
                throw failure;
            }
            return true;
        }
    }

    private static void text(ServerResponse resp, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        resp.headers().set("Content-Type", "text/plain; charset=utf-8");
        try (BodySink body = resp.open(bytes.length)) {
            body.write(bytes);
        }
    }

    private static String thread() {
        Thread current = Thread.currentThread();
        return current.isVirtual() ? "virtual" : current.getName().startsWith("XNIO-") ? "io" : current.getName();
    }

    @Test
    void bodylessRequestIsServedOnTheIoThreadWithTheUsualFraming() throws Exception {
        Server server = start(new NonBlocking((req, resp) -> text(resp, thread() + " " + req.method())));
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = RawHttp.readHead(in);
            assertEquals(200, RawHttp.status(head));
            assertEquals("6", RawHttp.header(head, "Content-Length"));
            assertTrue(RawHttp.header(head, "Date") != null, head);
            assertNull(RawHttp.header(head, "Server"));
            assertEquals("io GET", new String(RawHttp.readExactly(in, 6), StandardCharsets.UTF_8));

            RawHttp.send(socket, "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            String headOnly = RawHttp.readHead(in);
            assertEquals("7", RawHttp.header(headOnly, "Content-Length"), "what the GET would announce, for \"io HEAD\"");
            String next = RawHttp.readHead(in);
            assertEquals(200, RawHttp.status(next), "no body bytes after the HEAD answer");
            assertEquals("io GET", new String(RawHttp.readExactly(in, 6), StandardCharsets.UTF_8));
        }
    }

    @Test
    void requestsWithABodyRunOnAVirtualThreadWithoutAsking() throws Exception {
        NonBlocking handler = new NonBlocking((req, resp) -> text(resp, thread() + " " + req.body().readAllBytes().length));
        Server server = start(handler);
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n");
            for (String expected : new String[] {"virtual 3", "virtual 2"}) {
                String head = RawHttp.readHead(in);
                assertEquals(200, RawHttp.status(head), head);
                assertEquals(expected, new String(RawHttp.readExactly(in, expected.length()), StandardCharsets.UTF_8));
            }
        }
        assertEquals(0, handler.asked().get(), "only a request that could be served on the I/O thread is asked");
        assertEquals("io 0", get(server, "/a").body());
        assertEquals(1, handler.asked().get());
    }

    @Test
    void unopenedChunkedAndBodilessResponsesAreFramedAsUsual() throws Exception {
        Server server = start(new NonBlocking((req, resp) -> {
            switch (req.rawPath()) {
                case "/empty" -> resp.setStatus(202);
                case "/chunked" -> {
                    try (BodySink body = resp.open(-1)) {
                        body.write("chunk");
                        body.flush();
                        body.write("ed");
                    }
                }
                default -> {
                    resp.setStatus(Integer.parseInt(req.rawPath().substring(1)));
                    resp.open(5).write("never");
                }
            }
        }));
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET /empty HTTP/1.1\r\nHost: x\r\n\r\nGET /chunked HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            String empty = RawHttp.readHead(in);
            assertEquals(202, RawHttp.status(empty));
            assertEquals("0", RawHttp.header(empty, "Content-Length"));
            String chunked = RawHttp.readHead(in);
            assertEquals("chunked", RawHttp.header(chunked, "Transfer-Encoding"));
            assertEquals("chunked", RawHttp.readChunkedBody(in));
            for (int status : new int[] {204, 304}) {
                String head = RawHttp.readHead(in);
                assertEquals(status, RawHttp.status(head));
                assertNull(RawHttp.header(head, "Content-Length"), head);
                assertNull(RawHttp.header(head, "Transfer-Encoding"), head);
            }
            RawHttp.readHead(in);
            assertEquals("chunked", RawHttp.readChunkedBody(in), "the connection goes on after the bodiless answers");
        }
    }

    @Test
    void bodyLargerThanTheSocketTakesArrivesWholeAndTheConnectionGoesOn() throws Exception {
        byte[] big = new byte[8 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        Server server = start(new NonBlocking((req, resp) -> {
            if (req.rawPath().equals("/big")) {
                resp.open(big.length).write(big);
            } else {
                text(resp, thread());
            }
        }));
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(200);   // the server finds the socket full before the client reads
            String head = RawHttp.readHead(in);
            assertEquals(String.valueOf(big.length), RawHttp.header(head, "Content-Length"));
            assertArrayEquals(big, RawHttp.readExactly(in, big.length));
            RawHttp.readHead(in);
            assertEquals("io", new String(RawHttp.readExactly(in, 2), StandardCharsets.UTF_8));
        }
    }

    @Test
    void clientThatStopsReadingIsCutAfterTheWriteTimeout() throws Exception {
        Server server = start(new NonBlocking((req, resp) -> resp.open(32 * 1024 * 1024).write(new byte[32 * 1024 * 1024])),
                ServerOptions.port(0).withWriteTimeout(Duration.ofMillis(500)));
        long received = 0;
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(1_500);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received += n;
                }
            } catch (SocketTimeoutException e) {
                fail("the server never cut the connection; " + received + " bytes arrived");
            } catch (IOException reset) {
                // cut: that is the point
            }
        }
        assertTrue(received < 32 * 1024 * 1024, "the body was cut, not sent whole: " + received);
        assertEquals(200, client.send(request(server, "/").method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "the server goes on");
    }

    @Test
    void failuresAreAnsweredAsOnAVirtualThread() throws Exception {
        NonBlocking handler = new NonBlocking((req, resp) -> {
            switch (req.rawPath()) {
                case "/before" -> throw new IllegalStateException("before commit");
                case "/whole" -> {
                    resp.open(5).write("whole");
                    throw new IllegalStateException("after a whole body");
                }
                case "/partial" -> {
                    resp.open(10).write("part");
                    throw new IllegalStateException("after part of the body");
                }
                case "/websocket" -> resp.upgradeToWebSocket(null);
                default -> text(resp, "fine");
            }
        });
        Server server = start(handler);
        try (CapturedLog log = new CapturedLog()) {
            for (String path : new String[] {"/before", "/websocket"}) {
                var response = get(server, path);
                assertEquals(500, response.statusCode(), path);
                assertEquals("Internal Server Error", response.body());
            }
            try (Socket socket = RawHttp.connect(server.port())) {
                InputStream in = socket.getInputStream();
                RawHttp.send(socket, "GET /whole HTTP/1.1\r\nHost: x\r\n\r\nGET /fine HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("5", RawHttp.header(RawHttp.readHead(in), "Content-Length"));
                assertEquals("whole", new String(RawHttp.readExactly(in, 5), StandardCharsets.UTF_8));
                assertEquals(-1, in.read(), "a whole body is sent, then the connection closed");
            }
            try (Socket socket = RawHttp.connect(server.port())) {
                RawHttp.send(socket, "GET /partial HTTP/1.1\r\nHost: x\r\n\r\n");
                String answer = new String(RawHttp.readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
                assertTrue(!answer.contains("HTTP/1.1 200"), () -> "a partial body is never sent as if whole: " + answer);
            }
            handler.answer().set(new IllegalStateException("isNonBlocking failed"));
            var failed = get(server, "/fine");
            assertEquals(500, failed.statusCode());
            assertEquals("Internal Server Error", failed.body());
            handler.answer().set(null);
            assertEquals("fine", get(server, "/fine").body());
            assertTrue(log.records.stream().anyMatch(r -> r.getLevel() == Level.SEVERE
                    && r.getThrown() != null && r.getThrown().getMessage().equals("isNonBlocking failed")));
        }
    }
}
