package dev.sequin.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * WebSocket views over the wire, driven by the JDK's WebSocket client: echo, fragments, close
 * codes both ways, errors, the size limit, refused handshakes, subprotocols, hooks, disconnects
 * and server shutdown. Needs {@link Capability#WEBSOCKET}.
 */
public interface WebSocketContract extends TckContext {

    /** What the client end received, in order: text, bytes, or the close. */
    final class Received implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(1006);
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no WebSocket message within 10 s");
            }
            return message;
        }

        int closeCode() throws Exception {
            return closed.get(10, TimeUnit.SECONDS);
        }
    }

    private WebSocket open(String path, Received received, String... subprotocols) throws Exception {
        WebSocket.Builder builder = http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(webSocketUri(path), received).get(10, TimeUnit.SECONDS);
    }

    /** Opens {@code /ws/echo/{id}} and waits for the view's greeting, which it leaves unchecked. */
    private WebSocket openEchoPastGreeting(String id, Received received) throws Exception {
        WebSocket ws = open("/ws/echo/" + id, received);
        received.next();
        return ws;
    }

    /** Sends one text message to a fresh echo view, past its greeting, and returns the close code that follows. */
    private int closeCodeAfterSending(String text) throws Exception {
        Received received = new Received();
        openEchoPastGreeting(newId(), received).sendText(text, true).get(5, TimeUnit.SECONDS);
        return received.closeCode();
    }

    /** Waits, at most {@code limit}, until the echo view of {@code id} has ended (its after-hook counted it). */
    private void awaitViewEnd(String id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (app().probes().counter(id).get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private java.net.URI webSocketUri(String target) {
        return java.net.URI.create("ws://" + host() + ":" + port() + path(target));
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketEchoesTextAndBinary() throws Exception {
        Received received = new Received();
        WebSocket ws = open("/ws/echo/" + newId(), received);
        assertEquals("hello before", received.next());
        ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertEquals("echo: hi", received.next());
        ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, (byte) 255}), true).get(5, TimeUnit.SECONDS);
        assertTrue(java.util.Arrays.equals(new byte[] {0, 1, (byte) 255}, (byte[]) received.next()));
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals(1000, received.closeCode());
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketReassemblesALargeFragmentedMessage() throws Exception {
        Received received = new Received();
        WebSocket ws = openEchoPastGreeting(newId(), received);
        String part = "x".repeat(64 * 1024);
        for (int i = 0; i < 8; i++) {
            ws.sendText(part, i == 7).get(5, TimeUnit.SECONDS);
        }
        assertEquals("length " + 8 * part.length(), received.next());
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    @Requires({Capability.WEBSOCKET, Capability.IN_PROCESS})
    default void webSocketClientCloseReachesTheViewAndHooksRunAround() throws Exception {
        String id = newId();
        Received received = new Received();
        openEchoPastGreeting(id, received).sendClose(4321, "client leaves").get(5, TimeUnit.SECONDS);
        received.closeCode();
        awaitViewEnd(id, Duration.ofSeconds(5));
        assertEquals(4321, app().probes().counter(id + "-close").get(), "the view saw the client's close code");
        assertEquals(1, app().probes().counter(id).get(), "the after-hook ran once the view returned");
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketViewClosesWithItsCode() throws Exception {
        assertEquals(4001, closeCodeAfterSending("close"));
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketErrorsCloseWith1007Or1011() throws Exception {
        assertEquals(1007, closeCodeAfterSending("bad data"));
        assertEquals(1011, closeCodeAfterSending("bug"));
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketMessageOverTheLimitCloses1009() throws Exception {
        Received received = new Received();
        openEchoPastGreeting(newId(), received).sendBinary(ByteBuffer.allocate(2 * 1024 * 1024), true);
        assertEquals(1009, received.closeCode());
    }

    @Test
    @Requires({Capability.WEBSOCKET, Capability.SOCKET})
    default void anInvalidWebSocketHandshakeIs400() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/ws/echo/" + newId(), "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Version: 13"), "GET");
            assertEquals(400, r.status(), "a handshake without Sec-WebSocket-Key is refused by the server library");
            assertTrue(r.headers("Sec-WebSocket-Accept").isEmpty(), "no upgrade happened");
        }
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketHandshakeIsRefusedOnOtherRoutes() throws Exception {
        for (var expected : List.of(java.util.Map.entry("/ws/plain", 403), java.util.Map.entry("/ws/nowhere/at/all", 404))) {
            CompletableFuture<WebSocket> attempt = http().newWebSocketBuilder()
                    .buildAsync(webSocketUri(expected.getKey()), new Received());
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> attempt.get(10, TimeUnit.SECONDS));
            Throwable cause = failed.getCause() instanceof CompletionException c ? c.getCause() : failed.getCause();
            WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, cause);
            assertEquals((int) expected.getValue(), handshake.getResponse().statusCode(), expected.getKey());
        }
    }

    @Test
    @Requires(Capability.WEBSOCKET)
    default void webSocketNegotiatesASubprotocol() throws Exception {
        Received received = new Received();
        WebSocket ws = open("/ws/echo/" + newId(), received, "tck.v1", "tck.v2");
        assertEquals("tck.v2", ws.getSubprotocol());
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    @Requires({Capability.WEBSOCKET, Capability.IN_PROCESS})
    default void webSocketAbruptDisconnectEndsTheView() throws Exception {
        String id = newId();
        openEchoPastGreeting(id, new Received()).abort();
        awaitViewEnd(id, Duration.ofSeconds(10));
        assertEquals(1006, app().probes().counter(id + "-close").get(), "the view saw the connection break");
    }

    @Test
    @Requires({Capability.WEBSOCKET, Capability.IN_PROCESS, Capability.SOCKET})
    default void webSocketsAreClosedWith1001WhenTheServerStops() throws Exception {
        try (OwnServer own = OwnServer.start(host(), this::start)) {
            Received received = new Received();
            http().newWebSocketBuilder().buildAsync(java.net.URI.create("ws://" + host() + ":" + own.port() + "/ws/echo/" + newId()),
                    received).get(10, TimeUnit.SECONDS);
            received.next();
            Thread closer = own.beginClose();
            assertEquals(1001, received.closeCode());
            closer.join(Duration.ofSeconds(15));
        }
    }
}
