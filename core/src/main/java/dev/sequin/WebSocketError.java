package dev.sequin;

/**
 * An error in a WebSocket view that carries the close code and reason the client gets, as
 * {@link HttpError} carries a status: thrown from {@link View#onWs} and not handled, it closes
 * the connection with them.
 *
 * <pre>{@code
 * JsonNode message = parse(ws.receiveText());
 * if (message == null) throw new WebSocketError(1007, "invalid JSON");
 * }</pre>
 */
public class WebSocketError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * @param code   the close code, 1000 to 4999
     * @param reason the reason shown to the client (keep it short: at most 123 bytes are sent)
     */
    public WebSocketError(int code, String reason) {
        super(reason);
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException("a WebSocket close code is from 1000 to 4999, not " + code);
        }
        this.code = code;
    }

    /** @return the close code */
    public int code() {
        return code;
    }
}
