package dev.sequin.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Backend;
import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.ServerOptions;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Jetty backend at the SPI level: plain handlers, driven by HttpClient and raw sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JettyBackendTest {

    @RegisterExtension
    static final Servers SERVERS = new Servers();
    private static final HttpClient CLIENT = SERVERS.client();
    private static final int MIB = 1024 * 1024;

    /**
     * The Jetty servers a test class starts, each closed after its test, and the class's HTTP
     * client, closed after its last test; the backend's SPI-level test classes share it.
     *
     * <pre>{@code
     * @RegisterExtension
     * static final JettyBackendTest.Servers SERVERS = new JettyBackendTest.Servers();
     *
     * Server server = SERVERS.start(handler, ServerOptions.port(0));
     * }</pre>
     */
    static final class Servers implements AfterEachCallback, AfterAllCallback {

        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final List<Server> started = new ArrayList<>();

        /** @return the client, with a five-second connect timeout */
        HttpClient client() {
            return client;
        }

        /** Starts a Jetty server, to be closed after the test. */
        Server start(HttpHandler handler, ServerOptions options) throws IOException {
            Server server = new JettyBackend().start(handler, options);
            started.add(server);
            return server;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            List<Server> servers = List.copyOf(started);
            started.clear();
            servers.forEach(Server::close);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            client.close();
        }
    }

    @Test
    void isFoundByServiceLoaderAsJetty() {
        Backend found = ServiceLoader.load(Backend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(backend -> backend.name().equals("jetty"))
                .findFirst().orElseThrow();
        assertInstanceOf(JettyBackend.class, found);
    }

    @Test
    void servesSimpleGetWithoutServerHeader() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("Content-Type", "text/plain; charset=utf-8");
            try (BodySink body = resp.open(5)) {
                body.write("hello");
            }
        });
        HttpResponse<String> response = get(server, "/");
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals("5", response.headers().firstValue("content-length").orElseThrow());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        assertTrue(response.headers().firstValue("date").isPresent());
        assertTrue(response.headers().firstValue("server").isEmpty());
        assertTrue(response.headers().firstValue("x-powered-by").isEmpty());
    }

    @Test
    void passesRequestLineAndHeadersAsReceived() throws Exception {
        Server server = start((req, resp) -> {
            String text = String.join("\n", req.method(), req.rawPath(), String.valueOf(req.rawQuery()),
                    req.protocol(), req.scheme(), String.join(",", req.headers().getAll("x-multi")),
                    String.valueOf(req.remoteAddress().getAddress().isLoopbackAddress()),
                    String.valueOf(Thread.currentThread().isVirtual()));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try (BodySink body = resp.open(bytes.length)) {
                body.write(bytes);
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("PATCH /a%20b/c%2Fd/%41?x=1&y=%20 HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Multi: one\r\nx-multi: two\r\nContent-Length: 0\r\n\r\n");
            assertEquals(List.of("PATCH", "/a%20b/c%2Fd/%41", "x=1&y=%20", "HTTP/1.1", "http", "one,two", "true", "true"),
                    readTextBody(client));

            client.send("GET /plain HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(List.of("GET", "/plain", "null", "HTTP/1.1", "http", "", "true", "true"), readTextBody(client));
        }
    }

    @Test
    void readsEveryRequestOfAConnectionOnItsSelectorThread() throws Exception {
        Set<String> parsedOn = ConcurrentHashMap.newKeySet();
        Server server = start(new HttpHandler() {
            @Override
            public boolean isNonBlocking(ServerRequest request) {
                parsedOn.add(Thread.currentThread().getName());
                return false;
            }

            @Override
            public void handle(ServerRequest request, ServerResponse response) throws IOException {
                byte[] served = String.valueOf(Thread.currentThread().isVirtual()).getBytes(StandardCharsets.UTF_8);
                try (BodySink body = response.open(served.length)) {
                    body.write(served);
                }
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            for (int i = 0; i < 10; i++) {
                client.send("GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals(List.of("true"), readTextBody(client), "served on a virtual thread");
            }
            client.send("GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nGET /b HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(List.of("true"), readTextBody(client));
            assertEquals(List.of("true"), readTextBody(client), "the pipelined request");
        }
        // Jetty resumes a connection whose request completed elsewhere on a pool thread; this
        // backend completes it on the selector, which reads the next request there as well.
        assertEquals(1, parsedOn.size(), "threads that read the requests: " + parsedOn);
    }

    @Test
    void echoesALargePostBody() throws Exception {
        Server server = start((req, resp) -> {
            try (InputStream in = req.body(); BodySink body = resp.open(-1)) {
                byte[] chunk = new byte[64 * 1024];
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    body.write(ByteBuffer.wrap(chunk, 0, n));
                }
            }
        });
        byte[] payload = new byte[4 * MIB];
        new Random(42).nextBytes(payload);
        HttpResponse<byte[]> response = CLIENT.send(request(server, "/echo")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(payload, response.body());
    }

    @Test
    void answers100ContinueWhenTheBodyIsRead() throws Exception {
        Server server = start((req, resp) -> {
            byte[] body = req.body().readAllBytes();
            try (BodySink sink = resp.open(body.length)) {
                sink.write(body);
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, client.readHead().status());
            client.send("hello");
            RawClient.Head head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("hello", new String(client.readBytes(5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void stopsReadingTheSocketWhileTheHandlerDoesNotReadTheBody() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            InputStream in = req.body();
            in.read();
            release.await(10, TimeUnit.SECONDS);
            long total = 1 + in.transferTo(OutputStream.nullOutputStream());
            byte[] text = Long.toString(total).getBytes(StandardCharsets.US_ASCII);
            try (BodySink sink = resp.open(text.length)) {
                sink.write(text);
            }
        });
        long size = 64L * MIB;
        AtomicLong sent = new AtomicLong();
        try (RawClient client = RawClient.connect(server.port(), 64 * 1024)) {
            OutputStream out = client.output();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    while (sent.get() < size) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the assertions below fail, or the socket was closed at the end
                }
            });
            Thread.sleep(1500);
            long stalledAt = sent.get();
            assertTrue(stalledAt < 16 * MIB, "the client could push " + stalledAt + " bytes that nobody read");
            release.countDown();
            assertTrue(writer.join(Duration.ofSeconds(10)));
            assertEquals(size, sent.get());
            assertEquals(List.of(Long.toString(size)), readTextBody(client));
        }
    }

    @Test
    void sendsEachFlushedChunkBeforeTheHandlerFinishes() throws Exception {
        CountDownLatch firstChunkRead = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                body.write("first");
                body.flush();
                assertTrue(firstChunkRead.await(10, TimeUnit.SECONDS));
                body.write("second");
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = client.readHead();
            assertEquals("chunked", head.header("transfer-encoding"));
            assertNull(head.header("content-length"));
            assertEquals("first", client.readChunk());
            firstChunkRead.countDown();
            assertEquals("second", client.readChunk());
            assertNull(client.readChunk());
        }
    }

    @Test
    void keepsABodyOfUnknownLengthChunkedWithoutAnyFlush() throws Exception {
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                body.write("tiny");
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /tiny HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = client.readHead();
            assertEquals("chunked", head.header("transfer-encoding"));
            assertNull(head.header("content-length"));
            assertEquals("tiny", client.readChunk());
            assertNull(client.readChunk());
        }
    }

    @Test
    void blocksTheWriterWhileTheClientReadsSlowly() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch handlerDone = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                while (!stop.get() && written.get() < 100L * MIB) {
                    body.write(chunk.clear());
                    written.addAndGet(chunk.capacity());
                }
            } finally {
                handlerDone.countDown();
            }
        });
        try (RawClient client = RawClient.connect(server.port(), 64 * 1024)) {
            client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            client.readHead();
            long read = 0;
            byte[] buffer = new byte[16 * 1024];
            while (read < MIB) {
                read += client.read(buffer, buffer.length);
            }
            Thread.sleep(1500);
            long ahead = written.get() - read;
            assertTrue(ahead < 16 * MIB, "the handler got " + ahead + " bytes ahead of a pausing client");
            assertTrue(written.get() < 100L * MIB);
            stop.set(true);
        }
        assertTrue(handlerDone.await(10, TimeUnit.SECONDS));
    }

    @Test
    void failsTheNextWriteOnceTheClientDisconnects() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Server server = start((req, resp) -> {
            try (BodySink body = resp.open(-1)) {
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                while (!failure.isDone()) {
                    body.write(chunk.clear());
                }
            } catch (Throwable e) {
                failure.complete(e);
                throw e;
            }
        });
        try (RawClient client = RawClient.connect(server.port(), 64 * 1024)) {
            client.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n");
            client.readHead();
            client.readBytes(256 * 1024);
        }
        assertInstanceOf(IOException.class, failure.get(5, TimeUnit.SECONDS));
    }

    @Test
    void answersHeadWithTheContentLengthButNoBody() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("Content-Type", "text/plain");
            boolean chunked = "chunked".equals(req.rawQuery());
            try (BodySink body = resp.open(chunked ? -1 : 5)) {
                body.write("hello");
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /x?chunked HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("5", head.header("content-length"));
            assertEquals("text/plain", head.header("content-type"));
            RawClient.Head get = client.readHead();
            assertEquals("5", get.header("content-length"));
            assertEquals("hello", new String(client.readBytes(5), StandardCharsets.US_ASCII));

            RawClient.Head chunkedHead = client.readHead();
            assertEquals(200, chunkedHead.status());
            assertNull(chunkedHead.header("content-length"));
            assertEquals(200, client.readHead().status());
            assertEquals("hello", new String(client.readBytes(5), StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/204?empty", "/204?open", "/304?open"})
    void sendsNoBodyNorLengthFor204And304(String target) throws Exception {
        Server server = start((req, resp) -> {
            resp.setStatus(Integer.parseInt(req.rawPath().substring(1)));
            resp.headers().set("ETag", "\"v1\"");
            if (req.rawQuery().equals("open")) {
                try (BodySink body = resp.open(5)) {
                    body.write("hello");
                }
            }
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\nGET /200?empty HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = client.readHead();
            assertEquals(Integer.parseInt(target.substring(1, 4)), head.status());
            assertEquals("\"v1\"", head.header("etag"));
            assertNull(head.header("content-length"), head.fields().toString());
            assertNull(head.header("transfer-encoding"), head.fields().toString());
            RawClient.Head next = client.readHead();
            assertEquals(200, next.status());
            assertEquals("0", next.header("content-length"));
        }
    }

    @Test
    void sendsStatusAndHeadersWithAnEmptyBodyWhenNothingWasOpened() throws Exception {
        Server server = start((req, resp) -> {
            resp.setStatus(201);
            resp.headers().set("Location", "/things/1");
        });
        HttpResponse<String> response = get(server, "/things");
        assertEquals(201, response.statusCode());
        assertEquals("/things/1", response.headers().firstValue("location").orElseThrow());
        assertEquals("0", response.headers().firstValue("content-length").orElseThrow());
        assertEquals("", response.body());
    }

    @Test
    void answers500WithAGenericBodyWhenTheHandlerThrowsBeforeCommit() throws Exception {
        Server server = start((req, resp) -> {
            resp.headers().set("X-Half-Done", "yes");
            throw new IllegalStateException("secret detail");
        });
        HttpResponse<String> response = get(server, "/boom");
        assertEquals(500, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
        assertFalse(response.body().isEmpty());
        assertFalse(response.body().contains("secret"), response.body());
        assertTrue(response.headers().firstValue("x-half-done").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void abortsTheConnectionWhenTheHandlerThrowsAfterCommit(boolean flushFirst) throws Exception {
        Server server = start((req, resp) -> {
            BodySink body = resp.open(100);
            body.write("0123456789");
            if (flushFirst) {
                body.flush();
            }
            throw new IllegalStateException("broken halfway");
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("100", head.header("content-length"));
            assertThrows(EOFException.class, () -> client.readBytes(100));
        }
    }

    @Test
    void cutsAChunkedBodyWithoutItsLastChunkWhenTheHandlerThrowsAfterCommit() throws Exception {
        Server server = start((req, resp) -> {
            BodySink body = resp.open(-1);
            body.write("partial");
            body.flush();
            throw new IllegalStateException("writer failed after the first chunk");
        });
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /partial HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("chunked", client.readHead().header("transfer-encoding"));
            assertEquals("partial", client.readChunk());
            assertThrows(EOFException.class, client::readChunk);
        }
    }

    @Test
    void listensOnAFreePortWhenAskedForPortZero() throws Exception {
        HttpHandler ok = (req, resp) -> resp.setStatus(204);
        Server first = start(ok);
        Server second = start(ok);
        assertTrue(first.port() > 0);
        assertNotEquals(first.port(), second.port());
        assertEquals(204, get(first, "/").statusCode());
        assertEquals(204, get(second, "/").statusCode());
    }

    @Test
    void reportsABusyPortAsIOException() throws Exception {
        Server first = start((req, resp) -> resp.setStatus(204));
        assertThrows(IOException.class, () -> new JettyBackend().start((req, resp) -> { }, ServerOptions.port(first.port())));
    }

    @Test
    void closeWaitsForTheRequestInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            entered.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            try (BodySink body = resp.open(4)) {
                body.write("done");
            }
        }, ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(10)));
        CompletableFuture<HttpResponse<String>> response = CLIENT.sendAsync(request(server, "/slow").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(5, TimeUnit.SECONDS));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        assertThrows(TimeoutException.class, () -> closing.get(700, TimeUnit.MILLISECONDS));
        release.countDown();
        assertEquals("done", response.get(5, TimeUnit.SECONDS).body());
        closing.get(5, TimeUnit.SECONDS);
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", server.port()).close());
    }

    @Test
    void closeCutsRequestsStillRunningAfterTheGracePeriod() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
        }, ServerOptions.port(0).withGracePeriod(Duration.ofMillis(300)));
        try {
            CompletableFuture<HttpResponse<String>> response = CLIENT.sendAsync(request(server, "/stuck").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "close took too long");
            ExecutionException cut = assertThrows(ExecutionException.class, () -> response.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, cut.getCause());
        } finally {
            release.countDown();
        }
    }

    private static Server start(HttpHandler handler) throws IOException {
        return start(handler, ServerOptions.port(0));
    }

    private static Server start(HttpHandler handler, ServerOptions options) throws IOException {
        return SERVERS.start(handler, options);
    }

    private static HttpRequest.Builder request(Server server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(5));
    }

    private static HttpResponse<String> get(Server server, String path) throws IOException, InterruptedException {
        return CLIENT.send(request(server, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> readTextBody(RawClient client) throws IOException {
        RawClient.Head head = client.readHead();
        assertEquals(200, head.status());
        byte[] body = client.readBytes(Integer.parseInt(head.header("content-length")));
        return List.of(new String(body, StandardCharsets.UTF_8).split("\n", -1));
    }
}
