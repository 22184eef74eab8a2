package dev.sequin.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link BodySink} that never blocks: it keeps the body in memory for a backend to send once
 * the handler is done, as it must for a request served on its I/O thread
 * ({@link HttpHandler#isNonBlocking}). It holds the announced length as strictly as a sending
 * sink: a write past it throws and keeps nothing of it, and {@link #close()} throws when the
 * body is short or was overrun, so the backend never sends a body that contradicts its
 * {@code Content-Length}.
 *
 * <pre>{@code
 * BufferedBodySink sink = new BufferedBodySink(contentLength, isHead);
 * handler.handle(request, response);         // writes into the sink, which it closes
 * channel.write(sink.body());                // all of it, without blocking
 * }</pre>
 */
public final class BufferedBodySink implements BodySink {

    private static final int FIRST_CAPACITY = 256;
    private static final int MAX_PRESIZE = 64 * 1024;

    private final long contentLength;
    private final boolean discard;
    private byte[] bytes;
    private int size;
    private long written;
    private boolean overrun;
    private boolean closed;

    /**
     * @param contentLength the announced length, or {@code -1} when there is none
     * @param discard       whether the body is not sent at all ({@code HEAD}, {@code 204},
     *                      {@code 304}): writes are counted against the length and dropped
     */
    public BufferedBodySink(long contentLength, boolean discard) {
        this.contentLength = contentLength;
        this.discard = discard;
        this.bytes = new byte[discard ? 0 : (int) Math.min(Math.max(contentLength, FIRST_CAPACITY), MAX_PRESIZE)];
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (closed) {
            throw new IOException("the body is closed");
        }
        int length = data.remaining();
        if (contentLength >= 0 && written + length > contentLength) {
            overrun = true;
            throw new IOException("the body is longer than its announced Content-Length of " + contentLength + " bytes");
        }
        written += length;
        if (discard) {
            data.position(data.limit());
            return;
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + length, bytes.length * 2));
        }
        data.get(bytes, size, length);
        size += length;
    }

    /** Does nothing: the body leaves once the handler is done. */
    @Override
    public void flush() throws IOException {
        if (closed) {
            throw new IOException("the body is closed");
        }
    }

    /**
     * Ends the body.
     *
     * @throws IOException if a write overran the announced length, or the body is shorter
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (overrun) {
            throw new IOException("the handler wrote past the announced Content-Length of " + contentLength + " bytes");
        }
        if (!discard && contentLength >= 0 && written < contentLength) {
            throw new IOException("the body has " + written + " bytes, fewer than its announced Content-Length of " + contentLength);
        }
    }

    /** @return the bytes to send, ready to read; empty for a discarded body */
    public ByteBuffer body() {
        return ByteBuffer.wrap(bytes, 0, size);
    }
}
