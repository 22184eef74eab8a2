package dev.sequin.netty;

import dev.sequin.spi.Backend;
import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Netty backend through the SPI alone: plain handlers, a real client and raw sockets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NettyBackendTest {

    private static final int MiB = 1024 * 1024;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        servers.forEach(Server::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (eventLoopThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, eventLoopThreads(), "event loop threads outlived the server");
    }

    private static long eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("sequin-netty-") && thread.isAlive())
                .count();
    }

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    private Server start(HttpHandler handler) throws IOException {
        return start(handler, ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2)));
    }

    private Server start(HttpHandler handler, ServerOptions options) throws IOException {
        Server server = new NettyBackend().start(handler, options);
        servers.add(server);
        return server;
    }

    private static URI uri(Server server, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private static HttpResponse<String> get(Server server, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(server, pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void text(dev.sequin.spi.ServerResponse response, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.headers().set("Content-Type", "text/plain; charset=utf-8");
        try (BodySink sink = response.open(bytes.length)) {
            sink.write(bytes);
        }
    }

    /** Waits until {@code value} has not changed for {@code quiet}, or {@code limit} passed. */
    private static long awaitStable(LongSupplier value, Duration quiet, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = value.getAsLong();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(20);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= quiet.toNanos()) {
                break;
            }
        }
        return last;
    }

    @Test
    void isFoundByServiceLoaderAsNetty() {
        Backend backend = ServiceLoader.load(Backend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals("netty"))
                .findFirst().orElseThrow();
        assertInstanceOf(NettyBackend.class, backend);
    }

    @Test
    void portZeroPicksFreePorts() throws Exception {
        Server one = start((req, resp) -> text(resp, "one"));
        Server two = start((req, resp) -> text(resp, "two"));
        assertTrue(one.port() > 0);
        assertNotEquals(one.port(), two.port());
        assertEquals("one", get(one, "/").body());
        assertEquals("two", get(two, "/").body());
    }

    @Test
    void simpleGet() throws Exception {
        Server server = start((req, resp) -> text(resp, "hello"));
        HttpResponse<String> response = get(server, "/");
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals("5", response.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.headers().firstValue("Date").isPresent());
        assertTrue(response.headers().firstValue("Server").isEmpty());
    }

    @Test
    void handlerThatSendsNothingGivesEmptyResponse() throws Exception {
        Server server = start((req, resp) -> resp.setStatus(202));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertEquals(202, response.head().status());
            assertEquals("0", response.head().header("Content-Length"));
            assertEquals("", response.body());
        }
    }

    @Test
    void requestIsPassedAsReceived() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Server server = start((req, resp) -> {
            seen.add(String.join("|", req.method(), req.rawPath(), String.valueOf(req.rawQuery()), req.protocol(),
                    req.scheme(), String.join(",", req.headers().getAll("x-multi")), req.headers().get("HOST"),
                    String.valueOf(req.remoteAddress().getAddress().isLoopbackAddress())));
            text(resp, "ok");
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("PUT /a%20b/c%2Fd?x=1&y=%20z HTTP/1.1\r\nHost: example\r\nX-Multi: one\r\nx-multi: two\r\n"
                    + "Content-Length: 0\r\n\r\n");
            assertEquals("ok", raw.readResponse().body());
            raw.send("GET /plain HTTP/1.1\r\nHost: example\r\n\r\n");
            raw.readResponse();
            raw.send("DELETE /empty? HTTP/1.1\r\nHost: example\r\n\r\n");
            raw.readResponse();
        }
        assertEquals(List.of(
                "PUT|/a%20b/c%2Fd|x=1&y=%20z|HTTP/1.1|http|one,two|example|true",
                "GET|/plain|null|HTTP/1.1|http||example|true",
                "DELETE|/empty||HTTP/1.1|http||example|true"), seen);
    }

    @Test
    void postBodyIsEchoed() throws Exception {
        Server server = start((req, resp) -> {
            byte[] body = req.body().readAllBytes();
            try (BodySink sink = resp.open(body.length)) {
                sink.write(body);
            }
        });
        byte[] upload = new byte[3 * MiB + 17];
        new Random(42).nextBytes(upload);
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(uri(server, "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(upload, response.body());
    }

    @Test
    void chunkedUploadIsRead() throws Exception {
        Server server = start((req, resp) -> text(resp, new String(req.body().readAllBytes(), StandardCharsets.UTF_8)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertEquals("hello world", raw.readResponse().body());
        }
    }

    @Test
    void largeUploadIsFlowControlled() throws Exception {
        long total = 64L * MiB;
        AtomicLong readByHandler = new AtomicLong();
        CountDownLatch handlerPaused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            InputStream body = req.body();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (readByHandler.addAndGet(n) >= MiB && handlerPaused.getCount() > 0) {
                    handlerPaused.countDown();
                    resume.await(20, TimeUnit.SECONDS);
                }
            }
            text(resp, String.valueOf(readByHandler.get()));
        });
        try (RawClient raw = new RawClient(server.port(), 0, 64 * 1024)) {
            raw.socket().setSoTimeout(20_000);
            OutputStream out = raw.socket().getOutputStream();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + total + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] piece = new byte[64 * 1024];
                    for (long left = total; left > 0; left -= piece.length) {
                        out.write(piece);
                        sent.addAndGet(piece.length);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                assertTrue(handlerPaused.await(10, TimeUnit.SECONDS));
                long stalledAt = awaitStable(sent::get, Duration.ofMillis(500), Duration.ofSeconds(10));
                long buffered = stalledAt - readByHandler.get();
                System.out.printf("upload: sent %d KiB while the handler had read %d KiB; %d KiB in between%n",
                        stalledAt / 1024, readByHandler.get() / 1024, buffered / 1024);
                assertTrue(stalledAt < total, "the client could send the whole upload while the handler read 1 MiB");
                assertTrue(buffered < 24L * MiB, "bytes sent but not read: " + buffered);
            } finally {
                resume.countDown();
            }
            writer.get(20, TimeUnit.SECONDS);
            assertEquals(String.valueOf(total), raw.readResponse().body());
        }
    }

    @Test
    void expectContinueIsAnsweredOnFirstRead() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch mayRead = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            handlerStarted.countDown();
            mayRead.await(10, TimeUnit.SECONDS);
            text(resp, "got " + new String(req.body().readAllBytes(), StandardCharsets.UTF_8));
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertTrue(handlerStarted.await(5, TimeUnit.SECONDS));
            raw.socket().setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> raw.in().read(), "100 Continue before the handler read");
            raw.socket().setSoTimeout(5000);
            mayRead.countDown();
            RawClient.Head interim = raw.readHead();
            assertEquals(100, interim.status());
            raw.send("hello");
            RawClient.Response response = raw.readResponse();
            assertEquals(200, response.head().status());
            assertEquals("got hello", response.body());
        }
    }

    @Test
    void flushedChunkArrivesBeforeTheHandlerFinishes() throws Exception {
        CountDownLatch firstChunkRead = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            try (BodySink sink = resp.open(-1)) {
                sink.write("first");
                sink.flush();
                sink.write(firstChunkRead.await(10, TimeUnit.SECONDS) ? "second" : "too late");
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.socket().setSoTimeout(3000);
            raw.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertEquals("chunked", head.header("Transfer-Encoding"));
            assertNull(head.header("Content-Length"));
            assertEquals("first", raw.readChunk());
            firstChunkRead.countDown();
            assertEquals("second", raw.readChunk());
            assertEquals("", raw.readChunk());
        }
    }

    @Test
    void slowReaderMakesTheWriterWait() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        CountDownLatch handlerDone = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            byte[] piece = new byte[64 * 1024];
            try (BodySink sink = resp.open(100L * MiB)) {
                for (int i = 0; i < 1600; i++) {
                    sink.write(piece);
                    written.addAndGet(piece.length);
                }
            } catch (IOException e) {
                writeFailure.set(e);
                throw e;
            } finally {
                handlerDone.countDown();
            }
        });
        try (RawClient raw = new RawClient(server.port(), 64 * 1024, 0)) {
            raw.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.readHead();
            long read = raw.readBytes(MiB).length;
            long stalledAt = awaitStable(written::get, Duration.ofMillis(500), Duration.ofSeconds(10));
            System.out.printf("download: handler wrote %d KiB while the client read %d KiB%n", stalledAt / 1024, read / 1024);
            assertTrue(stalledAt - read < 16L * MiB, "written but not read: " + (stalledAt - read));
            assertFalse(handlerDone.await(0, TimeUnit.SECONDS));
        }
        assertTrue(handlerDone.await(5, TimeUnit.SECONDS), "the writer did not notice the client left");
        assertInstanceOf(IOException.class, writeFailure.get());
    }

    @Test
    void clientDisconnectMakesTheNextWriteFail() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch streaming = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            try (BodySink sink = resp.open(-1)) {
                byte[] piece = new byte[8 * 1024];
                for (int i = 0; i < 1_000_000; i++) {
                    sink.write(piece);
                    sink.flush();
                    streaming.countDown();
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                failure.set(e);
                failed.countDown();
                throw e;
            }
        });
        RawClient raw = new RawClient(server.port());
        raw.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.readHead();
        raw.readChunk();
        assertTrue(streaming.await(5, TimeUnit.SECONDS));
        raw.close();
        assertTrue(failed.await(5, TimeUnit.SECONDS), "the handler kept writing to a closed connection");
        assertInstanceOf(IOException.class, failure.get());
    }

    @Test
    void headKeepsContentLengthWithoutBody() throws Exception {
        Server server = start((req, resp) -> {
            if (req.rawPath().equals("/chunked")) {
                try (BodySink sink = resp.open(-1)) {
                    sink.write("streamed");
                    sink.flush();
                }
            } else {
                text(resp, "hello");
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertEquals(200, head.status());
            assertEquals("5", head.header("Content-Length"));
            raw.send("HEAD /chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("chunked", raw.readHead().header("Transfer-Encoding"));
            raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response next = raw.readResponse();
            assertEquals(200, next.head().status(), "a HEAD response carried a body");
            assertEquals("hello", next.body());
        }
    }

    @Test
    void noContentHasNoBodyNorFraming() throws Exception {
        Server server = start((req, resp) -> {
            resp.setStatus(req.rawPath().equals("/open") ? 204 : 304);
            if (req.rawPath().equals("/open")) {
                try (BodySink sink = resp.open(-1)) {
                    sink.write("ignored");
                }
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            for (String path : List.of("/open", "/unopened")) {
                raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Head head = raw.readHead();
                assertEquals(path.equals("/open") ? 204 : 304, head.status());
                assertNull(head.header("Content-Length"));
                assertNull(head.header("Transfer-Encoding"));
            }
            raw.send("GET /open HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(204, raw.readHead().status(), "a body was sent after a 204 or 304");
        }
    }

    @Test
    void exceptionBeforeCommitGives500() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("X-Half-Done", "yes");
            throw new IllegalStateException("secret detail");
        });
        HttpResponse<String> response = get(server, "/boom");
        assertEquals(500, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertFalse(response.body().contains("secret"));
        assertFalse(response.body().isEmpty());
        assertTrue(response.headers().firstValue("X-Half-Done").isEmpty());
    }

    @Test
    void exceptionAfterCommitAbortsTheConnection() throws Exception {
        Server server = start((req, resp) -> {
            BodySink sink = resp.open(-1);
            sink.write("partial");
            sink.flush();
            throw new IllegalStateException("late failure");
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, raw.readHead().status());
            assertEquals("partial", raw.readChunk());
            assertTrue(raw.closedByServer(), "expected the connection to be cut without a last chunk");
        }
    }

    @Test
    void shortBodyAbortsTheConnection() throws Exception {
        Server server = start((req, resp) -> {
            try (BodySink sink = resp.open(10)) {
                sink.write("short");
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertEquals("10", head.header("Content-Length"));
            assertEquals("short", new String(raw.readBytes(5), StandardCharsets.US_ASCII));
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOneAtATime() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        Server server = start((req, resp) -> {
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                if (req.rawPath().equals("/slow")) {
                    Thread.sleep(300);
                }
                text(resp, req.rawPath() + ":" + new String(req.body().readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                active.decrementAndGet();
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /last HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nyz");
            assertEquals("/slow:abc", raw.readResponse().body());
            assertEquals("/fast:", raw.readResponse().body());
            RawClient.Response last = raw.readResponse();
            assertEquals("/last:yz", last.body());
            assertEquals("close", last.head().header("Connection"));
            assertTrue(raw.closedByServer());
        }
        assertEquals(1, mostActive.get());
    }

    @Test
    void unreadBodyIsSkippedBeforeTheNextRequest() throws Exception {
        Server server = start((req, resp) -> text(resp, "answer to " + req.rawPath()));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /ignored HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n");
            assertEquals("answer to /ignored", raw.readResponse().body());
            raw.send(new byte[200_000]);
            raw.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("answer to /next", raw.readResponse().body());
        }
    }

    @Test
    void largeUnreadBodyClosesTheConnectionAfterTheResponse() throws Exception {
        Server server = start((req, resp) -> {
            resp.setStatus(413);
            text(resp, "too large");
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + 100 * MiB + "\r\n\r\n");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    byte[] piece = new byte[64 * 1024];
                    for (int i = 0; i < 1600; i++) {
                        raw.send(piece);
                    }
                } catch (IOException closed) {
                    // the server stopped reading: expected
                }
            });
            assertEquals("too large", raw.readResponse().body());
            assertTrue(raw.closedByServer(), "the server kept reading a body nobody wants");
            writer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void expectContinueNeverReadClosesTheConnection() throws Exception {
        Server server = start((req, resp) -> {
            resp.setStatus(413);
            text(resp, "no thanks");
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertEquals(413, response.head().status(), "no 100 Continue when the body is never read");
            assertEquals("no thanks", response.body());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void portInUseFailsWithIOException() throws Exception {
        Server server = start((req, resp) -> text(resp, "first"));
        assertThrows(IOException.class, () -> start((req, resp) -> text(resp, "second"), ServerOptions.port(server.port())));
    }

    @Test
    void http10GetsACloseDelimitedBody() throws Exception {
        Server server = start((req, resp) -> {
            try (BodySink sink = resp.open(-1)) {
                sink.write("old ");
                sink.flush();
                sink.write("client");
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.0\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertNull(response.head().header("Transfer-Encoding"));
            assertEquals("close", response.head().header("Connection"));
            assertEquals("old client", response.body());
        }
    }

    @Test
    void malformedRequestGets400() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Server server = start((req, resp) -> {
            calls.incrementAndGet();
            text(resp, "no");
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertEquals(400, response.head().status());
            assertTrue(raw.closedByServer());
        }
        assertEquals(0, calls.get());
    }

    @Test
    void malformedChunkedBodyFailsTheReadAndClosesTheConnection() throws Exception {
        CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
        Server server = start((req, resp) -> {
            try {
                req.body().readAllBytes();
                readFailure.complete(null);
            } catch (IOException e) {
                readFailure.complete(e);
            }
            resp.setStatus(400);
            text(resp, "bad body");
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
            assertInstanceOf(IOException.class, readFailure.get(5, TimeUnit.SECONDS));
            assertTrue(raw.closedByServer(), "a body whose framing is lost ends the connection, with no answer");
        }
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        Server server = start((req, resp) -> text(resp, "hi"),
                ServerOptions.port(0).withIdleTimeout(Duration.ofMillis(300)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hi", raw.readResponse().body());
            long start = System.nanoTime();
            assertTrue(raw.closedByServer());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
        }
    }

    @Test
    void closeWaitsForTheRequestInFlight() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            started.countDown();
            Thread.sleep(500);
            text(resp, "finished");
        }, ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(5)));
        CompletableFuture<HttpResponse<String>> response = CLIENT.sendAsync(
                HttpRequest.newBuilder(uri(server, "/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(started.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        server.close();
        long took = System.nanoTime() - start;
        assertTrue(took > TimeUnit.MILLISECONDS.toNanos(300), "close returned before the request finished");
        assertTrue(took < TimeUnit.SECONDS.toNanos(4));
        assertEquals("finished", response.get(5, TimeUnit.SECONDS).body());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port()).close());
    }

    @Test
    void closeCutsWhatOutlivesTheGracePeriod() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            started.countDown();
            release.await(20, TimeUnit.SECONDS);
            text(resp, "too late");
        }, ServerOptions.port(0).withGracePeriod(Duration.ofMillis(300)));
        try (RawClient raw = new RawClient(server.port()); RawClient idle = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            assertTrue(raw.closedByServer());
            assertTrue(idle.closedByServer());
        } finally {
            release.countDown();
        }
    }
}
