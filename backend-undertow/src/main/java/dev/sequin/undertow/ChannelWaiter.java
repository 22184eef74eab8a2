package dev.sequin.undertow;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.Channel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * Parks the request's virtual thread until an XNIO channel can make progress.
 *
 * <p>Why not Undertow's blocking streams: they block through XNIO's {@code awaitWritable()}, which
 * opens a {@link java.nio.channels.Selector} per thread and keeps it until the thread is garbage
 * collected; with a virtual thread per request that is one selector per blocked request. Here the
 * channel's own listener, run by the I/O thread, suspends interest and unparks the virtual thread,
 * which costs nothing while parked.
 *
 * <p>A wait that sees no progress for its timeout (one for reads, one for writes) fails with
 * {@link SocketTimeoutException} and closes the connection. Closing the channel (the peer went away, the server stopped) also wakes
 * the waiter, whose next read or write then throws.
 *
 * <pre>{@code
 * ChannelWaiter waiter = new ChannelWaiter(SECONDS.toNanos(30), SECONDS.toNanos(30), exchange.getConnection());
 * while (channel.write(buffer) == 0) {
 *     waiter.awaitWritable(channel);
 * }
 * }</pre>
 */
final class ChannelWaiter implements ChannelListener<Channel> {

    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;
    private final Closeable connection;
    private volatile boolean ready;
    private volatile Thread parked;

    /**
     * @param readTimeoutNanos  how long {@link #awaitReadable} waits for the client to send
     * @param writeTimeoutNanos how long {@link #awaitWritable} waits for the client to read
     * @param connection        closed when a wait times out
     */
    ChannelWaiter(long readTimeoutNanos, long writeTimeoutNanos, Closeable connection) {
        this.readTimeoutNanos = readTimeoutNanos;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.connection = connection;
    }

    /**
     * Blocks until {@code channel} accepts more bytes (or is closed).
     *
     * @param channel the channel whose last write returned 0
     * @throws IOException if nothing happened within the write timeout, or the thread was interrupted
     */
    void awaitWritable(StreamSinkChannel channel) throws IOException {
        ready = false;
        channel.getWriteSetter().set(this);
        channel.getCloseSetter().set(this);
        channel.resumeWrites();
        park(writeTimeoutNanos);
    }

    /**
     * Blocks until {@code channel} has bytes (or end of stream, or is closed).
     *
     * @param channel the channel whose last read returned 0
     * @throws IOException if nothing arrived within the read timeout, or the thread was interrupted
     */
    void awaitReadable(StreamSourceChannel channel) throws IOException {
        ready = false;
        channel.getReadSetter().set(this);
        channel.getCloseSetter().set(this);
        channel.resumeReads();
        park(readTimeoutNanos);
    }

    /** Closes the connection: its framing can no longer be trusted (a body read failed). */
    void closeConnection() {
        IoUtils.safeClose(connection);
    }

    private void park(long timeoutNanos) throws IOException {
        parked = Thread.currentThread();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!ready) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    IoUtils.safeClose(connection);
                    throw new SocketTimeoutException("no I/O progress within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; connection closed");
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the connection");
                }
            }
        } finally {
            parked = null;
        }
    }

    /** Run by the I/O thread when the channel is ready, or closed: stop listening, unpark. */
    @Override
    public void handleEvent(Channel channel) {
        if (channel.isOpen()) {
            if (channel instanceof StreamSinkChannel sink) {
                sink.suspendWrites();
            } else if (channel instanceof StreamSourceChannel source) {
                source.suspendReads();
            }
        }
        ready = true;
        Thread thread = parked;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
