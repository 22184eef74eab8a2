package dev.sequin.netty;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body as a blocking stream, fed by the event loop with the chunks the codec decodes.
 *
 * <p>Flow control: once more than {@link #HIGH_WATER} bytes wait in the queue, {@link #offer}
 * reports the body as paused and the connection stops reading the socket; when the reader has
 * brought the queue down to {@link #LOW_WATER}, {@code onDrained} runs so the connection reads
 * again. The queue therefore holds at most about {@code HIGH_WATER} plus one socket read.
 *
 * <p>A reader with nothing to read waits on the connection's {@link Signal}, which the event loop
 * signals after each chunk: an untimed park, its read timeout kept by the event loop. A read that
 * waits longer than the read timeout for the client fails with {@link SocketTimeoutException}; a
 * read that fails for any reason runs {@code onFailure}, which closes the connection, since its
 * framing is lost.
 */
final class RequestBody extends InputStream {

    static final int HIGH_WATER = 128 * 1024;
    static final int LOW_WATER = 32 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Signal arrivals;
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private final Runnable onFirstRead;
    private final Runnable onDrained;
    private final Runnable onFailure;
    private final long readTimeoutNanos;
    private boolean started;
    private int queued;
    private boolean ended;
    private boolean paused;
    private boolean discarding;
    private boolean waiting;
    private IOException failure;
    /** Whether a read would not wait: a chunk is queued, or the body ended or failed. Written under the lock. */
    private volatile boolean readable;

    /**
     * @param onFirstRead runs on the reading thread before the first read (sends 100 Continue)
     * @param onDrained   runs on the reading thread when a paused queue has drained
     * @param onFailure   runs on the reading thread when a read fails
     * @param arrivals    the connection's signal, which this body signals when a read need not wait
     * @param readTimeoutNanos how long a read waits for the client; 0 for no limit
     */
    RequestBody(Runnable onFirstRead, Runnable onDrained, Runnable onFailure, Signal arrivals, long readTimeoutNanos) {
        this.arrivals = arrivals;
        this.onFirstRead = onFirstRead;
        this.onDrained = onDrained;
        this.onFailure = onFailure;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    /**
     * Queues a chunk (event loop).
     *
     * @param chunk bytes of the body; this stream becomes their owner and releases them
     * @param last  whether the body ends with this chunk
     */
    void offer(ByteBuf chunk, boolean last) {
        lock.lock();
        try {
            if (discarding || failure != null || !chunk.isReadable()) {
                chunk.release();
            } else {
                chunks.add(chunk);
                queued += chunk.readableBytes();
                paused |= queued >= HIGH_WATER;
            }
            ended |= last;
            updateReadable();
        } finally {
            lock.unlock();
        }
        arrivals.signalAll();
    }

    /** @return whether the reader is behind, so the socket should not be read */
    boolean paused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the reader waits for bytes the client has not sent */
    boolean starved() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes pending and future reads fail, unless the whole body has arrived (event loop).
     *
     * @param cause what the reader sees
     */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (!ended && failure == null) {
                failure = cause;
                releaseQueue();
                updateReadable();
            }
        } finally {
            lock.unlock();
        }
        arrivals.signalAll();
    }

    /** Drops what is queued and what still arrives: the exchange is over (event loop). */
    void discard() {
        lock.lock();
        try {
            discarding = true;
            releaseQueue();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) {
            return 0;
        }
        if (!started) {
            started = true;
            onFirstRead.run();
        }
        int count;
        boolean drained = false;
        lock.lock();
        try {
            while (!readable) {
                waiting = true;
                lock.unlock();
                boolean inTime;
                try {
                    inTime = arrivals.await(() -> readable, readTimeoutNanos);
                } finally {
                    lock.lock();
                }
                if (!inTime && !readable) {
                    failure = new SocketTimeoutException("no request body bytes for "
                            + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms; connection closed");
                    updateReadable();
                }
            }
            if (failure != null) {
                onFailure.run();
                throw new IOException("the request body could not be read: " + failure.getMessage(), failure);
            }
            if (chunks.isEmpty()) {
                return -1;
            }
            ByteBuf head = chunks.peek();
            count = Math.min(length, head.readableBytes());
            head.readBytes(into, offset, count);
            if (!head.isReadable()) {
                chunks.poll().release();
                updateReadable();
            }
            queued -= count;
            if (paused && queued <= LOW_WATER) {
                paused = false;
                drained = true;
            }
        } finally {
            waiting = false;
            lock.unlock();
        }
        if (drained) {
            onDrained.run();
        }
        return count;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void releaseQueue() {
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.release();
        }
        queued = 0;
        paused = false;
        updateReadable();
    }

    /** Under the lock, after a change of the queue or the end: whether a read would not wait. */
    private void updateReadable() {
        readable = !chunks.isEmpty() || ended || failure != null;
    }
}
