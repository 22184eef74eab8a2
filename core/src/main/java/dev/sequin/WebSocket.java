package dev.sequin;

import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket connection as a view sees it in {@link View#onWs}: accept the handshake, then send
 * and receive whole messages, blocking on the request's virtual thread.
 *
 * <p>Until {@link #accept()} is called nothing is sent; a view that returns without accepting
 * refuses the connection with {@code 403}. Once the view returns, an open connection is closed
 * with {@code 1000}. The server library answers pings, reassembles fragmented messages and closes
 * with {@code 1009} a message over the size limit.
 *
 * <pre>{@code
 * @Route("/echo")
 * class Echo implements View {
 *     public void onWs(WebSocket ws) throws Exception {
 *         ws.accept();
 *         while (true) {
 *             ws.send("echo: " + ws.receiveText());     // WebSocketClosed ends the loop
 *         }
 *     }
 * }
 * }</pre>
 */
public final class WebSocket {

    private final Request request;
    private final Response response;
    private final ServerResponse out;
    private WebSocketConnection connection;

    WebSocket(Request request, Response response, ServerResponse out) {
        this.request = request;
        this.response = response;
        this.out = out;
    }

    /** @return the subprotocols the client offered, in its order of preference */
    public List<String> subprotocols() {
        List<String> offered = new ArrayList<>();
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String protocol : header.split(",")) {
                if (!protocol.isBlank()) {
                    offered.add(protocol.trim());
                }
            }
        }
        return offered;
    }

    /**
     * Accepts the connection without a subprotocol. Headers the hooks or the view set on the
     * response (cookies included) go with the handshake.
     *
     * @return this
     * @throws IOException if the handshake fails
     */
    public WebSocket accept() throws IOException {
        return accept(null);
    }

    /**
     * Accepts the connection with one of the subprotocols the client offered.
     *
     * @param subprotocol the chosen subprotocol, or {@code null}
     * @return this
     * @throws HttpError               400 if the server library finds the handshake invalid
     * @throws IOException              if the connection fails during the handshake
     * @throws IllegalArgumentException if the client did not offer that subprotocol
     * @throws IllegalStateException    if already accepted
     */
    public WebSocket accept(String subprotocol) throws IOException {
        if (connection != null) {
            throw new IllegalStateException("the WebSocket is already accepted");
        }
        if (subprotocol != null && !subprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("the client did not offer subprotocol '" + subprotocol + "'; it offered " + subprotocols());
        }
        response.copyHeadersTo(out.headers());
        try {
            connection = out.upgradeToWebSocket(subprotocol);
        } catch (IOException invalid) {
            if (out.isCommitted()) {
                throw invalid;
            }
            out.headers().clear();
            throw new HttpError(400, "Bad WebSocket handshake: " + invalid.getMessage());
        }
        return this;
    }

    /** @return whether {@link #accept()} was called */
    public boolean accepted() {
        return connection != null;
    }

    /** @return the subprotocol agreed, or {@code null} */
    public String subprotocol() {
        return open().subprotocol();
    }

    /** @param text a text message to send @throws IOException once the connection is closed */
    public void send(String text) throws IOException {
        open().sendText(text);
    }

    /** @param bytes a binary message to send @throws IOException once the connection is closed */
    public void send(byte[] bytes) throws IOException {
        open().sendBinary(ByteBuffer.wrap(bytes));
    }

    /**
     * Waits for the next message, which must be text.
     *
     * @return the text
     * @throws WebSocketClosed once the client has closed
     * @throws WebSocketError  1003 if a binary message arrives
     * @throws IOException     if the connection fails
     */
    public String receiveText() throws IOException {
        return receiveText(null);
    }

    /**
     * Waits at most {@code timeout} for the next message, which must be text.
     *
     * @param timeout how long to wait, or {@code null} for as long as it takes
     * @return the text
     * @throws java.net.SocketTimeoutException when the timeout passes first
     * @throws WebSocketClosed                 once the client has closed
     * @throws WebSocketError                  1003 if a binary message arrives
     * @throws IOException                     if the connection fails
     */
    public String receiveText(Duration timeout) throws IOException {
        return switch (receive(timeout)) {
            case WebSocketMessage.Text(String text) -> text;
            case WebSocketMessage.Binary binary -> throw new WebSocketError(1003, "expected a text message");
            case WebSocketMessage.Close(int code, String reason) -> throw new WebSocketClosed(code, reason);
        };
    }

    /**
     * Waits for the next message, which must be binary.
     *
     * @return the bytes
     * @throws WebSocketClosed once the client has closed
     * @throws WebSocketError  1003 if a text message arrives
     * @throws IOException     if the connection fails
     */
    public byte[] receiveBytes() throws IOException {
        return receiveBytes(null);
    }

    /**
     * Waits at most {@code timeout} for the next message, which must be binary.
     *
     * @param timeout how long to wait, or {@code null} for as long as it takes
     * @return the bytes
     * @throws java.net.SocketTimeoutException when the timeout passes first
     * @throws WebSocketClosed                 once the client has closed
     * @throws WebSocketError                  1003 if a text message arrives
     * @throws IOException                     if the connection fails
     */
    public byte[] receiveBytes(Duration timeout) throws IOException {
        return switch (receive(timeout)) {
            case WebSocketMessage.Binary(ByteBuffer data) -> {
                byte[] bytes = new byte[data.remaining()];
                data.duplicate().get(bytes);
                yield bytes;
            }
            case WebSocketMessage.Text text -> throw new WebSocketError(1003, "expected a binary message");
            case WebSocketMessage.Close(int code, String reason) -> throw new WebSocketClosed(code, reason);
        };
    }

    /**
     * Waits for the next message of any kind, or the close.
     *
     * @param timeout how long to wait, or {@code null} for as long as it takes
     * @return the message
     * @throws IOException if the connection fails or the timeout passes
     */
    public WebSocketMessage receive(Duration timeout) throws IOException {
        return open().receive(timeout);
    }

    /**
     * Closes the connection.
     *
     * @param code   the close code, for example {@code 1000}
     * @param reason a short reason
     * @throws IOException if the connection is broken
     */
    public void close(int code, String reason) throws IOException {
        open().close(code, reason == null ? "" : truncate(reason));
    }

    /** @return the request that opened the connection */
    public Request request() {
        return request;
    }

    /** @return the path parameters */
    public Map<String, Object> params() {
        return request.params();
    }

    /** @param name a parameter name @return its converted value, or {@code null} */
    public Object param(String name) {
        return request.param(name);
    }

    /** @return the request's state, shared with the hooks */
    public Map<String, Object> state() {
        return request.state();
    }

    /** @param type a component class @param <T> its type @return the component */
    public <T> T use(Class<T> type) {
        return request.use(type);
    }

    /** Closes an accepted connection still open when the view returns. */
    void finish(int code, String reason) {
        if (connection != null) {
            try {
                connection.close(code, truncate(reason));
            } catch (IOException alreadyGone) {
                // the client went away first: nothing to close
            }
        }
    }

    private WebSocketConnection open() {
        if (connection == null) {
            throw new IllegalStateException("accept() the WebSocket first");
        }
        return connection;
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        String cut = new String(bytes, 0, 123, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
