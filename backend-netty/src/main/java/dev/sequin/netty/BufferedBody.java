package dev.sequin.netty;

import dev.sequin.spi.AnnouncedLength;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The body of a response written on the event loop, by a handler that runs there because it
 * answered {@code true} to {@code HttpHandler.isNonBlocking}: nothing here ever waits.
 *
 * <p>Written bytes are copied into one buffer, sized for the announced {@code Content-Length} (up
 * to {@link #PREALLOCATED} bytes; it grows past that). {@link #close()} hands the status line, the
 * headers and the whole body to the channel as one {@code FullHttpResponse}, written but not
 * flushed: the connection flushes once it has answered what it read. {@link #flush()} has nothing
 * to do. A body shorter or longer than its announced length sends nothing and {@link #close()}
 * throws, so the exchange aborts the connection.
 *
 * <pre>{@code
 * try (BodySink sink = response.open(5)) {   // a BufferedBody when the exchange is non-blocking
 *     sink.write("hello");
 * }                                          // the response goes out in one write
 * }</pre>
 */
final class BufferedBody implements OutgoingBody {

    /** The most allocated up front for an announced length; a longer body grows the buffer. */
    static final int PREALLOCATED = 1024 * 1024;

    private final ChannelHandlerContext ctx;
    private final HttpResponseStatus status;
    private final HttpHeaders headers;
    private final AnnouncedLength announced;
    private ByteBuf content;
    private boolean closed;
    private ChannelFuture lastWrite;

    /**
     * @param ctx     where the response is written, from the Sequin handler onwards
     * @param status  the response's status
     * @param headers its headers, framing included
     * @param length  the announced {@code Content-Length}, or {@code -1}
     * @param discard whether written bytes are dropped (HEAD, 204, 304)
     */
    BufferedBody(ChannelHandlerContext ctx, HttpResponseStatus status, HttpHeaders headers, long length, boolean discard) {
        this.ctx = ctx;
        this.status = status;
        this.headers = headers;
        this.announced = new AnnouncedLength(length, discard);
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        int size = accept(data.remaining());
        if (announced.isDiscarded()) {
            data.position(data.limit());
        } else {
            buffer(size).writeBytes(data);
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        int size = accept(data.length);
        if (!announced.isDiscarded()) {
            buffer(size).writeBytes(data);
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            announced.checkEnd();
        } catch (IOException wrongLength) {
            release();
            throw wrongLength;
        }
        ByteBuf body = content == null ? Unpooled.EMPTY_BUFFER : content;
        content = null;
        lastWrite = ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, headers,
                EmptyHttpHeaders.INSTANCE));
    }

    @Override
    public ChannelFuture lastWrite() {
        return lastWrite;
    }

    @Override
    public void release() {
        if (content != null) {
            content.release();
            content = null;
        }
    }

    /** @return {@code size}, once counted against the announced length */
    private int accept(int size) throws IOException {
        ensureOpen();
        announced.count(size);
        return size;
    }

    /** @return the buffer, allocated on first use for the announced length or else for {@code size} bytes */
    private ByteBuf buffer(int size) {
        if (content == null) {
            content = ctx.alloc().buffer((int) Math.min(Math.max(announced.contentLength(), size), PREALLOCATED));
        }
        return content;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the response body is closed");
        }
    }
}
