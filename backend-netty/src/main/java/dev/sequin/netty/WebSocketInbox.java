package dev.sequin.netty;

import dev.sequin.spi.WebSocketMessage;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The whole messages of one WebSocket connection waiting for the handler's virtual thread: the
 * event loop adds, the virtual thread takes, then sees the {@link WebSocketMessage.Close} that
 * ended the connection, forever.
 *
 * <p>Flow control: once {@link #CAPACITY} messages wait, {@link #add} reports the inbox as
 * paused and the connection stops reading the socket; when the reader has taken it down to half,
 * {@code onDrained} runs so the connection reads again.
 *
 * <pre>{@code
 * // event loop
 * if (inbox.add(new WebSocketMessage.Text("hi"))) {
 *     channel.config().setAutoRead(false);
 * }
 * // virtual thread
 * WebSocketMessage next = inbox.take(Duration.ofSeconds(5));
 * }</pre>
 */
final class WebSocketInbox {

    /** How many messages may wait before the connection stops reading. */
    static final int CAPACITY = 16;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<WebSocketMessage> messages = new ArrayDeque<>();
    private final Runnable onDrained;
    private WebSocketMessage.Close end;
    private boolean paused;

    /** @param onDrained runs on the reading thread when a paused inbox has drained to half */
    WebSocketInbox(Runnable onDrained) {
        this.onDrained = onDrained;
    }

    /**
     * Queues a message, unless the connection has ended (event loop).
     *
     * @param message a text or binary message
     * @return whether the inbox is now full, so the connection should stop reading
     */
    boolean add(WebSocketMessage message) {
        lock.lock();
        try {
            if (end == null) {
                messages.add(message);
                paused |= messages.size() >= CAPACITY;
                arrived.signalAll();
            }
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the connection: once the queued messages are taken, {@link #take} returns this close.
     * Only the first end counts.
     *
     * @param close why the connection ended
     */
    void end(WebSocketMessage.Close close) {
        lock.lock();
        try {
            if (end == null) {
                end = close;
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return how the connection ended, or {@code null} while it has not */
    WebSocketMessage.Close end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the inbox is full and the connection should not read */
    boolean paused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next message.
     *
     * @param timeout how long to wait, or {@code null} for as long as it takes
     * @return the next message, or the close once the queue is empty and the connection ended
     * @throws SocketTimeoutException when the timeout passes first
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    WebSocketMessage take(Duration timeout) throws SocketTimeoutException, InterruptedIOException {
        WebSocketMessage next;
        boolean drained = false;
        lock.lock();
        try {
            long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
            while (messages.isEmpty() && end == null) {
                if (timeout == null) {
                    arrived.await();
                } else if (nanos <= 0) {
                    throw new SocketTimeoutException("no WebSocket message within " + timeout);
                } else {
                    nanos = arrived.awaitNanos(nanos);
                }
            }
            next = messages.isEmpty() ? end : messages.poll();
            if (paused && messages.size() <= CAPACITY / 2) {
                paused = false;
                drained = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a WebSocket message");
        } finally {
            lock.unlock();
        }
        if (drained) {
            onDrained.run();
        }
        return next;
    }
}
