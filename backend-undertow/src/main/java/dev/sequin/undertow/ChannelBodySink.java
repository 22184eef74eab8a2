package dev.sequin.undertow;

import dev.sequin.spi.AnnouncedLength;
import dev.sequin.spi.BodySink;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * A response body written from the request's virtual thread to Undertow's response channel, which
 * applies the transfer coding ({@code Content-Length}, chunked, or nothing for {@code HEAD}).
 *
 * <p>Small writes are gathered in one pooled buffer and sent when it fills, or on {@link #flush()};
 * a write larger than what the buffer has left goes out at once, together with what was gathered.
 * While the socket is full the thread parks in a {@link ChannelWaiter}, so a slow reader slows the
 * writer down instead of filling memory. What is still gathered when the handler returns, and the
 * end of the response, are written by the connection's I/O thread ({@link IoThreadEnd}): a short
 * body therefore leaves in one write with its headers, from the thread that reads the next request.
 *
 * <p>The announced length is kept: a write past it throws and sends nothing of it, and the
 * connection is then closed when the body is closed, even if the handler caught the exception;
 * a body that ends short of it is cut with the connection.
 *
 * <pre>{@code
 * BodySink sink = new ChannelBodySink(exchange.getResponseChannel(), 5, false, pool, waiter, connection);
 * sink.write("hello");
 * sink.close();
 * sink.complete(exchange, writeTimeoutNanos);   // once the handler has returned
 * }</pre>
 */
final class ChannelBodySink implements BodySink {

    private final StreamSinkChannel channel;
    private final boolean discard;
    private final ByteBufferPool pool;
    private final ChannelWaiter waiter;
    private final Closeable connection;
    private final AnnouncedLength length;
    private PooledByteBuffer pooled;
    private boolean closed;

    /**
     * @param channel       the exchange's response channel
     * @param contentLength the announced length, or {@code -1} for chunked
     * @param discard       whether the response has no body on the wire (HEAD, 204, 304, 1xx)
     * @param pool          where the gathering buffer comes from
     * @param waiter        parks the thread while the socket is full
     * @param connection    closed when the body ends short of its announced length
     */
    ChannelBodySink(StreamSinkChannel channel, long contentLength, boolean discard, ByteBufferPool pool,
                    ChannelWaiter waiter, Closeable connection) {
        this.channel = channel;
        this.length = new AnnouncedLength(contentLength, discard);
        this.discard = discard;
        this.pool = pool;
        this.waiter = waiter;
        this.connection = connection;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (closed) {
            throw new IOException("the response body is closed");
        }
        int count = data.remaining();
        if (count == 0) {
            return;
        }
        length.count(count);
        int space = pool.getBufferSize() - gathered();
        if (discard) {
            data.position(data.limit());
        } else if (count < space || length.isWhole() && count == space) {
            gather().put(data);
        } else {
            send(data);
        }
    }

    @Override
    public void flush() throws IOException {
        if (closed) {
            throw new IOException("the response body is closed");
        }
        if (discard) {
            return;
        }
        if (gathered() > 0) {
            send(ByteBuffer.allocate(0));
        }
        flushChannel();
    }

    /**
     * Ends the handler's use of the sink. A fixed-length body that ended short fails here and cuts
     * the connection. The end of every body (what is still gathered, the last chunk) waits for
     * {@link #complete}: a handler that throws inside {@code try (BodySink sink = ...)} closes the
     * sink on its way out, and the client must then see a truncated response, not a clean end.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (length.isOverrun() || length.isShort()) {
            try {
                if (length.isShort()) {
                    flush();
                }
            } finally {
                release();
                IoUtils.safeClose(connection);
            }
            length.checkEnd();
        }
        closed = true;
    }

    /**
     * @return whether this is a fixed-length body on the wire whose every byte has been written,
     *         which only waits for {@link #complete} to go out
     */
    boolean isWhole() {
        return length.isWhole();
    }

    /**
     * Ends the body once the handler has returned (normally, or after writing a {@link #isWhole()
     * whole} body), closing the sink first if the handler did not: what is still gathered, and the
     * end of the response, are left to the exchange's I/O thread. The sink must not be used
     * afterwards.
     *
     * @param exchange          the exchange this sink writes
     * @param writeTimeoutNanos how long the I/O thread waits for a client that does not read
     * @return the end of the response, to run on the exchange's I/O thread
     * @throws IOException if the body ended short
     */
    IoThreadEnd complete(HttpServerExchange exchange, long writeTimeoutNanos) throws IOException {
        close();
        PooledByteBuffer rest = null;
        if (gathered() > 0) {
            pooled.getBuffer().flip();
            rest = pooled;
            pooled = null;
        }
        return new IoThreadEnd(exchange, channel, rest, writeTimeoutNanos);
    }

    /** Returns the gathering buffer to the pool; the sink must not be used afterwards. */
    void release() {
        closed = true;
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }

    private int gathered() {
        return pooled == null ? 0 : pooled.getBuffer().position();
    }

    private ByteBuffer gather() {
        if (pooled == null) {
            pooled = pool.allocate();
        }
        return pooled.getBuffer();
    }

    /** Writes the gathered bytes and then {@code data}, blocking until all are in the socket. */
    private void send(ByteBuffer data) throws IOException {
        ByteBuffer[] buffers = outgoing(data);
        while (remaining(buffers)) {
            if (channel.write(buffers) == 0) {
                waiter.awaitWritable(channel);
            }
        }
        if (pooled != null) {
            pooled.getBuffer().clear();
        }
    }

    private ByteBuffer[] outgoing(ByteBuffer data) {
        if (gathered() == 0) {
            return new ByteBuffer[] {data};
        }
        return new ByteBuffer[] {pooled.getBuffer().flip(), data};
    }

    private void flushChannel() throws IOException {
        while (!channel.flush()) {
            waiter.awaitWritable(channel);
        }
    }

    private static boolean remaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
