package dev.sequin.undertow;

import dev.sequin.spi.Headers;
import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/**
 * A WebSocket on Undertow: the handshake by Undertow's {@link Hybi13Handshake} on the exchange,
 * then blocking sends and receives over its {@link WebSocketChannel} for the handler's virtual
 * thread.
 *
 * <p>Undertow does the protocol: it checks the handshake, frames and masks, reassembles fragments,
 * answers pings, and closes with {@code 1009} a message over {@link #MAX_WEBSOCKET_MESSAGE_BYTES}.
 * A send hands the whole message to Undertow and parks until Undertow reports it written to the
 * socket, so a client that stops reading blocks the sender instead of filling memory; past the
 * send timeout Undertow closes the connection and the send throws. Receiving is {@link WebSocketInbox}.
 *
 * <p>Closing sends the close frame (answering the peer's, if it closed first); Undertow closes the
 * TCP connection when both close frames have passed, or this class does after
 * {@value #CLOSE_TIMEOUT_SECONDS} s if the peer never answers.
 *
 * <pre>{@code
 * WebSocketConnection ws = UndertowWebSocket.accept(exchange, responseHeaders, "chat");
 * if (ws.receive(Duration.ofSeconds(30)) instanceof WebSocketMessage.Text(String text)) {
 *     ws.sendText("echo: " + text);
 * }
 * ws.close(1000, "bye");
 * }</pre>
 */
final class UndertowWebSocket implements WebSocketConnection {

    /** The largest message, text or binary, a client may send; a larger one is closed with {@code 1009}. */
    static final int MAX_WEBSOCKET_MESSAGE_BYTES = 1024 * 1024;
    /** How long the peer has to answer our close frame before the connection is cut. */
    static final long CLOSE_TIMEOUT_SECONDS = 5;
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
    private static final HttpString CONTENT_LENGTH = io.undertow.util.Headers.CONTENT_LENGTH;
    private static final HttpString TRANSFER_ENCODING = io.undertow.util.Headers.TRANSFER_ENCODING;

    private final WebSocketChannel channel;
    private final WebSocketInbox inbox;
    private final String subprotocol;
    private final long sendTimeoutMillis;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** On the I/O thread, right after the upgrade: starts receiving. */
    private UndertowWebSocket(WebSocketChannel channel, String subprotocol, long sendTimeoutMillis) {
        this.channel = channel;
        this.subprotocol = subprotocol;
        this.sendTimeoutMillis = sendTimeoutMillis;
        this.inbox = new WebSocketInbox(channel);
        channel.addCloseTask(gone -> pending.forEach(send -> send.completeExceptionally(
                new ClosedChannelException())));
        channel.getReceiveSetter().set(inbox);
        channel.resumeReceives();
    }

    /**
     * Performs the handshake on {@code exchange} and returns once the {@code 101} went out.
     *
     * @param exchange    the exchange, not yet committed, dispatched by {@link SequinHandler}
     * @param headers     headers for the {@code 101} response (cookies, for example)
     * @param subprotocol the subprotocol to agree to, or {@code null}
     * @return the open connection
     * @throws IOException if the request is no valid version 13 handshake (nothing was sent
     *                     then), or the client went away during the handshake
     */
    static UndertowWebSocket accept(HttpServerExchange exchange, Headers headers, String subprotocol) throws IOException {
        OpenWebSockets open = exchange.getAttachment(OpenWebSockets.KEY);
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            throw new IOException("a WebSocket handshake must be a GET, not " + exchange.getRequestMethod());
        }
        AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, open.peers());
        Handshake handshake = new Hybi13Handshake();
        if (!handshake.matches(facade)) {
            throw new IOException("not a WebSocket handshake Undertow accepts: it needs Sec-WebSocket-Key"
                    + " and Sec-WebSocket-Version: 13");
        }
        HeaderMap target = exchange.getResponseHeaders();
        headers.forEach((name, value) -> {
            HttpString header = HttpString.tryFromString(name);
            if (!header.equals(CONTENT_LENGTH) && !header.equals(TRANSFER_ENCODING)) {
                target.add(header, value);
            }
        });
        if (subprotocol != null) {
            target.put(io.undertow.util.Headers.SEC_WEB_SOCKET_PROTOCOL, subprotocol);
        }
        CompletableFuture<UndertowWebSocket> upgraded = new CompletableFuture<>();
        exchange.getConnection().addCloseListener(connection -> upgraded.completeExceptionally(
                new ClosedChannelException()));
        exchange.upgradeChannel((connection, upgradedExchange) -> {
            try {
                WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
                open.peers().add(channel);
                upgraded.complete(new UndertowWebSocket(channel, subprotocol, open.sendTimeoutMillis()));
            } catch (RuntimeException e) {
                IoUtils.safeClose(connection);
                upgraded.completeExceptionally(e);
            }
        });
        handshake.handshake(facade);
        try {
            return upgraded.get(HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            IoUtils.safeClose(exchange.getConnection());
            throw new SocketTimeoutException("the WebSocket handshake response could not be sent within "
                    + HANDSHAKE_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IOException("the WebSocket handshake failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IoUtils.safeClose(exchange.getConnection());
            throw new InterruptedIOException("interrupted during the WebSocket handshake");
        }
    }

    /**
     * Cuts {@code channel} in {@value #CLOSE_TIMEOUT_SECONDS} s unless the closing handshake ends
     * first (then Undertow has closed it already and this does nothing).
     *
     * @param channel a channel whose close frame was sent
     */
    static void closeLater(WebSocketChannel channel) {
        try {
            channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            IoUtils.safeClose(channel);
        }
    }

    @Override
    public void sendText(String text) throws IOException {
        send(sent -> WebSockets.sendText(text, channel, sent, sendTimeoutMillis));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        send(sent -> WebSockets.sendBinary(data, channel, sent, sendTimeoutMillis));
    }

    @Override
    public WebSocketMessage receive(Duration timeout) throws IOException {
        return inbox.take(timeout);
    }

    @Override
    public void close(int code, String reason) throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        inbox.drain();
        if (!channel.isOpen() || channel.isCloseFrameSent()) {
            return;
        }
        closeLater(channel);
        await(sent -> WebSockets.sendClose(code, reason == null ? "" : reason, channel, sent));
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * Closes with {@code code} after the handler returned or failed, unless it closed already; a
     * failure to send the close frame just cuts the connection.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void closeAfterHandler(int code, String reason) {
        try {
            close(code, reason);
        } catch (IOException e) {
            IoUtils.safeClose(channel);
        }
    }

    private void send(Consumer<WebSocketCallback<Void>> start) throws IOException {
        if (closed.get()) {
            throw new IOException("the WebSocket was closed");
        }
        await(start);
    }

    /** Starts an Undertow send and parks until its callback reports it written, or failed. */
    private void await(Consumer<WebSocketCallback<Void>> start) throws IOException {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        pending.add(sent);
        try {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            start.accept(new WebSocketCallback<>() {
                @Override
                public void complete(WebSocketChannel channel, Void context) {
                    sent.complete(null);
                }

                @Override
                public void onError(WebSocketChannel channel, Void context, Throwable failure) {
                    sent.completeExceptionally(failure);
                }
            });
            sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("the WebSocket send failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IoUtils.safeClose(channel);
            throw new InterruptedIOException("interrupted while sending on the WebSocket; connection closed");
        } finally {
            pending.remove(sent);
        }
    }
}
