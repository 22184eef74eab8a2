package dev.sequin.spi;

import java.nio.ByteBuffer;

/**
 * What {@link WebSocketConnection#receive} returns: a whole text or binary message, or the end.
 *
 * <pre>{@code
 * switch (ws.receive(null)) {
 *     case WebSocketMessage.Text(String text) -> ws.sendText(text);
 *     case WebSocketMessage.Binary(ByteBuffer data) -> ws.sendBinary(data);
 *     case WebSocketMessage.Close(int code, String reason) -> System.out.println("closed " + code);
 * }
 * }</pre>
 */
public sealed interface WebSocketMessage {

    /** @param text a text message */
    record Text(String text) implements WebSocketMessage {
    }

    /** @param data a binary message, read-only */
    record Binary(ByteBuffer data) implements WebSocketMessage {
    }

    /**
     * @param code   the close code the peer sent, {@code 1005} when it sent none, {@code 1006}
     *               when the connection broke without a close frame
     * @param reason the reason it gave, or empty
     */
    record Close(int code, String reason) implements WebSocketMessage {
    }
}
