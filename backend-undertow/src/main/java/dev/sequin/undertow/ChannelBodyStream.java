package dev.sequin.undertow;

import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.xnio.channels.StreamSourceChannel;

/**
 * The request body as a blocking stream over Undertow's request channel, read from the request's
 * virtual thread.
 *
 * <p>Undertow's channel undoes the transfer coding ({@code Content-Length} or chunked) and sends
 * {@code 100 Continue} on the first read when the client asked for it. Bytes are read straight
 * into the caller's array; nothing is read from the socket until the handler asks, so a handler
 * that stops reading stops the connection too (TCP flow control).
 *
 * <p>A read that fails (a malformed chunk, the read timeout, the client gone) closes the
 * connection, so no response goes out on a connection whose framing is lost. The exception is a
 * body over Undertow's {@code MAX_ENTITY_SIZE}, which is answered {@code 413}.
 *
 * <pre>{@code
 * InputStream body = new ChannelBodyStream(exchange.getRequestChannel(), waiter);
 * byte[] all = body.readAllBytes();
 * }</pre>
 */
final class ChannelBodyStream extends InputStream {

    private final StreamSourceChannel channel;
    private final ChannelWaiter waiter;
    private boolean ended;

    /**
     * @param channel the exchange's request channel, or {@code null} when there is none to read
     * @param waiter  parks the thread while no bytes have arrived
     */
    ChannelBodyStream(StreamSourceChannel channel, ChannelWaiter waiter) {
        this.channel = channel;
        this.waiter = waiter;
        this.ended = channel == null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        ByteBuffer target = ByteBuffer.wrap(bytes, offset, length);
        try {
            return readInto(target);
        } catch (RequestTooBigException e) {
            throw e;
        } catch (IOException e) {
            waiter.closeConnection();
            throw e;
        }
    }

    private int readInto(ByteBuffer target) throws IOException {
        while (true) {
            int read = channel.read(target);
            if (read > 0) {
                return read;
            }
            if (read < 0) {
                ended = true;
                return -1;
            }
            waiter.awaitReadable(channel);
        }
    }
}
