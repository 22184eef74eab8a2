package dev.sequin.undertow;

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
