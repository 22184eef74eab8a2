package dev.sequin.spi;

import java.io.IOException;

/**
 * The response side of an exchange: a status and headers, then at most one body.
 *
 * <p>Commit rule: nothing reaches the client until {@link #open(long)} is called; from then on
 * the status and headers are sent and may no longer change ({@link #setStatus(int)} throws
 * {@link IllegalStateException}, and changes to {@link #headers()} are ignored).
 *
 * <p>The backend adds {@code Content-Length} or {@code Transfer-Encoding: chunked} itself,
 * from the length given to {@code open}; handlers must not set either. For a {@code HEAD}
 * request the backend sends the headers a {@code GET} would get, {@code Content-Length}
 * included, and discards any bytes written.
 *
 * <pre>{@code
 * resp.setStatus(201);
 * resp.headers().set("Content-Type", "text/plain; charset=utf-8");
 * BodySink sink = resp.open(-1);              // chunked: length unknown
 * sink.write("made");
 * sink.flush();
 * sink.close();                               // the body is complete
 * }</pre>
 */
public interface ServerResponse {

    /**
     * Sets the status code; the default is 200.
     *
     * @param status a status code from 100 to 999
     * @throws IllegalStateException once the response is committed
     */
    void setStatus(int status);

    /** @return the status code set so far */
    int status();

    /** @return the response headers; mutable until the response is committed */
    Headers headers();

    /**
     * Commits the status and headers and opens the body. Call at most once.
     *
     * @param contentLength the exact number of bytes the body will have, or {@code -1} for a
     *                      body of unknown length sent chunked
     * @return the sink to write the body to; closing it completes the response
     * @throws IOException           if the client has gone away
     * @throws IllegalStateException if the body was opened before
     */
    BodySink open(long contentLength) throws IOException;

    /** @return whether the status and headers were sent (that is, {@link #open(long)} was called) */
    boolean isCommitted();

    /**
     * Accepts the request's WebSocket upgrade: sends the {@code 101} handshake response, with the
     * headers set so far and the subprotocol if one is given, and returns the connection. The
     * caller has checked that the request asks for an upgrade; the server library validates the
     * handshake itself and throws if it is not a valid one. After this, {@link #open(long)} must
     * not be called; the connection lives until it is closed or {@code handle} returns (then the
     * backend closes it with {@code 1000} if it is still open).
     *
     * <p>Backends without WebSocket support keep this default, which refuses; the TCK's WebSocket
     * cases are then declared unsupported rather than failed.
     *
     * @param subprotocol one of the subprotocols the client offered, or {@code null}
     * @return the open connection
     * @throws IOException                   if the handshake fails
     * @throws UnsupportedOperationException if the backend does not support WebSocket
     * @throws IllegalStateException         if the response is committed
     */
    default WebSocketConnection upgradeToWebSocket(String subprotocol) throws IOException {
        throw new UnsupportedOperationException("this backend does not support WebSocket");
    }
}
