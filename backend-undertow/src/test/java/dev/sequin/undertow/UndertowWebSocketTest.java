package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.Api;
import dev.sequin.View;
import dev.sequin.WebSocket;
import dev.sequin.WebSocketError;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.WebSocketMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocket views served by {@link UndertowBackend}, driven by the JDK's WebSocket client. */
@Timeout(30)
class UndertowWebSocketTest {

    private static final long WAIT_SECONDS = 5;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<WebSocketMessage> seenByView = new LinkedBlockingQueue<>();
    private final AtomicInteger sentByView = new AtomicInteger();
    private final CountDownLatch startReading = new CountDownLatch(1);
    private final AtomicInteger readByView = new AtomicInteger();
    private HttpClient client;
    private Server server;

    /** Echoes text and binary; "bad" and "boom" fail; reports the end to {@link #seenByView}. */
    final class Echo implements View {
        @Override
        public void onWs(WebSocket ws) throws Exception {
            ws.accept(ws.subprotocols().contains("chat") ? "chat" : null);
            while (true) {
                WebSocketMessage message = ws.receive(null);
                switch (message) {
                    case WebSocketMessage.Text(String text) when text.equals("bad") -> throw new WebSocketError(1007, "bad data");
                    case WebSocketMessage.Text(String text) when text.equals("boom") -> throw new IllegalStateException("bug");
                    case WebSocketMessage.Text(String text) -> ws.send(text);
                    case WebSocketMessage.Binary(ByteBuffer data) -> {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        ws.send(bytes);
                    }
                    case WebSocketMessage.Close close -> {
                        seenByView.add(close);
                        return;
                    }
                }
            }
        }
    }

    /** Sends 64 KiB messages as fast as the client takes them. */
    final class Flood implements View {
        @Override
        public void onWs(WebSocket ws) throws Exception {
            ws.accept();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 2_000; i++) {
                    ws.send(chunk);
                    sentByView.incrementAndGet();
                }
            } catch (IOException gone) {
                seenByView.add(new WebSocketMessage.Close(1006, "send failed"));
            }
        }
    }

    /** Reads nothing until {@link #startReading}, then counts what arrives. */
    final class Sink implements View {
        @Override
        public void onWs(WebSocket ws) throws Exception {
            ws.accept();
            startReading.await();
            while (ws.receive(null) instanceof WebSocketMessage.Binary) {
                readByView.incrementAndGet();
            }
        }
    }

    @BeforeEach
    void start() throws IOException {
        Api api = new Api();
        api.route("/echo", new Echo());
        api.route("/flood", new Flood());
        api.route("/sink", new Sink());
        api.get("/plain", (req, resp) -> resp.setText("plain"));
        api.beforeRequest((req, resp) -> {
            events.add("before " + req.path());
            resp.headers().set("X-Hooked", "yes");
        });
        api.afterRequest((req, resp) -> events.add("after " + req.path()));
        server = api.start(new UndertowBackend(), ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2)));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void echoesTextAndBinaryBetweenTheHooks() throws Exception {
        Client ws = connect("/echo");
        ws.socket.sendText("hi", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("hi", ws.next());
        ws.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), ws.next());
        ws.socket.sendClose(1000, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(new WebSocketMessage.Close(1000, "bye"), seenByView.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1000, ws.closeCode());
        awaitEvent("after /echo");
        assertTrue(events.contains("before /echo"), events.toString());
    }

    @Test
    void aMessageSentInFragmentsArrivesWhole() throws Exception {
        Client ws = connect("/echo");
        String part = "x".repeat(64 * 1024);
        for (int i = 0; i < 7; i++) {
            ws.socket.sendText(part, false).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        ws.socket.sendText(part, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(part.repeat(8), ws.next());
    }

    @Test
    void aWebSocketErrorClosesWithItsCode() throws Exception {
        Client ws = connect("/echo");
        ws.socket.sendText("bad", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1007, ws.closeCode());
    }

    @Test
    void anUnhandledExceptionClosesWith1011() throws Exception {
        Client ws = connect("/echo");
        ws.socket.sendText("boom", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1011, ws.closeCode());
    }

    @Test
    void aMessageOverTheLimitClosesWith1009() throws Exception {
        Client ws = connect("/echo");
        ws.socket.sendBinary(ByteBuffer.allocate(2 * 1024 * 1024), true);
        assertEquals(1009, ws.closeCode());
    }

    @Test
    void routesWithoutOnWsRefuseWith403AndUnknownPathsWith404() {
        assertEquals(403, refusedStatus("/plain"));
        assertEquals(404, refusedStatus("/nowhere"));
    }

    @Test
    void theHandshakeResponseCarriesTheHookHeadersAndTheSubprotocol() throws Exception {
        try (java.net.Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: chat\r\n\r\n");
            String head = RawHttp.readHead(socket.getInputStream());
            assertEquals(101, RawHttp.status(head), head);
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", RawHttp.header(head, "Sec-WebSocket-Accept"), head);
            assertEquals("chat", RawHttp.header(head, "Sec-WebSocket-Protocol"), head);
            assertEquals("yes", RawHttp.header(head, "X-Hooked"), head);
        }
    }

    @Test
    void theViewPicksAnOfferedSubprotocol() throws Exception {
        assertEquals("chat", connect("/echo", "other", "chat").socket.getSubprotocol());
        assertEquals("", connect("/echo", "other").socket.getSubprotocol());
    }

    @Test
    void closingTheServerClosesOpenConnectionsWith1001() throws Exception {
        Client ws = connect("/echo");
        ws.socket.sendText("hi", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("hi", ws.next());
        server.close();
        assertEquals(1001, ws.closeCode());
        assertEquals(new WebSocketMessage.Close(1001, ""), seenByView.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aQuietWebSocketOutlivesTheHttpIdleTimeout() throws Exception {
        server.close();
        Api api = new Api();
        api.route("/echo", new Echo());
        server = api.start(new UndertowBackend(), ServerOptions.port(0).withIdleTimeout(Duration.ofMillis(500)));
        Client ws = connect("/echo");
        Thread.sleep(1_500);
        ws.socket.sendText("still here", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("still here", ws.next());
    }

    @Test
    void aClientThatVanishesEndsTheViewsReceiveWith1006() throws Exception {
        Client ws = connect("/echo");
        ws.socket.sendText("hi", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("hi", ws.next());
        ws.socket.abort();
        assertEquals(new WebSocketMessage.Close(1006, ""), seenByView.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void sendsBlockWhileTheClientDoesNotRead() throws Exception {
        Client ws = connect("/flood", 0);
        Thread.sleep(1_500);
        int sent = sentByView.get();
        assertTrue(sent < 500, "the view sent " + sent + " messages of 64 KiB to a client that read none");
        ws.socket.abort();
        assertEquals(new WebSocketMessage.Close(1006, "send failed"), seenByView.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void receivingStopsWhileTheViewIsBehind() throws Exception {
        Client ws = connect("/sink");
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        int written = 0;
        CompletableFuture<java.net.http.WebSocket> last = null;
        try {
            for (; written < 2_000; written++) {
                last = ws.socket.sendBinary(chunk.duplicate(), true);
                last.get(1, TimeUnit.SECONDS);
            }
        } catch (TimeoutException stalled) {
            // the server stopped reading: what the test expects
        }
        assertTrue(written < 500, "the client could write " + written + " messages of 64 KiB to a view reading none");
        startReading.countDown();
        last.get(WAIT_SECONDS, TimeUnit.SECONDS);
        ws.socket.sendClose(1000, "").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1000, ws.closeCode());
        assertEquals(written + 1, readByView.get());
    }

    private Client connect(String path, String... subprotocols) throws Exception {
        return connect(path, Long.MAX_VALUE, subprotocols);
    }

    private Client connect(String path, long demand, String... subprotocols) throws Exception {
        Client listener = new Client(demand);
        java.net.http.WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        listener.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), listener)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        return listener;
    }

    private int refusedStatus(String path) {
        CompletableFuture<java.net.http.WebSocket> attempt = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), new Client(1));
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> attempt.get(WAIT_SECONDS, TimeUnit.SECONDS));
        Throwable cause = failure.getCause() instanceof CompletionException wrapped ? wrapped.getCause() : failure.getCause();
        return assertInstanceOf(WebSocketHandshakeException.class, cause).getResponse().statusCode();
    }

    private void awaitEvent(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!events.contains(event) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(events.contains(event), events.toString());
    }

    /** The JDK client's listener: whole messages into a queue, and the close code. */
    static final class Client implements java.net.http.WebSocket.Listener {
        private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final long demand;
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.net.http.WebSocket socket;

        Client(long demand) {
            this.demand = demand;
        }

        @Override
        public void onOpen(java.net.http.WebSocket webSocket) {
            webSocket.request(demand);
        }

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            bytes.writeBytes(part);
            if (last) {
                messages.add(ByteBuffer.wrap(bytes.toByteArray()));
                bytes = new java.io.ByteArrayOutputStream();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(message != null, "no message within " + WAIT_SECONDS + " s");
            return message;
        }

        int closeCode() throws Exception {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
