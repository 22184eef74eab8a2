package dev.sequin.netty;

import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@code netty} backend: Sequin on Netty 4.2's HTTP/1.1 codec.
 *
 * <p>Each connection's pipeline is {@code IdleStateHandler} (the options' idle timeout),
 * {@code HttpServerCodec} (no aggregation: bodies stream) and the handler
 * {@link SequinNetty#handler(HttpHandler)} returns, on the NIO transport: one event loop
 * accepts, Netty's default number of event loops serve the connections.
 *
 * <pre>{@code
 * try (Server server = new NettyBackend().start(handler, ServerOptions.port(0))) {
 *     System.out.println("http://127.0.0.1:" + server.port() + "/");
 * }
 * }</pre>
 */
public final class NettyBackend implements Backend {

    private static final int MAX_CHUNK_SIZE = 64 * 1024;

    /** Creates the backend; {@link java.util.ServiceLoader} calls this. */
    public NettyBackend() {
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public Server start(HttpHandler handler, ServerOptions options) throws IOException {
        Objects.requireNonNull(handler, "handler");
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sequin-netty-accept"),
                NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("sequin-netty-io"),
                NioIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        long idleMillis = options.idleTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.add(channel);
                        channel.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                new HttpServerCodec(new HttpDecoderConfig().setMaxChunkSize(MAX_CHUNK_SIZE)),
                                SequinNetty.handler(handler));
                    }
                });
        ChannelFuture bound = bootstrap.bind(options.host(), options.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
            Throwable cause = bound.cause();
            throw cause instanceof IOException failure ? failure
                    : new IOException("cannot listen on " + options.host() + ":" + options.port(), cause);
        }
        return new NettyServer(bound.channel(), acceptors, workers, connections, options.gracePeriod());
    }
}
