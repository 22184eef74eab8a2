package dev.sequin;

import java.io.IOException;

/**
 * Thrown by a {@link WebSocket}'s receive methods once the client has closed the connection (or
 * it broke: code {@code 1006}). Letting it escape {@link View#onWs} ends the view normally.
 *
 * <pre>{@code
 * try {
 *     while (true) ws.send(ws.receiveText());
 * } catch (WebSocketClosed closed) {
 *     log("client left with " + closed.code());
 * }
 * }</pre>
 */
public class WebSocketClosed extends IOException {

    private static final long serialVersionUID = 1L;

    private final int code;

    /** @param code the close code the client sent @param reason the reason it gave */
    public WebSocketClosed(int code, String reason) {
        super("WebSocket closed: " + code + (reason == null || reason.isEmpty() ? "" : " " + reason));
        this.code = code;
    }

    /** @return the close code the client sent ({@code 1005} for none, {@code 1006} if the connection broke) */
    public int code() {
        return code;
    }
}
