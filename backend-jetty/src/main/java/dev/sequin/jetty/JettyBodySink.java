package dev.sequin.jetty;

import dev.sequin.spi.AnnouncedLength;
import dev.sequin.spi.BodySink;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Response;

/**
 * A response body written through Jetty's {@link Response#write}, waiting for its callback
 * ({@link Limits#write}): each send returns once Jetty has handed the bytes to the socket, so a slow client blocks the virtual thread and nothing
 * piles up in memory, and a gone client fails the send with an {@link IOException}.
 *
 * <p>A body of unknown length is always chunked, even when it ends before anything was flushed.
 * Small writes are gathered in a buffer of at most {@value #BUFFER_SIZE} bytes (no larger
 * than the announced length), so a short fixed-length body leaves in one write together with the
 * headers. {@link #flush()} sends what is gathered at once, as one chunk of a chunked body.
 * Writes of a buffer's size or more go to Jetty directly, without a copy.
 *
 * <p>Each send waits at most the write timeout of the {@link Limits}, then the connection is
 * closed. The announced length is kept: a write past it throws and sends nothing of it, and
 * {@link #close()} then fails too, so the connection is aborted even if the handler caught the
 * exception.
 */
final class JettyBodySink implements BodySink {

    private static final int BUFFER_SIZE = 8192;

    private final Response response;
    private final Limits limits;
    private final boolean discard;
    private final long contentLength;
    private final AnnouncedLength length;
    private final int bufferSize;
    private ByteBuffer buffer;
    private boolean sent;
    private boolean closed;
    private IOException failure;

    private JettyBodySink(Response response, Limits limits, boolean discard, long contentLength) {
        this.response = response;
        this.limits = limits;
        this.discard = discard;
        this.contentLength = contentLength;
        this.length = new AnnouncedLength(contentLength, discard);
        this.bufferSize = contentLength < 0 ? BUFFER_SIZE : (int) Math.min(contentLength, BUFFER_SIZE);
    }

    /**
     * @param response      the Jetty response, status and headers set
     * @param contentLength the announced length, or -1 for chunked
     * @param limits        the write timeout
     * @return a sink that sends what is written
     */
    static JettyBodySink sending(Response response, long contentLength, Limits limits) {
        return new JettyBodySink(response, limits, false, contentLength);
    }

    /**
     * A sink for responses without a body on the wire (HEAD, 204, 304): writes are dropped and
     * only the headers are sent.
     *
     * @param response      the Jetty response, status and headers set
     * @param contentLength the {@code Content-Length} in the headers, or -1 when there is none
     * @param limits        the write timeout
     * @return a sink that discards what is written
     */
    static JettyBodySink discarding(Response response, long contentLength, Limits limits) {
        return new JettyBodySink(response, limits, true, contentLength);
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (closed) {
            throw new IOException("the body is closed");
        }
        int count = data.remaining();
        length.count(count);
        if (discard || count == 0) {
            data.position(data.limit());
            return;
        }
        if (count <= space()) {
            buffer().put(data);
            return;
        }
        if (buffer != null && buffer.position() > 0) {
            sendBuffered(false);
        }
        if (count < bufferSize) {
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
        length.checkEnd();
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
            limits.write(response, last, data);
            sent = true;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }
}
