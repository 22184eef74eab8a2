package dev.sequin.jetty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.BufferedBodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.WebSocketConnection;
import java.io.IOException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The SPI response over a Jetty {@link Response}. Status and headers stay here until
 * {@link #open(long)}, which copies them to Jetty, adds {@code Content-Length} itself (never for
 * 1xx, 204 and 304) and hands out the {@link JettyBodySink}; Jetty chooses chunked encoding when
 * no length is given. For a request served on Jetty's own thread ({@link HttpHandler#isNonBlocking})
 * the body is kept in a {@link BufferedBodySink} instead and leaves in one write at the end.
 */
final class JettyResponse implements ServerResponse {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Limits limits;
    private final boolean buffered;
    private final Headers headers = new Headers();
    private int status = 200;
    private BodySink sink;
    private JettyWebSocket webSocket;

    /**
     * @param buffered whether the body is kept in a {@link BufferedBodySink} for a non-blocking
     *                 request, to be sent by {@link #sendBuffered}; else it is sent as written
     */
    JettyResponse(Request request, Response response, Callback callback, Limits limits, boolean buffered) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.limits = limits;
        this.buffered = buffered;
    }

    @Override
    public void setStatus(int status) {
        if (isCommitted()) {
            throw new IllegalStateException("the response is committed; the status can no longer change");
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be from 100 to 999, not " + status);
        }
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public BodySink open(long contentLength) {
        if (isCommitted()) {
            throw new IllegalStateException(webSocket != null ? "the response was upgraded to WebSocket" : "the body was already opened");
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 or more, not " + contentLength);
        }
        boolean bodiless = status < 200 || status == 204 || status == 304;
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        headers.forEach((name, value) -> {
            if (!HttpHeader.CONTENT_LENGTH.is(name) && !HttpHeader.TRANSFER_ENCODING.is(name)) {
                fields.add(name, value);
            }
        });
        long announced = bodiless ? -1 : contentLength;
        if (announced >= 0) {
            fields.put(HttpHeader.CONTENT_LENGTH, announced);
        }
        if (buffered) {
            sink = new BufferedBodySink(announced, bodiless || head);
        } else {
            sink = bodiless || head
                    ? JettyBodySink.discarding(response, announced, limits)
                    : JettyBodySink.sending(response, announced, limits);
        }
        return sink;
    }

    @Override
    public boolean isCommitted() {
        return sink != null || webSocket != null;
    }

    /**
     * Upgrades with Jetty's core WebSocket; the handshake completes the exchange's Jetty callback,
     * so {@link SequinJettyHandler} leaves it alone afterwards (see {@link #finishWebSocket}).
     */
    @Override
    public WebSocketConnection upgradeToWebSocket(String subprotocol) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("the response is committed; it can no longer be upgraded");
        }
        webSocket = JettyWebSocket.upgrade(request, response, callback, headers, subprotocol);
        return webSocket;
    }

    /**
     * Ends an upgraded exchange after the handler returned or threw: closes the WebSocket with
     * {@code 1000}, or {@code 1011} on failure, if it is still open.
     *
     * @param failure what the handler threw, or {@code null}
     * @return whether the exchange was upgraded; if so its Jetty callback is already completed
     */
    boolean finishWebSocket(Throwable failure) {
        if (webSocket == null) {
            return false;
        }
        webSocket.finish(failure);
        return true;
    }

    /**
     * Completes the response after the handler returned: an empty body if none was opened, and
     * the sink closed.
     *
     * @throws IOException if the client has gone away or the body was shorter than announced
     */
    void finish() throws IOException {
        if (sink == null) {
            open(0);
        }
        sink.close();
    }

    /**
     * Sends a buffered response, head and body in one write, without waiting: Jetty completes the
     * exchange's callback once the bytes are written. Call after {@link #finish()}.
     */
    void sendBuffered() {
        response.write(true, ((BufferedBodySink) sink).body(), callback);
    }

    /**
     * @param failure what the handler threw
     * @return whether it is (or follows) a write that failed because the client went away
     */
    boolean isPeerGone(Throwable failure) {
        return sink instanceof JettyBodySink sending && sending.failedWriting() && failure instanceof IOException;
    }
}
