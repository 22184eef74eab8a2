package dev.sequin.jetty;

import dev.sequin.spi.BodySink;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * A response body written through Jetty's {@link Response#write} with a blocking callback
 * ({@link Content.Sink#write(Content.Sink, boolean, ByteBuffer)}): each send returns once Jetty
 * has handed the bytes to the socket, so a slow client blocks the virtual thread and nothing
 * piles up in memory, and a gone client fails the send with an {@link IOException}.
 *
 * <p>A body of unknown length is always chunked, even when it ends before anything was flushed.
 * Small writes are gathered in a buffer of at most {@value #BUFFER_SIZE} bytes (no larger
 * than the announced length), so a short fixed-length body leaves in one write together with the
 * headers. {@link #flush()} sends what is gathered at once, as one chunk of a chunked body.
 * Writes of a buffer's size or more go to Jetty directly, without a copy.
 */
final class JettyBodySink implements BodySink {

    private static final int BUFFER_SIZE = 8192;

    private final Response response;
    private final boolean discard;
    private final long contentLength;
    private final int bufferSize;
    private ByteBuffer buffer;
    private long written;
    private boolean sent;
    private boolean closed;
    private IOException failure;

    private JettyBodySink(Response response, boolean discard, long contentLength) {
        this.response = response;
        this.discard = discard;
        this.contentLength = contentLength;
        this.bufferSize = contentLength < 0 ? BUFFER_SIZE : (int) Math.min(contentLength, BUFFER_SIZE);
    }

    /**
     * @param response      the Jetty response, status and headers set
     * @param contentLength the announced length, or -1 for chunked
     * @return a sink that sends what is written
     */
    static JettyBodySink sending(Response response, long contentLength) {
        return new JettyBodySink(response, false, contentLength);
    }

    /**
     * A sink for responses without a body on the wire (HEAD, 204, 304): writes are dropped and
     * only the headers are sent.
     *
     * @param response      the Jetty response, status and headers set
     * @param contentLength the {@code Content-Length} in the headers, or -1 when there is none
     * @return a sink that discards what is written
     */
    static JettyBodySink discarding(Response response, long contentLength) {
        return new JettyBodySink(response, true, contentLength);
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (closed) {
            throw new IOException("the body is closed");
        }
        int length = data.remaining();
        if (discard || length == 0) {
            data.position(data.limit());
            return;
        }
        if (contentLength >= 0 && written + length > contentLength) {
            throw new IOException("the body is longer than its announced Content-Length of " + contentLength + " bytes");
        }
        written += length;
        if (length <= space()) {
            buffer().put(data);
            return;
        }
        if (buffer != null && buffer.position() > 0) {
            sendBuffered(false);
        }
        if (length < bufferSize) {
            buffer().put(data);
        } else {
            send(false, data);
            data.position(data.limit());
        }
    }

    @Override
    public void flush() throws IOException {
        if (closed) {
            throw new IOException("the body is closed");
        }
        sendBuffered(false);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!discard && contentLength >= 0 && written < contentLength) {
            throw new IOException("the body has " + written + " bytes, fewer than its announced Content-Length of " + contentLength);
        }
        if (contentLength < 0 && !sent) {
            // Without a Content-Length header, a first write that is also the last would make
            // Jetty add one; committing first keeps the body chunked (and HEAD, 204, 304 bare).
            sendBuffered(false);
        }
        sendBuffered(true);
    }

    /** @return whether sending to the client failed, which means it went away or stalled too long */
    boolean failedWriting() {
        return failure != null;
    }

    private int space() {
        return buffer == null ? bufferSize : buffer.remaining();
    }

    private ByteBuffer buffer() {
        if (buffer == null) {
            buffer = ByteBuffer.allocate(bufferSize);
        }
        return buffer;
    }

    private void sendBuffered(boolean last) throws IOException {
        if (buffer == null) {
            send(last, null);
            return;
        }
        try {
            send(last, buffer.flip());
        } finally {
            buffer.clear();
        }
    }

    /**
     * Sends through Jetty, blocking until the bytes are written. After a failure every later send
     * fails at once with a new exception: Jetty would rethrow the same instance, which
     * try-with-resources cannot add to itself as suppressed.
     */
    private void send(boolean last, ByteBuffer data) throws IOException {
        if (failure != null) {
            throw new IOException("an earlier write to the client failed", failure);
        }
        try {
            Content.Sink.write(response, last, data);
            sent = true;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }
}
