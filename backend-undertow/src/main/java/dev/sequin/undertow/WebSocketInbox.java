package dev.sequin.undertow;

import dev.sequin.spi.WebSocketMessage;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.xnio.Buffers;
import org.xnio.IoUtils;

/**
 * The receiving side of one Undertow WebSocket: Undertow's {@link AbstractReceiveListener}
 * reassembles whole messages on the I/O thread and hands them here, where the handler's virtual
 * thread takes them one at a time.
 *
 * <p>Flow control: once {@value #MAX_WAITING} messages wait, receiving from the socket is suspended
 * (the client then fills its TCP window and blocks); it resumes when the handler has taken half of
 * them. Suspending and resuming both happen on the channel's I/O thread, under this inbox's lock,
 * so they never race. Undertow enforces the size limit: a message over
 * {@link UndertowWebSocket#MAX_WEBSOCKET_MESSAGE_BYTES} makes it send close {@code 1009}.
 *
 * <p>A close frame from the peer ends the inbox with its code ({@code 1005} when it gave none); a
 * broken connection ends it with {@code 1006}. The close frame is answered by
 * {@link UndertowWebSocket#close(int, String)}, not here, so the handler chooses the code.
 *
 * <pre>{@code
 * WebSocketInbox inbox = new WebSocketInbox(channel);
 * channel.getReceiveSetter().set(inbox);
 * channel.resumeReceives();
 * WebSocketMessage next = inbox.take(Duration.ofSeconds(30));
 * }</pre>
 */
final class WebSocketInbox extends AbstractReceiveListener {

    /** How many whole messages may wait for the handler before reading from the socket stops. */
    static final int MAX_WAITING = 16;
    private static final WebSocketMessage.Close BROKEN = new WebSocketMessage.Close(1006, "");
    private static final int NO_CODE = 1005;

    private final WebSocketChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<WebSocketMessage> waiting = new ArrayDeque<>();
    private WebSocketMessage.Close end;
    private boolean paused;
    private boolean resumePosted;
    private boolean draining;

    WebSocketInbox(WebSocketChannel channel) {
        this.channel = channel;
        channel.addCloseTask(closed -> finish(BROKEN));
    }

    /**
     * Waits for the next message, or the end.
     *
     * @param timeout how long to wait, {@code null} for as long as the connection lives
     * @return the next message; once the connection ended, always the same close
     * @throws SocketTimeoutException when the timeout passes first
     * @throws InterruptedIOException if the thread is interrupted
     */
    WebSocketMessage take(Duration timeout) throws SocketTimeoutException, InterruptedIOException {
        long left = timeout == null ? 0 : timeout.toNanos();
        lock.lock();
        try {
            while (waiting.isEmpty() && end == null) {
                if (timeout == null) {
                    changed.await();
                } else if (left > 0) {
                    left = changed.awaitNanos(left);
                } else {
                    throw new SocketTimeoutException("no WebSocket message within " + timeout.toMillis() + " ms");
                }
            }
            WebSocketMessage next = waiting.poll();
            if (next == null) {
                return end;
            }
            if (paused && !resumePosted && waiting.size() <= MAX_WAITING / 2) {
                resumePosted = true;
                channel.getIoThread().execute(this::resumeIfRoom);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a WebSocket message");
        } finally {
            lock.unlock();
        }
    }

    /**
     * After the handler closed: drops waiting messages and reads on, so that the peer's answering
     * close frame is seen.
     */
    void drain() {
        channel.getIoThread().execute(() -> {
            lock.lock();
            try {
                draining = true;
                waiting.clear();
                paused = false;
                channel.resumeReceives();
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    protected long getMaxTextBufferSize() {
        return UndertowWebSocket.MAX_WEBSOCKET_MESSAGE_BYTES;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return UndertowWebSocket.MAX_WEBSOCKET_MESSAGE_BYTES;
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        offer(new WebSocketMessage.Text(message.getData()));
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (var data = message.getData()) {
            offer(new WebSocketMessage.Binary(WebSockets.mergeBuffers(data.getResource()).asReadOnlyBuffer()));
        }
    }

    @Override
    protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (var data = message.getData()) {
            ByteBuffer[] payload = data.getResource();
            if (Buffers.remaining(payload) < 2) {
                finish(new WebSocketMessage.Close(NO_CODE, ""));
            } else {
                CloseMessage close = new CloseMessage(payload);
                finish(new WebSocketMessage.Close(close.getCode(), close.getReason()));
            }
        }
    }

    /**
     * A read failed: the connection broke, or Undertow refused a message (too big, bad UTF-8) and
     * already sent its close frame; then the peer's answer or {@link UndertowWebSocket}'s timer
     * closes the channel, so that close frame still reaches the peer.
     */
    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        finish(BROKEN);
        if (channel.isCloseFrameSent()) {
            UndertowWebSocket.closeLater(channel);
        } else {
            IoUtils.safeClose(channel);
        }
    }

    /** On the I/O thread: a whole message arrived. */
    private void offer(WebSocketMessage message) {
        lock.lock();
        try {
            if (draining || end != null) {
                return;
            }
            waiting.add(message);
            changed.signalAll();
            if (waiting.size() >= MAX_WAITING) {
                paused = true;
                channel.suspendReceives();
            }
        } finally {
            lock.unlock();
        }
    }

    /** On the I/O thread, posted by {@link #take}: reads on once the handler caught up. */
    private void resumeIfRoom() {
        lock.lock();
        try {
            resumePosted = false;
            if (paused && waiting.size() <= MAX_WAITING / 2) {
                paused = false;
                channel.resumeReceives();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the inbox; the first end wins. */
    private void finish(WebSocketMessage.Close close) {
        lock.lock();
        try {
            if (end == null) {
                end = close;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
