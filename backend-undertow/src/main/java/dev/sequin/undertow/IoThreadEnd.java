package dev.sequin.undertow;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;

/**
 * The end of a response, run on the connection's I/O thread: writes the bytes the body sink still
 * holds (often the whole response: a short body gathered with its headers), then ends the
 * exchange there.
 *
 * <p>Why on the I/O thread: Undertow starts reading the connection's next request where the
 * exchange ends. Ended from the virtual thread, that hand-off races the I/O thread, which may
 * already see the next request arrive; Undertow then suspends and resumes reads (two
 * {@code epoll_ctl} per request) and the I/O thread spins on the connection's request state until
 * the virtual thread lets go of it, which on a busy core can take a whole time slice. Ended here,
 * the next request can only arrive after the response is written, and reads stay armed.
 *
 * <p>A socket that cannot take the bytes at once is waited for with a write listener, at most the
 * write timeout, after which the connection is closed. A failed write closes the connection.
 * Either way the pooled buffer goes back to its pool.
 *
 * <pre>{@code
 * new IoThreadEnd(exchange, channel, pooled, writeTimeoutNanos).start();   // from the virtual thread
 * }</pre>
 */
final class IoThreadEnd implements Runnable, ChannelListener<StreamSinkChannel> {

    private static final System.Logger LOG = System.getLogger(SequinHandler.class.getName());

    private final HttpServerExchange exchange;
    private final StreamSinkChannel channel;
    private final long writeTimeoutNanos;
    private PooledByteBuffer rest;
    private XnioExecutor.Key timeout;

    /**
     * @param exchange          the exchange to end
     * @param channel           its response channel, or {@code null} if {@code rest} is
     * @param rest              bytes of the body still to write, flipped for reading, or {@code null};
     *                          returned to its pool once written
     * @param writeTimeoutNanos how long to wait for a client that does not read
     */
    IoThreadEnd(HttpServerExchange exchange, StreamSinkChannel channel, PooledByteBuffer rest, long writeTimeoutNanos) {
        this.exchange = exchange;
        this.channel = channel;
        this.rest = rest;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /**
     * Hands the end to the exchange's I/O thread; nothing of the exchange may be touched afterwards.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the I/O thread has stopped
     */
    void start() {
        try {
            exchange.getIoThread().execute(this);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    @Override
    public void run() {
        write();
    }

    /** Run by the I/O thread when the socket takes bytes again, or the connection closed. */
    @Override
    public void handleEvent(StreamSinkChannel ready) {
        if (rest == null) {
            return;
        }
        if (!ready.isOpen()) {
            cut(null);
            return;
        }
        write();
    }

    private void write() {
        if (rest != null) {
            ByteBuffer buffer = rest.getBuffer();
            try {
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        awaitWritable();
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                cut(e);
                return;
            }
            release();
            if (timeout != null) {
                timeout.remove();
                channel.suspendWrites();
            }
        }
        exchange.endExchange();
    }

    private void awaitWritable() {
        if (timeout == null) {
            channel.getWriteSetter().set(this);
            channel.getCloseSetter().set(this);
            timeout = exchange.getIoThread().executeAfter(() -> cut(null), writeTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        channel.resumeWrites();
    }

    /** Gives up on the response: the client failed, stopped reading or left. */
    private void cut(Exception failure) {
        if (failure != null) {
            LOG.log(Level.DEBUG, "could not complete the response to " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI(), failure);
        }
        if (timeout != null) {
            timeout.remove();
        }
        release();
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
    }

    private void release() {
        if (rest != null) {
            rest.close();
            rest = null;
        }
    }
}
