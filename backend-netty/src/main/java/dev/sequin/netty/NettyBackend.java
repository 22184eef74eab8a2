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
 * Netty's HTTP/1.1 codec as {@code RequestDecoder} and {@code ResponseEncoder} (what
 * {@code HttpServerCodec} does, plus the refusal of obsolete line folding; no aggregation:
 * bodies stream) and the handler
 * {@link SequinNetty#handler(HttpHandler)} returns, with the options' limits, on the NIO
 * transport: one event loop accepts, Netty's default number of event loops serve the connections.
 *
 * <p>Limits, the same on every Sequin backend:
 * <ul>
 * <li>{@code idleTimeout}: a keep-alive connection idle between requests is closed.</li>
 * <li>{@code readTimeout}: a request head must arrive within it from the read that brought its
 *     first bytes, however it trickles, or the connection is closed; a body read that waits that
 *     long for the client fails and closes the connection.</li>
 * <li>{@code writeTimeout}: a body write that waits that long for the channel to become writable
 *     (a client that does not read) throws and closes the connection.</li>
 * <li>{@code maxRequestLineBytes}, {@code maxHeaderBytes}, {@code maxHeaderCount} are measured on
 *     the request the codec decoded and answered {@code 414} or {@code 431} ({@code text/plain},
 *     connection closed) without calling the handler. The codec's {@code maxInitialLineLength} and
 *     {@code maxHeaderSize} are twice the limits: a head even larger is refused by the codec, with
 *     the same status.</li>
 * <li>{@code maxConcurrentRequests}: a request beyond it is answered {@code 503} with
 *     {@code Retry-After: 1} from the event loop, without starting a virtual thread. A request
 *     handled on the event loop (below) counts too while its handler runs, as on every backend.</li>
 * <li>The body size is the application's: bodies stream to the handler, so it can refuse one
 *     before it has arrived.</li>
 * </ul>
 *
 * <p>Non-blocking mode: a request without a body (no {@code Transfer-Encoding}, no
 * {@code Content-Length} above 0) for which {@code HttpHandler.isNonBlocking} answers
 * {@code true} is handled on the event loop that decoded it. Its body sink never waits: what is
 * written is kept in one buffer and leaves as one response when the sink closes or the handler
 * returns, flushed once the read that brought the request is served (pipelined requests share a
 * flush). While such a response keeps the channel above its write-buffer high watermark, the
 * next request waits for the client to read.
 *
 * <p>Framing: the codec refuses {@code Content-Length} with {@code Transfer-Encoding}, several
 * {@code Content-Length}s, a bare LF line end, a NUL in a field and whitespace in or after a field
 * name, and {@code RequestDecoder} refuses obsolete line folding (a head line beginning with SP or
 * HTAB, RFC 9112 section 5.2), which the codec alone would unfold into a space; these get
 * {@code 400} as {@code text/plain} and the connection closes. A malformed chunk fails the body
 * read and closes the connection without an answer. A body written past its announced
 * {@code Content-Length} makes the write throw and the connection close. No {@code Server} header
 * is sent.
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
        Limits limits = Limits.of(options);
        HttpDecoderConfig decoding = Limits.decoderConfig(options, MAX_CHUNK_SIZE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.add(channel);
                        RequestDecoder decoder = new RequestDecoder(decoding);
                        channel.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                decoder,
                                new ResponseEncoder(decoder),
                                new SequinChannelHandler(handler, "", limits));
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
