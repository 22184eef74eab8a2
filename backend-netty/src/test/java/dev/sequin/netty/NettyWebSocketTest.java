package dev.sequin.netty;

import dev.sequin.Api;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;
import dev.sequin.WebSocketError;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket on the Netty backend, driven by the JDK's WebSocket client and by hand. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NettyWebSocketTest {

    /** What the JDK client's listener saw: whole messages, pongs, the close, an error. */
    record Closed(int code, String reason) {
    }

    record Pong(String data) {
    }

    /** Collects whole messages; asks for the next one only while {@code reading}. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean reading = true;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            next(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            bytes.writeBytes(part);
            if (last) {
                events.add(bytes.toByteArray());
                bytes.reset();
            }
            next(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            events.add(new Pong(StandardCharsets.UTF_8.decode(message).toString()));
            next(ws);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            events.add(new Closed(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add(error);
        }

        Object next() throws InterruptedException {
            Object event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no WebSocket event within 10 s");
            return event;
        }

        private void next(WebSocket ws) {
            if (reading) {
                ws.request(1);
            }
        }
    }

    /** Accepts (with "chat" if offered), echoes text and binary, records the close it receives. */
    final class Echo implements View {
        @Override
        public void onWs(dev.sequin.WebSocket ws) throws Exception {
            ws.accept(ws.subprotocols().contains("chat") ? "chat" : null);
            while (true) {
                switch (ws.receive(null)) {
                    case WebSocketMessage.Text(String text) when text.equals("bad") -> throw new WebSocketError(1007, "bad data");
                    case WebSocketMessage.Text(String text) when text.equals("boom") -> throw new IllegalStateException("bug");
                    case WebSocketMessage.Text(String text) -> ws.send(text.length() > 100 ? text : "echo: " + text);
                    case WebSocketMessage.Binary(ByteBuffer data) -> {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        ws.send(bytes);
                    }
                    case WebSocketMessage.Close close -> {
                        received.add(close);
                        return;
                    }
                }
            }
        }
    }

    /** Sends 64 KiB messages until 256 MiB or a failure, counting what the backend accepted. */
    final class Flood implements View {
        @Override
        public void onWs(dev.sequin.WebSocket ws) throws Exception {
            ws.accept();
            byte[] chunk = new byte[64 * 1024];
            try {
                while (sent.get() < 256L * 1024 * 1024) {
                    ws.send(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException gone) {
                received.add("send failed");
            }
        }
    }

    /** Waits for {@code release}, then counts the binary messages until "end" and tells the count. */
    final class Lazy implements View {
        @Override
        public void onWs(dev.sequin.WebSocket ws) throws Exception {
            ws.accept();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            int count = 0;
            while (ws.receive(null) instanceof WebSocketMessage.Binary) {
                count++;
            }
            ws.send("got " + count);
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        http.shutdownNow();
    }

    private Server startApp() throws IOException {
        return startApp(options());
    }

    private Server startApp(ServerOptions options) throws IOException {
        Api api = new Api();
        api.route("/echo", new Echo());
        api.route("/flood", new Flood());
        api.route("/lazy", new Lazy());
        api.route("/plain", new View() {
            @Override
            public void onGet(Request req, Response resp) {
                resp.setText("plain");
            }
        });
        api.beforeRequest((req, resp) -> events.add("before " + req.path()));
        api.afterRequest((req, resp) -> events.add("after " + req.path()));
        server = api.start(new NettyBackend(), options);
        return server;
    }

    private Server start(HttpHandler handler) throws IOException {
        server = new NettyBackend().start(handler, options());
        return server;
    }

    private static ServerOptions options() {
        return ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(3));
    }

    private WebSocket connect(String path, Client client, String... subprotocols) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), client).get(5, TimeUnit.SECONDS);
    }

    @Test
    void echoesTextAndBinaryWithTheChosenSubprotocolBetweenTheHooks() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client, "other", "chat");
        assertEquals("chat", ws.getSubprotocol());
        ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertEquals("echo: hi", client.next());
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) client.next());
        assertEquals(List.of("before /echo"), events);
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals(new WebSocketMessage.Close(1000, "bye"), received.poll(5, TimeUnit.SECONDS));
        assertEquals(new Closed(1000, ""), client.next());
        awaitTrue(() -> events.equals(List.of("before /echo", "after /echo")));
    }

    @Test
    void withoutAMatchingSubprotocolNoneIsChosen() throws Exception {
        startApp();
        WebSocket ws = connect("/echo", new Client(), "other");
        assertEquals("", ws.getSubprotocol());
        ws.abort();
    }

    @Test
    void aLargeFragmentedMessageArrivesWhole() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        StringBuilder whole = new StringBuilder();
        for (int part = 0; part < 8; part++) {
            String text = String.valueOf((char) ('a' + part)).repeat(64 * 1024);
            whole.append(text);
            ws.sendText(text, part == 7).get(5, TimeUnit.SECONDS);
        }
        String echoed = assertInstanceOf(String.class, client.next());
        assertEquals(whole.length(), echoed.length());
        assertTrue(whole.toString().equals(echoed), "the echoed message differs from the one sent");
        ws.sendText("still open", true).get(5, TimeUnit.SECONDS);
        assertEquals("echo: still open", client.next());
    }

    @Test
    void aWebSocketErrorClosesWithItsCode() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        ws.sendText("bad", true).get(5, TimeUnit.SECONDS);
        assertEquals(new Closed(1007, "bad data"), client.next());
    }

    @Test
    void anUnhandledExceptionClosesWith1011() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        ws.sendText("boom", true).get(5, TimeUnit.SECONDS);
        assertEquals(1011, assertInstanceOf(Closed.class, client.next()).code());
    }

    @Test
    void anOversizedMessageClosesWith1009() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        ws.sendText("x".repeat(2 * 1024 * 1024), true);
        assertEquals(1009, assertInstanceOf(Closed.class, client.next()).code());
        assertEquals(1009, assertInstanceOf(WebSocketMessage.Close.class, received.poll(5, TimeUnit.SECONDS)).code());
    }

    @Test
    void anOversizedFragmentedMessageClosesWith1009() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        for (int part = 0; part < 4; part++) {
            try {
                ws.sendBinary(ByteBuffer.wrap(new byte[512 * 1024]), part == 3).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException closed) {
                // past the 1 MiB cap the server may close before the last parts leave
                assertTrue(part >= 2, "a part within the cap failed: " + closed.getCause());
                break;
            }
        }
        assertEquals(1009, assertInstanceOf(Closed.class, client.next()).code());
    }

    @Test
    void pingsAreAnswered() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
        assertEquals(new Pong("are you there"), client.next());
    }

    @Test
    void handshakesAreRefusedWith403WithoutOnWsAnd404ForAnUnknownPath() throws Exception {
        startApp();
        assertEquals(403, refusedStatus("/plain"));
        assertEquals(404, refusedStatus("/nowhere"));
    }

    @Test
    void serverCloseClosesOpenConnectionsWith1001() throws Exception {
        startApp();
        Client client = new Client();
        connect("/echo", client);
        long start = System.nanoTime();
        server.close();
        assertEquals(1001, assertInstanceOf(Closed.class, client.next()).code());
        assertEquals(1001, assertInstanceOf(WebSocketMessage.Close.class, received.poll(5, TimeUnit.SECONDS)).code());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "the close waited for the grace period");
    }

    @Test
    void anAbruptDisconnectEndsReceiveWith1006() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/echo", client);
        ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertEquals("echo: hi", client.next());
        ws.abort();
        assertEquals(new WebSocketMessage.Close(1006, ""), received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void sendsBlockWhileTheClientDoesNotReadAndFailOnceItIsGone() throws Exception {
        startApp();
        Client client = new Client();
        client.reading = false;
        WebSocket ws = connect("/flood", client);
        long stalled = awaitStable(sent);
        assertTrue(stalled < 64L * 1024 * 1024, "the server accepted " + stalled + " bytes for a client that does not read");
        ws.abort();
        assertEquals("send failed", received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aSendStuckPastTheWriteTimeoutFailsAndClosesTheConnection() throws Exception {
        startApp(options().withWriteTimeout(Duration.ofMillis(500)));
        Client client = new Client();
        client.reading = false;
        connect("/flood", client);
        assertEquals("send failed", received.poll(5, TimeUnit.SECONDS));
        assertTrue(sent.get() < 64L * 1024 * 1024, "the server accepted " + sent.get() + " bytes");
    }

    @Test
    void theServerStopsReadingWhileTheHandlerIsBehind() throws Exception {
        startApp();
        Client client = new Client();
        WebSocket ws = connect("/lazy", client);
        int messages = 1024;
        AtomicLong accepted = new AtomicLong();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    ws.sendBinary(ByteBuffer.wrap(new byte[64 * 1024]), true).get(10, TimeUnit.SECONDS);
                    accepted.incrementAndGet();
                }
                ws.sendText("end", true).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                received.add(e);
            }
        });
        long stalled = awaitStable(accepted);
        assertTrue(stalled < messages / 2, "the client could send " + stalled + " messages to a handler that does not read");
        release.countDown();
        assertEquals("got " + messages, client.next());
        sender.join(5000);
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test
    void theBackendClosesWith1000WhenTheHandlerReturns() throws Exception {
        start((req, resp) -> resp.upgradeToWebSocket(null).sendText("bye"));
        Client client = new Client();
        connect("/", client);
        assertEquals("bye", client.next());
        assertEquals(new Closed(1000, ""), client.next());
    }

    @Test
    void receiveTimesOutAndSendsFailAfterClose() throws Exception {
        start((req, resp) -> {
            WebSocketConnection ws = resp.upgradeToWebSocket(null);
            assertThrows(SocketTimeoutException.class, () -> ws.receive(Duration.ofMillis(100)));
            ws.sendText("timed out");
            ws.close(4000, "done");
            ws.close(4001, "ignored");
            received.add(assertThrows(IOException.class, () -> ws.sendText("late")));
            received.add(ws.receive(Duration.ofSeconds(5)));
        });
        Client client = new Client();
        connect("/", client);
        assertEquals("timed out", client.next());
        assertEquals(new Closed(4000, "done"), client.next());
        assertInstanceOf(IOException.class, received.poll(5, TimeUnit.SECONDS));
        assertEquals(new WebSocketMessage.Close(4000, ""), received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void theHandshakeCarriesTheResponseHeadersAndTheSubprotocol() throws Exception {
        start((req, resp) -> {
            resp.headers().set("Set-Cookie", "session=abc");
            resp.upgradeToWebSocket("chat").close();
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: superchat, chat\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertEquals(101, head.status());
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head.header("Sec-WebSocket-Accept"));
            assertEquals("chat", head.header("Sec-WebSocket-Protocol"));
            assertEquals("session=abc", head.header("Set-Cookie"));
            assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8}, raw.readBytes(4), "a close frame with 1000");
        }
    }

    @Test
    void anInvalidHandshakeIsRejectedByTheLibraryBeforeAnythingIsSent() throws Exception {
        start((req, resp) -> {
            try {
                resp.upgradeToWebSocket(null);
            } catch (IOException invalid) {
                assertFalse(resp.isCommitted());
                resp.setStatus(400);
            }
        });
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            assertEquals(400, raw.readResponse().head().status());
        }
    }

    @Test
    void theInboxPausesWhenFullAndResumesAtHalf() throws Exception {
        AtomicLong drained = new AtomicLong();
        WebSocketInbox inbox = new WebSocketInbox(drained::incrementAndGet);
        for (int i = 1; i < WebSocketInbox.CAPACITY; i++) {
            assertFalse(inbox.add(new WebSocketMessage.Text("m" + i)));
        }
        assertTrue(inbox.add(new WebSocketMessage.Text("last")));
        for (int i = 1; i < WebSocketInbox.CAPACITY / 2; i++) {
            assertEquals(new WebSocketMessage.Text("m" + i), inbox.take(null));
        }
        assertEquals(0, drained.get());
        inbox.take(null);
        assertEquals(1, drained.get());
        assertFalse(inbox.paused());
        inbox.end(new WebSocketMessage.Close(1000, ""));
        assertFalse(inbox.add(new WebSocketMessage.Text("after the end")), "dropped");
        for (int i = WebSocketInbox.CAPACITY / 2 + 1; i < WebSocketInbox.CAPACITY; i++) {
            inbox.take(null);
        }
        assertEquals(new WebSocketMessage.Text("last"), inbox.take(null));
        assertEquals(new WebSocketMessage.Close(1000, ""), inbox.take(null));
        assertEquals(new WebSocketMessage.Close(1000, ""), inbox.take(Duration.ofMillis(1)));
    }

    private int refusedStatus(String path) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> connect(path, new Client()));
        return assertInstanceOf(WebSocketHandshakeException.class, failed.getCause()).getResponse().statusCode();
    }

    /** @return the counter's value once it has not moved for half a second */
    private static long awaitStable(AtomicLong counter) throws InterruptedException {
        long last = -1;
        while (counter.get() != last) {
            last = counter.get();
            Thread.sleep(500);
        }
        return last;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 5 s");
            Thread.sleep(10);
        }
    }
}
