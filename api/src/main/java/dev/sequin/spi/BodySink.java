package dev.sequin.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where a response body goes: one essential write method, plus flush and close.
 *
 * <p>Backpressure: {@link #write(ByteBuffer)} blocks the calling (virtual) thread while the peer
 * is slower than the writer, so memory stays bounded whatever the size of the body. Once the
 * peer has gone away, a write throws {@link IOException}. The sink never keeps a reference to the
 * buffer after {@code write} returns, so callers may reuse it.
 *
 * <p>Completion: {@link #close()} declares the body complete. A handler that fails after
 * opening the sink does not close it but throws, and the backend then aborts the connection, so
 * the client sees a truncated body rather than one that looks complete. (A backend may defer the
 * end of a chunked body until {@code handle} returns normally.)
 *
 * <p>{@link #write(byte[])} and {@link #write(String)} delegate to {@link #write(ByteBuffer)};
 * backends implement only the three abstract methods.
 *
 * <pre>{@code
 * BodySink sink = response.open(-1);
 * for (String line : lines) {
 *     sink.write(line);
 *     sink.flush();              // reaches the client now, as one chunk
 * }
 * sink.close();                  // only on success: an exception aborts the response instead
 * }</pre>
 */
public interface BodySink extends Closeable {

    /**
     * Writes the remaining bytes of {@code data}, blocking while the peer is slow.
     *
     * @param data the bytes to send; consumed entirely
     * @throws IOException if the peer has gone away or the write timed out
     */
    void write(ByteBuffer data) throws IOException;

    /**
     * Sends what was written so far to the client now rather than when a buffer fills.
     *
     * @throws IOException if the peer has gone away
     */
    void flush() throws IOException;

    /**
     * Completes the body (sending the last chunk of a chunked body). Idempotent.
     *
     * @throws IOException if the peer has gone away, or fewer bytes than the announced
     *                     {@code Content-Length} were written
     */
    @Override
    void close() throws IOException;

    /**
     * Writes all of {@code data}.
     *
     * @param data the bytes to send
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    default void write(byte[] data) throws IOException {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Writes {@code text} encoded as UTF-8.
     *
     * @param text the text to send
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    default void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }
}
