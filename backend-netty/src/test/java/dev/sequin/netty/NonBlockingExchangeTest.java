package dev.sequin.netty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests a handler takes on the event loop ({@code HttpHandler.isNonBlocking}): served there,
 * in one response with the usual framing, errors and keep-alive, in order with pipelined requests
 * served on virtual threads, and held back while a client does not read what was answered.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NonBlockingExchangeTest {

    private static final int MiB = 1024 * 1024;

    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Server::close);
    }

    /** @return a handler that runs {@code handler} on the event loop for the requests {@code inline} accepts */
    private static HttpHandler nonBlocking(Predicate<ServerRequest> inline, HttpHandler handler) {
        return new HttpHandler() {
            @Override
            public void handle(ServerRequest request, ServerResponse response) throws Exception {
                handler.handle(request, response);
            }

            @Override
            public boolean isNonBlocking(ServerRequest request) {
                return inline.test(request);
            }
        };
    }

    private Server start(HttpHandler handler) throws IOException {
        return start(handler, ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2)));
    }

    private Server start(HttpHandler handler, ServerOptions options) throws IOException {
        Server server = new NettyBackend().start(handler, options);
        servers.add(server);
        return server;
    }

    private static void text(ServerResponse response, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (BodySink sink = response.open(bytes.length)) {
            sink.write(bytes);
        }
    }

    private static String where() {
        Thread thread = Thread.currentThread();
        return thread.isVirtual() ? "virtual" : thread.getName().startsWith("sequin-netty-io") ? "event loop" : thread.getName();
    }

    private static String get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    @Test
    void aRequestWithoutABodyIsServedOnTheEventLoopWithTheUsualHeaders() throws Exception {
        Server server = start(nonBlocking(request -> true, (req, resp) -> {
            resp.headers().set("Content-Type", "text/plain; charset=utf-8");
            text(resp, where() + " " + req.rawPath() + " " + req.body().read());
        }));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send(get("/one"));
            RawClient.Response first = raw.readResponse();
            assertEquals(200, first.head().status());
            assertEquals("event loop /one -1", first.body());
            assertEquals(String.valueOf(first.body().length()), first.head().header("Content-Length"));
            assertEquals("text/plain; charset=utf-8", first.head().header("Content-Type"));
            assertNotNull(first.head().header("Date"));
            assertNull(first.head().header("Connection"));
            raw.send(get("/two"));
            assertEquals("event loop /two -1", raw.readResponse().body(), "the connection is kept");
        }
    }

    @Test
    void aRequestWithABodyGoesToAVirtualThreadWhateverTheHandlerSays() throws Exception {
        Server server = start(nonBlocking(request -> true, (req, resp) ->
                text(resp, where() + " " + new String(req.body().readAllBytes(), StandardCharsets.UTF_8))));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            assertEquals("virtual abc", raw.readResponse().body());
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n");
            assertEquals("virtual de", raw.readResponse().body());
        }
    }

    @Test
    void headAndNoContentAndChunkedAreFramedAsUsual() throws Exception {
        Server server = start(nonBlocking(request -> true, (req, resp) -> {
            switch (req.rawPath()) {
                case "/none" -> {
                    resp.setStatus(204);
                    resp.open(0).close();
                }
                case "/chunked" -> {
                    try (BodySink sink = resp.open(-1)) {
                        sink.write("one ");
                        sink.flush();
                        sink.write("two");
                    }
                }
                default -> text(resp, "hello");
            }
        }));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertEquals(200, head.status());
            assertEquals("5", head.header("Content-Length"));
            raw.send(get("/none"));
            RawClient.Head none = raw.readHead();
            assertEquals(204, none.status());
            assertNull(none.header("Content-Length"));
            assertNull(none.header("Transfer-Encoding"));
            raw.send(get("/chunked"));
            RawClient.Head chunked = raw.readHead();
            assertEquals("chunked", chunked.header("Transfer-Encoding"));
            assertEquals("one two", raw.readChunk(), "the body goes out whole, as one chunk");
            assertEquals("", raw.readChunk());
            raw.send(get("/hello"));
            assertEquals("hello", raw.readResponse().body(), "no stray bytes after HEAD, 204 or the last chunk");
        }
    }

    @Test
    void failuresAreAnsweredWith500AndTheConnectionGoesOn() throws Exception {
        Server server = start(new HttpHandler() {
            @Override
            public void handle(ServerRequest request, ServerResponse response) throws Exception {
                if (request.rawPath().equals("/fails")) {
                    response.headers().set("X-Lost", "yes");
                    throw new IllegalStateException("the handler failed");
                }
                if (request.rawPath().equals("/upgrade")) {
                    response.upgradeToWebSocket(null);
                }
                text(response, "fine");
            }

            @Override
            public boolean isNonBlocking(ServerRequest request) {
                if (request.rawPath().equals("/asking-fails")) {
                    throw new IllegalStateException("isNonBlocking failed");
                }
                return true;
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            for (String path : List.of("/fails", "/asking-fails", "/upgrade")) {
                raw.send(get(path));
                RawClient.Response failed = raw.readResponse();
                assertEquals(500, failed.head().status(), path);
                assertEquals("Internal Server Error", failed.body(), path);
                assertNull(failed.head().header("X-Lost"), path);
            }
            raw.send(get("/ok"));
            assertEquals("fine", raw.readResponse().body());
        }
    }

    @Test
    void aBodyShorterThanItsLengthAbortsTheConnection() throws Exception {
        Server server = start(nonBlocking(request -> true, (req, resp) -> {
            try (BodySink sink = resp.open(10)) {
                sink.write("short");
            }
        }));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send(get("/"));
            assertThrows(EOFException.class, raw::readResponse, "no response may look complete");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhateverTheirThread() throws Exception {
        Server server = start(nonBlocking(request -> request.rawPath().startsWith("/io"), (req, resp) -> {
            if (req.rawPath().startsWith("/vt")) {
                Thread.sleep(100);
            }
            text(resp, req.rawPath() + " " + where());
        }));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send(get("/io1") + get("/vt2") + get("/io3") + get("/io4") + get("/vt5") + get("/io6", "Connection: close")
                    + get("/io7"));
            assertEquals("/io1 event loop", raw.readResponse().body());
            assertEquals("/vt2 virtual", raw.readResponse().body());
            assertEquals("/io3 event loop", raw.readResponse().body());
            assertEquals("/io4 event loop", raw.readResponse().body());
            assertEquals("/vt5 virtual", raw.readResponse().body());
            RawClient.Response last = raw.readResponse();
            assertEquals("/io6 event loop", last.body());
            assertEquals("close", last.head().header("Connection"));
            assertTrue(raw.closedByServer(), "nothing is answered after Connection: close");
        }
    }

    @Test
    void answersToPipelinedRequestsShareOneFlush() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        RequestDecoder decoder = new RequestDecoder(new HttpDecoderConfig());
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        }, decoder, new ResponseEncoder(decoder),
                new SequinChannelHandler(nonBlocking(request -> true, (req, resp) -> text(resp, req.rawPath())), "", Limits.NONE));
        channel.writeInbound(Unpooled.copiedBuffer(get("/a") + get("/b") + get("/c"), StandardCharsets.ISO_8859_1));
        StringBuilder sent = new StringBuilder();
        for (ByteBuf bytes = channel.readOutbound(); bytes != null; bytes = channel.readOutbound()) {
            sent.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        channel.finishAndReleaseAll();
        assertEquals(3, sent.toString().split("HTTP/1.1 200 OK", -1).length - 1, sent.toString());
        assertTrue(sent.toString().endsWith("\r\n\r\n/c"), sent.toString());
        assertEquals(1, flushes.get(), "one flush for the three answers of one read");
    }

    @Test
    void aClientThatDoesNotReadHoldsBackItsNextRequests() throws Exception {
        byte[] big = new byte[MiB];
        Arrays.fill(big, (byte) 'x');
        AtomicInteger answered = new AtomicInteger();
        Server server = start(nonBlocking(request -> true, (req, resp) -> {
            answered.incrementAndGet();
            try (BodySink sink = resp.open(big.length)) {
                sink.write(big);
            }
        }));
        int requests = 40;
        try (RawClient raw = new RawClient(server.port(), 16 * 1024, 0)) {
            raw.send(get("/big").repeat(requests));
            Thread.sleep(500);
            assertTrue(answered.get() < 10, "answered " + answered.get() + " requests for a client that reads nothing");
            for (int i = 0; i < requests; i++) {
                RawClient.Head head = raw.readHead();
                assertEquals(200, head.status());
                assertArrayEquals(big, raw.readBytes(MiB), "response " + i);
            }
        }
        assertEquals(requests, answered.get());
    }

    @Test
    void aKeptConnectionOutlivesTheReadTimeout() throws Exception {
        Server server = start(nonBlocking(request -> true, (req, resp) -> text(resp, "again")),
                ServerOptions.port(0).withReadTimeout(Duration.ofMillis(300)).withIdleTimeout(Duration.ofSeconds(10))
                        .withGracePeriod(Duration.ofSeconds(1)));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send(get("/"));
            assertEquals("again", raw.readResponse().body());
            Thread.sleep(800);
            raw.send(get("/"));
            assertEquals("again", raw.readResponse().body(), "an idle kept connection is not a request head taking long");
        }
    }

    @Test
    void aGracefulStopSendsWhatWasAnsweredBeforeClosing() throws Exception {
        byte[] big = new byte[4 * MiB];
        Arrays.fill(big, (byte) 'y');
        CompletableFuture<Void> answered = new CompletableFuture<>();
        Server server = start(nonBlocking(request -> true, (req, resp) -> {
            try (BodySink sink = resp.open(big.length)) {
                sink.write(big);
            }
            answered.complete(null);
        }), ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(5)));
        try (RawClient raw = new RawClient(server.port(), 16 * 1024, 0)) {
            raw.send(get("/big"));
            answered.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
            Thread.sleep(300);
            RawClient.Head head = raw.readHead();
            assertEquals(200, head.status());
            assertArrayEquals(big, raw.readBytes(big.length), "the answer is sent whole before the connection closes");
            assertTrue(raw.closedByServer());
            stopped.get(10, TimeUnit.SECONDS);
        }
    }
}
