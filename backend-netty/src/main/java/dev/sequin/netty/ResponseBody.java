package dev.sequin.netty;

import dev.sequin.spi.AnnouncedLength;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The body of one response, written from the exchange's virtual thread.
 *
 * <p>Bytes are copied into buffers of up to {@link #CHUNK} bytes, each one {@code HttpContent}
 * (one chunk of a chunked body). Full buffers are handed to the event loop four at a time, in one
 * task, or at {@link #flush()}: a streamed body costs the event loop one wake-up per 64 KiB or per
 * flush, not per buffer. The status line and headers travel with the first hand-over; a body that
 * fits in one buffer leaves as a single {@code FullHttpResponse}. What is left when the body is
 * closed (that response, or the last buffers and the last chunk) is written by the event loop once
 * the handler has returned ({@link #sendEnd()}), with the exchange's own end, in one wake-up.
 *
 * <p>Backpressure: after a hand-over, the writer blocks while the channel is not writable (above
 * its write-buffer high watermark) until the event loop signals that it drained, at most for the
 * write timeout: past it the connection is closed and the write throws. It also waits while more
 * than {@link #MAX_HANDED_OVER} hand-overs are still queued for the event loop, whose writability
 * does not count them yet.
 *
 * <p>A body shorter than its announced length is sent as far as it goes and {@link #close()}
 * throws; the exchange then aborts the connection. A write past the announced length throws and
 * sends nothing of it, and {@link #close()} then throws too, so the connection is aborted even if
 * the handler caught the exception.
 */
final class ResponseBody implements OutgoingBody {

    static final int CHUNK = 16 * 1024;
    /** How many bytes of full buffers gather before they are handed to the event loop together. */
    private static final int HAND_OVER_BYTES = 4 * CHUNK;
    /**
     * How many hand-overs (at most 1 MiB) may wait for the event loop before the writer waits too.
     * Fewer make a fast stream alternate between the two threads more often: with one core, 1
     * measured 0.44–0.49 of raw Netty's streaming throughput, 4 measured 0.53–0.56, 16 measured
     * 0.61–0.63 (two {@code load.sh} streaming runs each).
     */
    private static final int MAX_HANDED_OVER = 16;

    private final ChannelHandlerContext ctx;
    private final Signal writability;
    private final long writeTimeoutNanos;
    private final long length;
    private final boolean discard;
    private HttpResponse head;
    private ByteBuf pending;
    /** The head and full buffers not yet handed to the event loop. */
    private final List<HttpObject> gathered = new ArrayList<>();
    private int gatheredBytes;
    /** Hand-overs the event loop has not run yet: the channel's writability does not count them. */
    private final AtomicInteger handedOver = new AtomicInteger();
    private final AnnouncedLength announced;
    private boolean closed;
    private ChannelFuture lastWrite;
    /** What {@link #close()} left for {@link #sendEnd()}: the full response, or the last buffers and chunk. */
    private List<HttpObject> end;

    /**
     * @param ctx         where the response is written, from the Sequin handler onwards
     * @param writability signalled by the event loop when the channel's writability changes
     * @param writeTimeoutNanos how long a write may wait for the client to read; 0 for no limit
     * @param head        the status line and headers, not yet sent
     * @param length      the announced {@code Content-Length}, or {@code -1}
     * @param discard     whether written bytes are dropped (HEAD, 204, 304)
     */
    ResponseBody(ChannelHandlerContext ctx, Signal writability, long writeTimeoutNanos, HttpResponse head, long length,
                 boolean discard) {
        this.ctx = ctx;
        this.writability = writability;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.head = head;
        this.length = length;
        this.announced = new AnnouncedLength(length, discard);
        this.discard = discard;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        ensureOpen();
        announced.count(data.remaining());
        if (discard) {
            data.position(data.limit());
            return;
        }
        while (data.hasRemaining()) {
            if (pending == null) {
                pending = ctx.alloc().buffer((int) Math.min(CHUNK, Math.max(256, length >= 0 ? length : data.remaining())), CHUNK);
            }
            int take = Math.min(data.remaining(), pending.maxWritableBytes());
            pending.writeBytes(data.slice(data.position(), take));
            data.position(data.position() + take);
            if (pending.maxWritableBytes() == 0) {
                gather();
                if (gatheredBytes >= HAND_OVER_BYTES) {
                    send(false);
                    awaitWritable();
                }
            }
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        send(true);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!ctx.channel().isActive()) {
            release();
            throw new IOException("the connection is closed");
        }
        if (announced.isOverrun()) {
            release();
        } else if (announced.isShort()) {
            send(true);
        }
        announced.checkEnd();
        if (head != null) {
            ByteBuf content = pending == null ? Unpooled.EMPTY_BUFFER : pending;
            pending = null;
            end = List.of(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), content, head.headers(),
                    EmptyHttpHeaders.INSTANCE));
            head = null;
        } else {
            gather();
            gathered.add(LastHttpContent.EMPTY_LAST_CONTENT);
            end = List.copyOf(gathered);
            gathered.clear();
            gatheredBytes = 0;
        }
        lastWrite = ctx.newPromise();
    }

    /**
     * Writes and flushes the end of the body that {@link #close()} left (the whole response, when
     * it fit in one buffer): on the event loop once the handler returned, so that the virtual
     * thread does not wake the event loop for it separately, or from the virtual thread before a
     * failed exchange aborts the connection.
     */
    void sendEnd() {
        if (end != null) {
            int last = end.size() - 1;
            for (int i = 0; i < last; i++) {
                ctx.write(end.get(i));
            }
            ctx.writeAndFlush(end.get(last), (ChannelPromise) lastWrite);
            end = null;
        }
    }

    @Override
    public ChannelFuture lastWrite() {
        return lastWrite;
    }

    @Override
    public void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        gathered.forEach(ReferenceCountUtil::release);
        gathered.clear();
        if (end != null) {
            end.forEach(ReferenceCountUtil::release);
            end = null;
        }
    }

    /** Moves the head, if it was not sent, and the buffer being filled to what the next hand-over sends. */
    private void gather() {
        if (head != null) {
            gathered.add(head);
            head = null;
        }
        if (pending != null) {
            gatheredBytes += pending.readableBytes();
            gathered.add(new DefaultHttpContent(pending));
            pending = null;
        }
    }

    /**
     * Hands what was gathered to the event loop in one task, flushed or not: one wake-up of the
     * event loop per hand-over rather than per buffer.
     */
    private void send(boolean flush) {
        gather();
        if (gathered.isEmpty() && !flush) {
            return;
        }
        List<HttpObject> batch = List.copyOf(gathered);
        gathered.clear();
        gatheredBytes = 0;
        handedOver.incrementAndGet();
        try {
            ctx.executor().execute(() -> {
                batch.forEach(ctx::write);
                if (flush) {
                    ctx.flush();
                }
                handedOver.decrementAndGet();
                writability.signalAll();
            });
        } catch (RejectedExecutionException stopped) {
            handedOver.decrementAndGet();
            batch.forEach(ReferenceCountUtil::release);
        }
    }

    private void awaitWritable() throws IOException {
        Channel channel = ctx.channel();
        if (!channel.isWritable() || handedOver.get() > MAX_HANDED_OVER) {
            ctx.flush();
            if (!writability.await(
                    () -> channel.isWritable() && handedOver.get() <= MAX_HANDED_OVER || !channel.isActive(),
                    writeTimeoutNanos)) {
                channel.close();
                throw new SocketTimeoutException("the client read nothing for "
                        + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms; connection closed");
            }
        }
        ensureOpen();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the response body is closed");
        }
        if (!ctx.channel().isActive()) {
            release();
            throw new IOException("the connection is closed");
        }
    }
}
