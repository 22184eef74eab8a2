package dev.sequin.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A WebSocket connection after the handshake, from {@link ServerResponse#upgradeToWebSocket}.
 *
 * <p>Blocking, like the rest of the SPI: sends block while the peer is slow, and
 * {@link #receive(Duration)} blocks the calling virtual thread until a whole message arrives.
 * The server library does the framing: it reassembles fragmented messages, answers pings, and
 * closes with {@code 1009} a message larger than 1 MiB (every backend's limit for now).
 * One thread receives at a time; sends may come from another thread, one at a time.
 *
 * <pre>{@code
 * WebSocketConnection ws = resp.upgradeToWebSocket(null);
 * while (ws.receive(Duration.ofMinutes(5)) instanceof WebSocketMessage.Text(String text)) {
 *     ws.sendText("echo: " + text);
 * }
 * ws.close(1000, "bye");
 * }</pre>
 */
public interface WebSocketConnection extends Closeable {

    /**
     * Sends a text message.
     *
     * @param text the message
     * @throws IOException once the connection is closed or broken
     */
    void sendText(String text) throws IOException;

    /**
     * Sends a binary message, consuming the buffer.
     *
     * @param data the message
     * @throws IOException once the connection is closed or broken
     */
    void sendBinary(ByteBuffer data) throws IOException;

    /**
     * Waits for the next whole message.
     *
     * @param timeout how long to wait; {@code null} waits as long as the connection lives
     * @return the message, or {@link WebSocketMessage.Close} once the peer closed (or the
     *         connection broke: code {@code 1006}); every later call returns the same close
     * @throws java.net.SocketTimeoutException when the timeout passes first
     * @throws IOException                      if the connection fails otherwise
     */
    WebSocketMessage receive(Duration timeout) throws IOException;

    /**
     * Starts the closing handshake, or completes it when the peer started it. Idempotent.
     *
     * @param code   the close code, for example {@code 1000}
     * @param reason a short reason (at most 123 bytes of UTF-8)
     * @throws IOException if the connection is broken
     */
    void close(int code, String reason) throws IOException;

    /** Closes with {@code 1000}. @throws IOException if the connection is broken */
    @Override
    default void close() throws IOException {
        close(1000, "");
    }

    /** @return the subprotocol agreed in the handshake, or {@code null} */
    String subprotocol();
}
