package dev.sequin.jetty;

import dev.sequin.spi.Headers;
import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.messages.ByteBufferMessageSink;
import org.eclipse.jetty.websocket.core.messages.MessageSink;
import org.eclipse.jetty.websocket.core.messages.StringMessageSink;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket connection on Jetty 12's core WebSocket (no servlets), seen through the blocking SPI.
 *
 * <p>The handshake is the library's: {@link Handshaker#upgradeRequest} validates the request,
 * sends the {@code 101} and swaps the HTTP connection for a WebSocket one when the exchange's
 * callback completes. Frames then reach this {@link FrameHandler} on Jetty's threads, which only
 * queue: the library's {@link StringMessageSink} and {@link ByteBufferMessageSink} reassemble
 * fragments, check UTF-8 and close with {@code 1009} a message over
 * {@value #MAX_WEBSOCKET_MESSAGE_BYTES} bytes; pings are answered here with a pong.
 *
 * <p>Flow control is Jetty's demand: the next frame is read only when this handler asks for it,
 * and it stops asking while {@value #MAX_QUEUED_MESSAGES} messages wait for {@link #receive}.
 * Sends block the calling virtual thread until the frame is written, so a client that does not
 * read makes them wait instead of piling up.
 *
 * <pre>{@code
 * JettyWebSocket ws = JettyWebSocket.upgrade(request, response, callback, headers, "chat");
 * ws.sendText("hello");
 * WebSocketMessage message = ws.receive(Duration.ofSeconds(30));
 * ws.finish(null);                 // the handler returned: closes with 1000 if still open
 * }</pre>
 */
final class JettyWebSocket implements WebSocketConnection, FrameHandler {

    /** The largest message, text or binary, accepted from a client; a larger one closes with 1009. */
    static final long MAX_WEBSOCKET_MESSAGE_BYTES = 1024 * 1024;

    /** How many received messages may wait for {@link #receive} before reading from the socket stops. */
    static final int MAX_QUEUED_MESSAGES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(JettyWebSocket.class);
    private static final Handshaker HANDSHAKER = Handshaker.newInstance();
    private static final long OPEN_TIMEOUT_SECONDS = 30;

    private final JettyWebSockets sockets;
    private final String subprotocol;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<WebSocketMessage> inbox = new ArrayDeque<>();
    private WebSocketMessage.Close end;
    private boolean paused;
    private boolean closing;
    private volatile CoreSession session;

    // Used only by Jetty's frame delivery, which is serialised.
    private MessageSink textSink;
    private MessageSink binarySink;
    private MessageSink fragmented;
    private boolean delivered;

    private JettyWebSocket(JettyWebSockets sockets, String subprotocol) {
        this.sockets = sockets;
        this.subprotocol = subprotocol;
    }

    /**
     * Accepts the request's upgrade and waits until the connection is open.
     *
     * @param request     the upgrade request
     * @param response    its response, not committed
     * @param callback    the exchange's callback: completed by the handshake, which lets Jetty
     *                    swap the connection, so the caller must not complete it again
     * @param headers     headers to send with the {@code 101}
     * @param subprotocol the accepted subprotocol, or {@code null}
     * @return the open connection
     * @throws IOException if the request is not a valid handshake, or the {@code 101} could not be sent
     */
    static JettyWebSocket upgrade(Request request, Response response, Callback callback, Headers headers, String subprotocol)
            throws IOException {
        JettyWebSockets sockets = JettyWebSockets.of(request.getConnectionMetaData().getConnector().getServer());
        JettyWebSocket socket = new JettyWebSocket(sockets, subprotocol);
        WebSocketNegotiator negotiator = (upgradeRequest, upgradeResponse, upgradeCallback) -> {
            headers.forEach((name, value) -> {
                if (!HttpHeader.CONTENT_LENGTH.is(name) && !HttpHeader.TRANSFER_ENCODING.is(name)) {
                    upgradeResponse.getHeaders().add(name, value);
                }
            });
            upgradeResponse.setAcceptedSubProtocol(subprotocol);
            return socket;
        };
        Callback handshake = new Callback.Nested(callback) {
            @Override
            public void failed(Throwable failure) {
                socket.opened.completeExceptionally(failure);
                super.failed(failure);
            }
        };
        boolean upgraded;
        try {
            upgraded = HANDSHAKER.upgradeRequest(negotiator, request, response, handshake, sockets.components(), JettyWebSocket::configure);
        } catch (RuntimeException invalid) {
            // the library rejects a malformed handshake by throwing (BadMessageException, WebSocketException)
            response.reset();
            throw new IOException("invalid WebSocket handshake: " + invalid.getMessage(), invalid);
        }
        if (!upgraded) {
            response.reset();
            throw new IOException("not a valid WebSocket handshake (Sec-WebSocket-Version 13, Upgrade and Connection headers are required)");
        }
        socket.awaitOpen();
        return socket;
    }

    /**
     * @param request a request
     * @return whether it asks for a WebSocket upgrade ({@code Upgrade: websocket})
     */
    static boolean isUpgradeRequest(Request request) {
        return request.getHeaders().contains(HttpHeader.UPGRADE, "websocket");
    }

    private static void configure(Configuration configuration) {
        configuration.setMaxTextMessageSize(MAX_WEBSOCKET_MESSAGE_BYTES);
        configuration.setMaxBinaryMessageSize(MAX_WEBSOCKET_MESSAGE_BYTES);
    }

    private void awaitOpen() throws IOException {
        try {
            opened.get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the WebSocket handshake response could not be sent", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the WebSocket connection did not open within " + OPEN_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the WebSocket connection opened");
        }
    }

    @Override
    public void sendText(String text) throws IOException {
        send(new Frame(OpCode.TEXT, text));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        send(new Frame(OpCode.BINARY, data.slice()));
        data.position(data.limit());
    }

    private void send(Frame frame) throws IOException {
        try (Blocker.Callback sent = Blocker.callback()) {
            session.sendFrame(frame, sent, false);
            sent.block();
        }
    }

    @Override
    public WebSocketMessage receive(Duration timeout) throws IOException {
        WebSocketMessage message;
        boolean resume;
        lock.lock();
        try {
            long nanos = timeout == null ? 0 : timeout.toNanos();
            while (inbox.isEmpty() && end == null) {
                if (timeout == null) {
                    changed.await();
                } else if (nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                } else {
                    throw new SocketTimeoutException("no WebSocket message within " + timeout);
                }
            }
            message = inbox.isEmpty() ? end : inbox.poll();
            resume = paused && inbox.size() < MAX_QUEUED_MESSAGES;
            paused &= !resume;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a WebSocket message");
        } finally {
            lock.unlock();
        }
        if (resume) {
            session.demand();
        }
        return message;
    }

    @Override
    public void close(int code, String reason) throws IOException {
        if (!startClosing() || !session.isOutputOpen()) {
            return;
        }
        try (Blocker.Callback sent = Blocker.callback()) {
            session.close(code, reason, sent);
            sent.block();
        } catch (IOException e) {
            if (!hasEnded()) {
                throw e;
            }
            // the peer's close crossed ours: the handshake is complete either way
        }
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * Ends the connection once the SPI handler is done with it: closes it with {@code 1000}, or
     * with {@code 1011} if the handler failed, unless it is closed already.
     *
     * @param failure what the handler threw, or {@code null}
     */
    void finish(Throwable failure) {
        if (failure != null) {
            LOG.error("the handler of an upgraded WebSocket connection failed; closing it with 1011", failure);
        }
        try {
            close(failure == null ? CloseStatus.NORMAL : CloseStatus.SERVER_ERROR, failure == null ? "" : "Internal Error");
        } catch (IOException gone) {
            LOG.debug("the WebSocket connection was gone before it could be closed: {}", gone.toString());
        }
    }

    /** Starts closing with {@code 1001} without waiting: the server is stopping. */
    void goAway() {
        if (startClosing()) {
            session.close(CloseStatus.SHUTDOWN, "server shutting down", Callback.NOOP);
        }
    }

    /**
     * Marks the connection as closing, the first time only. From then on reading goes on whatever
     * the number of waiting messages (those past the limit are dropped), so that the peer's close
     * frame is read.
     */
    private boolean startClosing() {
        boolean resume;
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            closing = true;
            resume = paused;
            paused = false;
        } finally {
            lock.unlock();
        }
        if (resume) {
            session.demand();
        }
        return true;
    }

    private boolean hasEnded() {
        lock.lock();
        try {
            return end != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        textSink = new StringMessageSink(coreSession, args -> {
            deliver(new WebSocketMessage.Text((String) args[0]));
            return null;
        }, false);
        binarySink = new ByteBufferMessageSink(coreSession, args -> {
            // the sink's buffer is reused once this returns
            deliver(new WebSocketMessage.Binary(BufferUtil.copy((ByteBuffer) args[0]).asReadOnlyBuffer()));
            return null;
        }, false);
        sockets.opened(this);
        callback.succeeded();
        opened.complete(null);
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> receiveData(textSink, frame, callback);
            case OpCode.BINARY -> receiveData(binarySink, frame, callback);
            case OpCode.CONTINUATION -> receiveData(fragmented, frame, callback);
            case OpCode.PING -> {
                session.sendFrame(new Frame(OpCode.PONG, BufferUtil.copy(frame.getPayload())), Callback.NOOP, false);
                callback.succeeded();
                session.demand();
            }
            case OpCode.PONG -> {
                callback.succeeded();
                session.demand();
            }
            case OpCode.CLOSE -> {
                CloseStatus status = CloseStatus.getCloseStatus(frame);
                ended(status == null ? CloseStatus.NO_CODE : status.getCode(), status == null ? null : status.getReason());
                callback.succeeded();   // Jetty answers with the same close frame
            }
            default -> callback.failed(new IOException("unexpected WebSocket frame " + OpCode.name(frame.getOpCode())));
        }
    }

    /** Hands a data frame to the library's message sink; asks for the next frame when there is room. */
    private void receiveData(MessageSink sink, Frame frame, Callback callback) {
        fragmented = frame.isFin() ? null : sink;
        delivered = false;
        sink.accept(frame, callback);
        if (delivered) {
            demandIfRoom();
        }
    }

    /** Called by a message sink with a whole message. */
    private void deliver(WebSocketMessage message) {
        lock.lock();
        try {
            if (!closing || inbox.size() < MAX_QUEUED_MESSAGES) {
                inbox.add(message);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        delivered = true;
    }

    private void demandIfRoom() {
        boolean demand;
        lock.lock();
        try {
            demand = closing || inbox.size() < MAX_QUEUED_MESSAGES;
            paused = !demand;
        } finally {
            lock.unlock();
        }
        if (demand) {
            session.demand();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        LOG.debug("WebSocket connection failed: {}", cause.toString());
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        ended(closeStatus.getCode(), closeStatus.getCode() == CloseStatus.NO_CLOSE ? null : closeStatus.getReason());
        sockets.closed(this);
        callback.succeeded();
    }

    /** Records how the connection ended, the first time only, and wakes a waiting receiver. */
    private void ended(int code, String reason) {
        lock.lock();
        try {
            if (end == null) {
                end = new WebSocketMessage.Close(code, reason == null ? "" : reason);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "JettyWebSocket[" + session + "]";
    }
}
