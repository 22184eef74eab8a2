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
 * <p>The virtual thread does not hand it over itself: it returns it to {@link
 * dev.sequin.spi.HandlerThreads}, which sends the ends of the requests of one batch back to the
 * I/O thread in one task.
 *
 * <p>A socket that cannot take the bytes at once is waited for with a write listener, at most the
 * write timeout, after which the connection is closed. A failed write closes the connection.
 * Either way the pooled buffer goes back to its pool.
 *
 * <p>A response served on the I/O thread itself ends through {@link #write}, which writes at once
 * and makes an {@code IoThreadEnd} only to wait for a socket that is full (or to give up).
 *
 * <pre>{@code
 * Runnable end = new IoThreadEnd(exchange, channel, pooled, writeTimeoutNanos);  // made on the virtual thread,
 * end.run();                                                                     // run on the I/O thread
 * IoThreadEnd.write(exchange, channel, body, writeTimeoutNanos);  // or, served on the I/O thread, at once
 * }</pre>
 */
final class IoThreadEnd implements Runnable, ChannelListener<StreamSinkChannel> {

    private static final System.Logger LOG = System.getLogger(SequinHandler.class.getName());

    private final HttpServerExchange exchange;
    private final StreamSinkChannel channel;
    private final long writeTimeoutNanos;
    private ByteBuffer rest;
    private PooledByteBuffer pooled;
    private XnioExecutor.Key timeout;

    /**
     * @param exchange          the exchange to end
     * @param channel           its response channel, or {@code null} if {@code rest} is
     * @param rest              bytes of the body still to write, flipped for reading, or {@code null};
     *                          returned to its pool once written
     * @param writeTimeoutNanos how long to wait for a client that does not read
     */
    IoThreadEnd(HttpServerExchange exchange, StreamSinkChannel channel, PooledByteBuffer rest, long writeTimeoutNanos) {
        this(exchange, channel, rest == null ? null : rest.getBuffer(), rest, writeTimeoutNanos);
    }

    private IoThreadEnd(HttpServerExchange exchange, StreamSinkChannel channel, ByteBuffer rest, PooledByteBuffer pooled,
                        long writeTimeoutNanos) {
        this.exchange = exchange;
        this.channel = channel;
        this.rest = rest;
        this.pooled = pooled;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /**
     * Writes {@code body} and ends the exchange, on its I/O thread, now: what the socket does not
     * take at once waits for a write listener, as for {@link #start()}.
     *
     * @param exchange          the exchange to end, whose I/O thread this is
     * @param channel           its response channel
     * @param body              the whole body, ready to read; not kept by the caller afterwards
     * @param writeTimeoutNanos how long to wait for a client that does not read
     */
    static void write(HttpServerExchange exchange, StreamSinkChannel channel, ByteBuffer body, long writeTimeoutNanos) {
        try {
            while (body.hasRemaining()) {
                if (channel.write(body) == 0) {
                    new IoThreadEnd(exchange, channel, body, null, writeTimeoutNanos).awaitWritable();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            new IoThreadEnd(exchange, channel, null, null, writeTimeoutNanos).cut(e);
            return;
        }
        exchange.endExchange();
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
            ByteBuffer buffer = rest;
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
        rest = null;
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }
}
