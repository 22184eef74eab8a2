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

    private final AnnouncedLength length;
    private byte[] bytes;
    private int size;
    private boolean closed;

    /**
     * @param contentLength the announced length, or {@code -1} when there is none
     * @param discard       whether the body is not sent at all ({@code HEAD}, {@code 204},
     *                      {@code 304}): writes are counted against the length and dropped
     */
    public BufferedBodySink(long contentLength, boolean discard) {
        this.length = new AnnouncedLength(contentLength, discard);
        this.bytes = new byte[discard ? 0 : (int) Math.min(contentLength >= 0 ? contentLength : FIRST_CAPACITY, MAX_PRESIZE)];
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (closed) {
            throw new IOException("the body is closed");
        }
        int count = data.remaining();
        length.count(count);
        if (length.isDiscarded()) {
            data.position(data.limit());
            return;
        }
        if (size + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + count, bytes.length * 2));
        }
        data.get(bytes, size, count);
        size += count;
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
        length.checkEnd();
    }

    /** @return the bytes to send, ready to read; empty for a discarded body */
    public ByteBuffer body() {
        return ByteBuffer.wrap(bytes, 0, size);
    }
}
