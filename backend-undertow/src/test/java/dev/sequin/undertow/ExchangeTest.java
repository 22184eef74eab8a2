package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Requests and responses through the SPI: what the handler sees, and what the client gets. */
@Timeout(20)
class ExchangeTest extends ServerTestSupport {

    @Test
    void simpleGet() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("Content-Type", "text/plain; charset=utf-8");
            try (BodySink body = resp.open(5)) {
                body.write("hello");
            }
        });
        HttpResponse<String> response = get(server, "/");
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("5", response.headers().firstValue("content-length").orElseThrow());
        assertTrue(response.headers().firstValue("server").isEmpty(), "no Server header");
    }

    @Test
    void requestIsPassedAsReceived() throws Exception {
        Server server = start((req, resp) -> {
            String seen = String.join("|", req.method(), req.rawPath(), String.valueOf(req.rawQuery()),
                    req.protocol(), req.scheme(), String.join(",", req.headers().getAll("x-multi")),
                    req.headers().get("X-ONE"), String.valueOf(req.remoteAddress().getAddress().isLoopbackAddress()));
            byte[] bytes = seen.getBytes(StandardCharsets.UTF_8);
            try (BodySink body = resp.open(bytes.length)) {
                body.write(bytes);
            }
        });
        HttpResponse<String> response = client.send(request(server, "/a%20b/c%2Fd/%C3%A9?x=1&y=%20z+w")
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .header("X-One", "first").header("X-Multi", "a").header("X-Multi", "b").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("PATCH|/a%20b/c%2Fd/%C3%A9|x=1&y=%20z+w|HTTP/1.1|http|a,b|first|true", response.body());

        HttpResponse<String> noQuery = get(server, "/plain");
        assertTrue(noQuery.body().startsWith("GET|/plain|null|"), noQuery.body());
    }

    @Test
    void postBodyIsStreamedBack() throws Exception {
        Server server = start((req, resp) -> {
            InputStream in = req.body();
            byte[] buffer = new byte[8192];
            try (BodySink body = resp.open(-1)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    body.write(ByteBuffer.wrap(buffer, 0, n));
                }
            }
        });
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(payload);

        HttpResponse<byte[]> fixed = client.send(request(server, "/echo")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fixed.statusCode());
        assertEquals(payload.length, fixed.body().length);
        assertEquals(-1, java.util.Arrays.mismatch(payload, fixed.body()), "echo of a Content-Length body");

        HttpResponse<byte[]> chunked = client.send(request(server, "/echo")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(payload))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(java.util.Arrays.equals(payload, chunked.body()), "echo of a chunked body");
    }

    @Test
    void expectContinueIsAnsweredWhenTheBodyIsRead() throws Exception {
        Server server = start((req, resp) -> {
            byte[] body = req.body().readAllBytes();
            try (BodySink sink = resp.open(body.length)) {
                sink.write(body);
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertEquals(100, RawHttp.status(RawHttp.readHead(in)));
            RawHttp.send(socket, "ping");
            String head = RawHttp.readHead(in);
            assertEquals(200, RawHttp.status(head));
            assertEquals("ping", new String(RawHttp.readExactly(in, 4), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void headKeepsContentLengthWithoutBody() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("Content-Type", "text/plain");
            try (BodySink body = resp.open(11)) {
                body.write("hello world");
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = RawHttp.readHead(in);
            assertEquals(200, RawHttp.status(head));
            assertEquals("11", RawHttp.header(head, "Content-Length"));
            assertEquals("text/plain", RawHttp.header(head, "Content-Type"));
            String next = RawHttp.readHead(in);   // no body bytes in between, or this would not parse
            assertEquals(200, RawHttp.status(next));
            assertEquals("hello world", new String(RawHttp.readExactly(in, 11), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyOrFraming() throws Exception {
        Server server = start((req, resp) -> {
            switch (req.rawPath()) {
                case "/204-written" -> {
                    resp.setStatus(204);
                    try (BodySink body = resp.open(-1)) {
                        body.write("must not be sent");
                    }
                }
                case "/304" -> {
                    resp.setStatus(304);
                    resp.open(7).write("ignored");
                }
                default -> resp.setStatus(204);
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET /204-written HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /304 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /204-unopened HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /204-unopened HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            for (int expected : new int[] {204, 304, 204, 204}) {
                String head = RawHttp.readHead(in);
                assertEquals(expected, RawHttp.status(head), head);
                assertNull(RawHttp.header(head, "Content-Length"), head);
                assertNull(RawHttp.header(head, "Transfer-Encoding"), head);
            }
            assertEquals(0, RawHttp.readToEnd(in).length, "nothing after the last response");
        }
    }

    @Test
    void unopenedResponseIsSentEmpty() throws Exception {
        Server server = start((req, resp) -> {
            resp.setStatus(201);
            resp.headers().set("X-Made", "yes");
        });
        HttpResponse<String> response = get(server, "/");
        assertEquals(201, response.statusCode());
        assertEquals("yes", response.headers().firstValue("x-made").orElseThrow());
        assertEquals("0", response.headers().firstValue("content-length").orElseThrow());
        assertEquals("", response.body());
    }

    @Test
    void exceptionBeforeCommitIsAGeneric500() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("X-Half-Done", "yes");
            throw new IllegalStateException("secret detail");
        });
        try (CapturedLog log = new CapturedLog()) {
            HttpResponse<String> response = get(server, "/");
            assertEquals(500, response.statusCode());
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
            assertFalse(response.body().contains("secret"), response.body());
            assertFalse(response.body().isEmpty());
            assertTrue(response.headers().firstValue("x-half-done").isEmpty(), "the failed handler's headers are dropped");
            assertTrue(log.records.stream().anyMatch(r -> r.getLevel() == Level.SEVERE
                    && r.getThrown() instanceof IllegalStateException), "the failure is logged");
        }
        assertEquals(500, get(server, "/").statusCode(), "the server keeps serving");
    }

    @Test
    void exceptionAfterCommitTruncatesTheResponse() throws Exception {
        Server server = start((req, resp) -> {
            BodySink body = resp.open(-1);
            body.write("partial");
            body.flush();
            throw new IllegalStateException("mid-stream failure");
        });
        try (CapturedLog log = new CapturedLog(); Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = RawHttp.readHead(in);
            assertEquals(200, RawHttp.status(head));
            assertEquals("chunked", RawHttp.header(head, "Transfer-Encoding"));
            assertEquals("partial", new String(RawHttp.readChunk(in), StandardCharsets.US_ASCII));
            assertThrows(IOException.class, () -> RawHttp.readChunk(in), "no last chunk: the connection is cut");
            assertTrue(log.records.stream().anyMatch(r -> r.getThrown() instanceof IllegalStateException), "logged");
        }
    }

    @Test
    void exceptionInsideTryWithResourcesStillTruncates() throws Exception {
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                body.write("partial");
                body.flush();
                throw new IllegalStateException("mid-stream failure");
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.readHead(in);
            assertEquals("partial", new String(RawHttp.readChunk(in), StandardCharsets.US_ASCII));
            assertThrows(IOException.class, () -> RawHttp.readChunk(in), "closing the sink on the way out is no clean end");
        }
    }

    @Test
    void shortFixedLengthBodyFailsAndCutsTheConnection() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> closeFailure = new java.util.concurrent.CompletableFuture<>();
        Server server = start((req, resp) -> {
            BodySink body = resp.open(10);
            body.write("12345");
            try {
                body.close();
                closeFailure.complete(null);
            } catch (IOException e) {
                closeFailure.complete(e);
            }
        });
        try (Socket socket = RawHttp.connect(server.port())) {
            InputStream in = socket.getInputStream();
            RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = RawHttp.readHead(in);
            assertEquals("10", RawHttp.header(head, "Content-Length"));
            assertTrue(RawHttp.readToEnd(in).length < 10, "the client sees a truncated body, then the end");
        }
        assertTrue(closeFailure.get(5, java.util.concurrent.TimeUnit.SECONDS) instanceof IOException, "close reports the short body");
    }

    @Test
    void committedResponseRejectsChanges() throws Exception {
        AtomicReference<List<String>> seen = new AtomicReference<>();
        Server server = start((req, resp) -> {
            BodySink body = resp.open(2);
            String status = "status ok";
            try {
                resp.setStatus(404);
            } catch (IllegalStateException e) {
                status = "status refused";
            }
            String reopen = "reopen ok";
            try {
                resp.open(2);
            } catch (IllegalStateException e) {
                reopen = "reopen refused";
            }
            seen.set(List.of(status, reopen, String.valueOf(resp.isCommitted())));
            body.write("ok");
        });
        HttpResponse<String> response = get(server, "/");
        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
        assertEquals(List.of("status refused", "reopen refused", "true"), seen.get());
    }
}
