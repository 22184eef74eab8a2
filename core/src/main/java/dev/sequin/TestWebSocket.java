package dev.sequin;

import dev.sequin.spi.Headers;
import dev.sequin.spi.WebSocketMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The client end of an in-memory WebSocket opened by {@link TestClient#websocket(String)}.
 * Receives wait at most five seconds unless given a timeout, so a test never hangs.
 *
 * <pre>{@code
 * try (TestWebSocket ws = client.websocket("/echo")) {
 *     ws.send("hi");
 *     assertEquals("echo: hi", ws.receiveText());
 * }
 * }</pre>
 */
public final class TestWebSocket implements AutoCloseable {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final InMemoryWebSocket connection;
    private final Headers handshake;
    private final Thread server;

    TestWebSocket(InMemoryWebSocket connection, Headers handshake, Thread server) {
        this.connection = connection;
        this.handshake = handshake;
        this.server = server;
    }

    /** @return the headers of the handshake response */
    public Headers headers() {
        return handshake;
    }

    /** @return the subprotocol the view accepted, or {@code null} */
    public String subprotocol() {
        return connection.subprotocol();
    }

    /** @param text a text message @throws IOException once closed */
    public void send(String text) throws IOException {
        connection.sendText(text);
    }

    /** @param bytes a binary message @throws IOException once closed */
    public void send(byte[] bytes) throws IOException {
        connection.sendBinary(ByteBuffer.wrap(bytes));
    }

    /** @return the next message or the close, within five seconds @throws IOException on timeout */
    public WebSocketMessage receive() throws IOException {
        return connection.receive(DEFAULT_WAIT);
    }

    /** @param timeout how long to wait @return the next message or the close @throws IOException on timeout */
    public WebSocketMessage receive(Duration timeout) throws IOException {
        return connection.receive(timeout);
    }

    /** @return the next message, which must be text @throws IOException on timeout, close or another kind */
    public String receiveText() throws IOException {
        WebSocketMessage message = receive();
        if (message instanceof WebSocketMessage.Text(String text)) {
            return text;
        }
        throw new IOException("expected a text message, got " + message);
    }

    /** @return the next message, which must be binary @throws IOException on timeout, close or another kind */
    public byte[] receiveBytes() throws IOException {
        WebSocketMessage message = receive();
        if (message instanceof WebSocketMessage.Binary(ByteBuffer data)) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        }
        throw new IOException("expected a binary message, got " + message);
    }

    /** @param code a close code @param reason a reason @throws IOException if broken */
    public void close(int code, String reason) throws IOException {
        connection.close(code, reason);
    }

    /** Breaks the connection with no closing handshake, as a client that vanishes: the view receives {@code 1006}. */
    public void abort() {
        connection.abort();
    }

    /** Closes with {@code 1000} and waits (at most five seconds) for the view to finish. */
    @Override
    public void close() {
        connection.close(1000, "");
        try {
            server.join(DEFAULT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
