package dev.sequin.netty;

import dev.sequin.spi.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running Netty server: a bound server channel, its connections and its event loops. */
final class NettyServer implements Server {

    private final Channel listener;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final Duration gracePeriod;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param listener    the bound server channel
     * @param acceptors   the event loops accepting connections
     * @param workers     the event loops serving connections
     * @param connections every open connection
     * @param gracePeriod how long {@link #close()} lets requests in flight finish
     */
    NettyServer(Channel listener, EventLoopGroup acceptors, EventLoopGroup workers, ChannelGroup connections,
                Duration gracePeriod) {
        this.listener = listener;
        this.acceptors = acceptors;
        this.workers = workers;
        this.connections = connections;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Stops accepting, asks every connection to close once its exchange in progress is done
     * (idle ones close at once), waits for that up to the grace period, closes what is left and
     * shuts the event loops down.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            listener.close().awaitUninterruptibly();
            ChannelGroupFuture allClosed = connections.newCloseFuture();
            connections.forEach(connection -> connection.pipeline().fireUserEventTriggered(SequinChannelHandler.DRAIN));
            allClosed.awaitUninterruptibly(gracePeriod.toMillis());
            connections.close().awaitUninterruptibly();
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        acceptors.terminationFuture().awaitUninterruptibly();
        workers.terminationFuture().awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "NettyServer[" + listener.localAddress() + "]";
    }
}
