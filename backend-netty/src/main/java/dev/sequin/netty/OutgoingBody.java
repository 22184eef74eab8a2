package dev.sequin.netty;

import dev.sequin.spi.BodySink;
import io.netty.channel.ChannelFuture;

/**
 * A response body as {@link NettyResponse} hands it out: {@link ResponseBody} streams it from a
 * virtual thread, {@link BufferedBody} gathers it on the event loop and sends it whole.
 *
 * <pre>{@code
 * OutgoingBody body = ...;
 * body.close();
 * ChannelFuture sent = body.lastWrite();   // null if the response did not complete
 * }</pre>
 */
interface OutgoingBody extends BodySink {

    /** @return the write that completed the response, or {@code null} while it is not complete */
    ChannelFuture lastWrite();

    /** Drops what was written but not sent, after a failure. */
    void release();

    /**
     * On the event loop, once the handler has returned: writes what {@link #close()} left for it
     * (see {@link ResponseBody#sendEnd()}). A body that sends itself when closed has nothing left.
     */
    default void sendEnd() {
    }
}
