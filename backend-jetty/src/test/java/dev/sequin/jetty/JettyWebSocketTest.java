package dev.sequin.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.Api;
import dev.sequin.View;
import dev.sequin.WebSocket;
import dev.sequin.WebSocketError;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WebSocket on the Jetty backend: a Sequin {@code Api} with WebSocket views, driven by the JDK's client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JettyWebSocketTest {

    @RegisterExtension
    static final JettyBackendTest.Servers SERVERS = new JettyBackendTest.Servers();
    private static final HttpClient CLIENT = SERVERS.client();
    private static final int KIB = 1024;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<WebSocketMessage> ends = new LinkedBlockingQueue<>();

    /** Echoes until the client closes; "bad" and "boom" make it fail; records how it ended. */
    final class Echo implements View {
        @Override
        public void onWs(WebSocket ws) throws Exception {
            ws.accept(ws.subprotocols().contains("chat") ? "chat" : null);
            try {
                echo(ws);
            } catch (IOException sendFailed) {
                ends.add(new WebSocketMessage.Close(1006, "send failed"));
                throw sendFailed;
            }
        }

        private void echo(WebSocket ws) throws IOException {
            ws.send("hello " + ws.param("name") + " " + ws.state().get("hooked") + " " + ws.request().headers().get("X-Test"));
            while (true) {
                switch (ws.receive(null)) {
                    case WebSocketMessage.Text(String text) when text.equals("bad") -> throw new WebSocketError(1007, "bad data");
                    case WebSocketMessage.Text(String text) when text.equals("boom") -> throw new IllegalStateException("bug");
                    case WebSocketMessage.Text(String text) -> ws.send(text);
                    case WebSocketMessage.Binary(ByteBuffer data) -> {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        ws.send(bytes);
                    }
                    case WebSocketMessage.Close close -> {
                        ends.add(close);
                        return;
                    }
                }
            }
        }

        @Override
        public void onGet(dev.sequin.Request req, dev.sequin.Response resp) {
            resp.setText("plain GET");
        }
    }

    private Server startApi() throws IOException {
        Api api = new Api();
        api.route("/ws/{name}", new Echo());
        api.get("/http", (req, resp) -> resp.setText("http"));
        api.beforeRequest((req, resp) -> {
            events.add("before " + req.path());
            req.state().put("hooked", "yes");
            resp.headers().set("Set-Cookie", "session=abc");
        });
        api.afterRequest((req, resp) -> events.add("after " + req.path()));
        return start(api);
    }

    private static Server start(HttpHandler handler) throws IOException {
        return SERVERS.start(handler, ServerOptions.port(0));
    }

    @Test
    void echoesTextAndBinaryWithSubprotocolBetweenHooks() throws Exception {
        Server server = startApi();
        Client client = new Client();
        java.net.http.WebSocket ws = connect(server, "/ws/ann", client, "other", "chat");
        assertEquals("chat", ws.getSubprotocol());
        assertEquals("hello ann yes from-test", client.next());
        ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertEquals("hi", client.next());
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) client.next());
        ws.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
        assertEquals(new WebSocketMessage.Close(1000, "done"), ends.poll(5, TimeUnit.SECONDS));
        assertEquals(1000, client.closed().code());
        assertTrue(waitFor(() -> events.contains("after /ws/ann")), events.toString());
        assertEquals(List.of("before /ws/ann", "after /ws/ann"), events);
    }

    @Test
    void handshakeCarriesHeadersSetBeforeAccepting() throws Exception {
        RawClient.Head head = rawHandshake(
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertEquals(101, head.status());
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head.header("Sec-WebSocket-Accept"));
        assertEquals("session=abc", head.header("Set-Cookie"));
        assertNull(head.header("Sec-WebSocket-Protocol"));
        assertNull(head.header("Server"));
    }

    @Test
    void largeFragmentedMessagesArriveWhole() throws Exception {
        Client client = new Client();
        java.net.http.WebSocket ws = connectPastGreeting(startApi(), "/ws/big", client);
        String part = "x".repeat(64 * KIB);
        for (int i = 0; i < 8; i++) {
            ws.sendText(part + i, i == 7).get(5, TimeUnit.SECONDS);
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            expected.append(part).append(i);
        }
        assertEquals(expected.toString(), client.next());
        byte[] bytes = new byte[512 * KIB];
        Arrays.fill(bytes, (byte) 7);
        for (int i = 0; i < 4; i++) {
            ws.sendBinary(ByteBuffer.wrap(bytes, i * 128 * KIB, 128 * KIB), i == 3).get(5, TimeUnit.SECONDS);
        }
        assertArrayEquals(bytes, (byte[]) client.next());
    }

    @Test
    void aWebSocketErrorClosesWithItsCode() throws Exception {
        Client client = new Client();
        connectPastGreeting(startApi(), "/ws/bob", client).sendText("bad", true);
        Closed closed = client.closed();
        assertEquals(1007, closed.code());
        assertEquals("bad data", closed.reason());
    }

    @Test
    void anUnhandledExceptionClosesWith1011() throws Exception {
        Client client = new Client();
        connectPastGreeting(startApi(), "/ws/bob", client).sendText("boom", true);
        assertEquals(1011, client.closed().code());
    }

    @Test
    void anOversizedMessageClosesWith1009() throws Exception {
        Client client = new Client();
        connectPastGreeting(startApi(), "/ws/big", client).sendBinary(ByteBuffer.allocate(2 * 1024 * KIB), true);
        assertEquals(1009, client.closed().code());
        WebSocketMessage end = ends.poll(5, TimeUnit.SECONDS);
        assertInstanceOf(WebSocketMessage.Close.class, end);
        assertEquals(1009, ((WebSocketMessage.Close) end).code());
    }

    @Test
    void refusedHandshakesAreHttpErrors() throws Exception {
        Server server = startApi();
        assertEquals(403, handshakeStatus(server, "/http"));
        assertEquals(404, handshakeStatus(server, "/nowhere"));
        assertEquals("plain GET", new String(CLIENT.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/ws/x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8));
    }

    @Test
    void anInvalidHandshakeIsNotUpgraded() throws Exception {
        RawClient.Head head = rawHandshake("Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n");
        assertTrue(head.status() >= 400, "status " + head.status());
    }

    @Test
    void closingTheServerClosesOpenConnectionsWith1001() throws Exception {
        Server server = startApi();
        Client client = new Client();
        connectPastGreeting(server, "/ws/carl", client);
        long started = System.nanoTime();
        server.close();
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "close took too long");
        assertEquals(1001, client.closed().code());
        assertEquals(1001, ((WebSocketMessage.Close) ends.poll(5, TimeUnit.SECONDS)).code());
    }

    @Test
    void aClientThatVanishesEndsTheConnectionWith1006() throws Exception {
        connectPastGreeting(startApi(), "/ws/dan", new Client()).abort();
        // the view's receive returns the close, or, if it was still sending the greeting, the send fails
        WebSocketMessage.Close end = (WebSocketMessage.Close) ends.poll(5, TimeUnit.SECONDS);
        assertEquals(1006, end == null ? 0 : end.code(), String.valueOf(end));
    }

    @Test
    void aConnectionAtTheSpiLevel() throws Exception {
        CompletableFuture<List<Object>> seen = new CompletableFuture<>();
        Server server = start((req, resp) -> {
            List<Object> results = new ArrayList<>();
            try {
                WebSocketConnection connection = resp.upgradeToWebSocket(null);
                results.add(resp.isCommitted());
                assertThrows(IllegalStateException.class, () -> resp.open(0));
                results.add(connection.subprotocol());
                results.add(assertThrows(SocketTimeoutException.class, () -> connection.receive(Duration.ofMillis(100))).getClass());
                connection.sendText("ready");
                results.add(connection.receive(Duration.ofSeconds(5)));
                connection.close(4001, "server done");
                connection.close(1000, "again");
                results.add(assertThrows(IOException.class, () -> connection.sendText("late")) != null);
                results.add(connection.receive(Duration.ofSeconds(5)));
                results.add(connection.receive(null));
                seen.complete(results);
            } catch (Throwable t) {
                seen.completeExceptionally(t);
            }
        });
        Client client = new Client();
        java.net.http.WebSocket ws = connect(server, "/", client);
        assertEquals("ready", client.next());
        ws.sendText("one", true).get(5, TimeUnit.SECONDS);
        Closed closed = client.closed();
        assertEquals(4001, closed.code());
        assertEquals("server done", closed.reason());
        // the JDK client answers a close with the same code and no reason
        assertEquals(List.of(true, "null", SocketTimeoutException.class, new WebSocketMessage.Text("one"), true,
                new WebSocketMessage.Close(4001, ""), new WebSocketMessage.Close(4001, "")),
                seen.get(10, TimeUnit.SECONDS).stream().map(o -> o == null ? "null" : o).toList());
    }

    @Test
    void aConnectionLeftOpenIsClosedWhenTheHandlerEnds() throws Exception {
        Server server = start((req, resp) -> {
            resp.upgradeToWebSocket(null).sendText("bye");
            if (req.rawPath().equals("/fail")) {
                throw new IllegalStateException("handler bug after the upgrade");
            }
        });
        Client returned = new Client();
        connect(server, "/return", returned);
        assertEquals("bye", returned.next());
        assertEquals(1000, returned.closed().code());
        Client failed = new Client();
        connect(server, "/fail", failed);
        assertEquals("bye", failed.next());
        assertEquals(1011, failed.closed().code());
    }

    @Test
    void aSlowReaderOnEitherSideMakesTheOtherWait() throws Exception {
        int count = 300;
        byte[] payload = new byte[64 * KIB];
        CountDownLatch startReading = new CountDownLatch(1);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Integer> received = new CompletableFuture<>();
        Server server = start((req, resp) -> {
            WebSocketConnection connection = resp.upgradeToWebSocket(null);
            for (int i = 0; i < count; i++) {
                connection.sendBinary(ByteBuffer.wrap(payload));
                sent.incrementAndGet();
            }
            startReading.await();
            int messages = 0;
            while (connection.receive(Duration.ofSeconds(10)) instanceof WebSocketMessage.Binary) {
                messages++;
            }
            received.complete(messages);
        });
        Client client = new Client(false);
        java.net.http.WebSocket ws = connect(server, "/", client);
        Thread.sleep(1000);
        assertTrue(sent.get() < count, "the server sent everything to a client that does not read");
        ws.request(Long.MAX_VALUE);
        for (int i = 0; i < count; i++) {
            Object message = client.messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "message " + i + " did not arrive; the server had sent " + sent.get());
            assertEquals(payload.length, ((byte[]) message).length);
        }
        assertEquals(count, sent.get());

        List<CompletableFuture<java.net.http.WebSocket>> sends = new ArrayList<>();
        CompletableFuture<java.net.http.WebSocket> previous = CompletableFuture.completedFuture(ws);
        for (int i = 0; i < count; i++) {
            previous = previous.thenCompose(w -> w.sendBinary(ByteBuffer.wrap(payload), true));
            sends.add(previous);
        }
        Thread.sleep(1000);
        assertFalse(sends.getLast().isDone(), "the server read everything while its handler did not receive");
        startReading.countDown();
        sends.getLast().get(10, TimeUnit.SECONDS);
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertEquals(count, received.get(10, TimeUnit.SECONDS));
    }

    /**
     * Sends an upgrade request for {@code /ws/raw} to a fresh API over a raw socket, and reads the response head.
     *
     * @param rest the request's header lines after {@code Connection: Upgrade}, and the blank line
     */
    private RawClient.Head rawHandshake(String rest) throws IOException {
        try (RawClient raw = RawClient.connect(startApi().port())) {
            raw.send("GET /ws/raw HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + rest);
            return raw.readHead();
        }
    }

    private int handshakeStatus(Server server, String path) throws InterruptedException {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> connect(server, path, new Client()));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        assertNotEquals(101, handshake.getResponse().statusCode());
        return handshake.getResponse().statusCode();
    }

    private static java.net.http.WebSocket connect(Server server, String path, Client client, String... subprotocols)
            throws Exception {
        java.net.http.WebSocket.Builder builder = CLIENT.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .header("X-Test", "from-test");
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), client).get(5, TimeUnit.SECONDS);
    }

    /** Connects, then waits for the view's greeting, which it leaves unchecked. */
    private static java.net.http.WebSocket connectPastGreeting(Server server, String path, Client client) throws Exception {
        java.net.http.WebSocket ws = connect(server, path, client);
        client.next();
        return ws;
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 50 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private record Closed(int code, String reason) {
    }

    /** Collects whole messages (String or byte[]) and the close; reads as it goes unless told not to. */
    private static final class Client implements java.net.http.WebSocket.Listener {
        private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private final boolean reading;
        private StringBuilder text = new StringBuilder();
        private ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Client() {
            this(true);
        }

        Client(boolean reading) {
            this.reading = reading;
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 10 s");
            }
            return message;
        }

        Closed closed() throws Exception {
            return closed.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void onOpen(java.net.http.WebSocket ws) {
            readOn(ws);
        }

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            return fragmentReceived(ws, last, () -> {
                String message = text.toString();
                text = new StringBuilder();
                return message;
            });
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
            return fragmentReceived(ws, last, () -> {
                byte[] message = bytes.toByteArray();
                bytes = new ByteArrayOutputStream();
                return message;
            });
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        /** Queues the whole message once its last fragment has come, then asks for the next one. */
        private CompletionStage<?> fragmentReceived(java.net.http.WebSocket ws, boolean last, Supplier<Object> message) {
            if (last) {
                messages.add(message.get());
            }
            readOn(ws);
            return null;
        }

        private void readOn(java.net.http.WebSocket ws) {
            if (reading) {
                ws.request(1);
            }
        }
    }
}
