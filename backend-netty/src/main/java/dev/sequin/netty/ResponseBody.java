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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of one response, written from the exchange's virtual thread.
 *
 * <p>Bytes are copied into buffers of up to {@link #CHUNK} bytes, each one {@code HttpContent}
 * (one chunk of a chunked body). Full buffers are handed to the event loop four at a time, in one
 * task, or at {@link #flush()}: a streamed body costs the event loop one task per 64 KiB or per
 * flush, not per buffer. Four full buffers that end a write wait for the next call, so that a
 * write followed by a flush hands its buffers over with the flush, in one task. The status line
 * and headers travel with the first hand-over; a body that fits in one buffer leaves as a single
 * {@code FullHttpResponse}. What is left when the body is closed (that response, or the last
 * buffers and the last chunk) is written by the event loop once the handler has returned
 * ({@link #sendEnd()}), with the exchange's own end, in one wake-up.
 *
 * <p>Backpressure: once more than {@link #MAX_IN_FLIGHT} bytes are on their way (handed over but
 * not yet written by the event loop, or written but not yet taken by the socket beyond the
 * channel's low watermark), the writer blocks until the event loop has caught up: every buffer
 * handed over was written and the channel is writable again. The event loop wakes it only then
 * ({@link Signal}), not at each change on the way. It waits at most the write timeout: past it
 * the connection is closed and the write throws. Waiting for the whole backlog to drain,
 * rather than for the first buffer to leave, makes a fast stream switch between the two threads
 * once per mebibyte, not once per buffer.
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
     * How many bytes may be on their way to the socket before the writer waits for the event loop
     * to catch up. With one core, a writer that waited as soon as 16 hand-overs were queued or the
     * channel's own 64 KiB high watermark was reached measured 0.39–0.45 of raw Netty's streaming
     * throughput in full {@code load.sh} runs; this budget, with a batch and its flush handed over
     * together, measured 0.53–0.60. What held it there was the wait itself: woken at every
     * writability change and timed by the JDK's timer thread, a writer cost 26,000 context
     * switches per GiB. Woken only once caught up, its timeout kept by the event loop
     * ({@link Signal}), it costs 2,100, and streaming measured 0.94 of raw.
     */
    static final long MAX_IN_FLIGHT = 1024 * 1024;

    private final ChannelHandlerContext ctx;
    private final Signal writability;
    private final long writeTimeoutNanos;
    private HttpResponse head;
    private ByteBuf pending;
    /** The head and full buffers not yet handed to the event loop. */
    private final List<HttpObject> gathered = new ArrayList<>();
    private int gatheredBytes;
    /** The bytes of hand-overs the event loop has not run yet: the channel's writability does not count them. */
    private final AtomicLong handedOverBytes = new AtomicLong();
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
        this.announced = new AnnouncedLength(length, discard);
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        ensureOpen();
        announced.count(data.remaining());
        if (announced.isDiscarded()) {
            data.position(data.limit());
            return;
        }
        if (gatheredBytes >= HAND_OVER_BYTES) {
            handOver();
        }
        while (data.hasRemaining()) {
            if (pending == null) {
                long expected = announced.contentLength() >= 0 ? announced.contentLength() : data.remaining();
                pending = ctx.alloc().buffer((int) Math.min(CHUNK, Math.max(256, expected)), CHUNK);
            }
            int take = Math.min(data.remaining(), pending.maxWritableBytes());
            pending.writeBytes(data.slice(data.position(), take));
            data.position(data.position() + take);
            if (pending.maxWritableBytes() == 0) {
                gather();
                if (gatheredBytes >= HAND_OVER_BYTES && data.hasRemaining()) {
                    handOver();
                }
            }
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        send(true);
        awaitWritable();
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
    @Override
    public void sendEnd() {
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
        int bytes = gatheredBytes;
        gathered.clear();
        gatheredBytes = 0;
        handedOverBytes.addAndGet(bytes);
        try {
            ctx.executor().execute(() -> {
                batch.forEach(ctx::write);
                if (flush) {
                    ctx.flush();
                }
                if (handedOverBytes.addAndGet(-bytes) == 0) {
                    writability.signalAll();
                }
            });
        } catch (RejectedExecutionException stopped) {
            handedOverBytes.addAndGet(-bytes);
            batch.forEach(ReferenceCountUtil::release);
        }
    }

    /** Hands a full batch over unflushed, then waits if too much is on its way. */
    private void handOver() throws IOException {
        send(false);
        awaitWritable();
    }

    private void awaitWritable() throws IOException {
        Channel channel = ctx.channel();
        if (handedOverBytes.get() + channel.bytesBeforeWritable() > MAX_IN_FLIGHT) {
            ctx.flush();
            if (!writability.await(
                    () -> channel.isWritable() && handedOverBytes.get() == 0 || !channel.isActive(),
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
