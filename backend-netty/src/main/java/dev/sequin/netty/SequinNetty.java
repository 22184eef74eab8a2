package dev.sequin.netty;

import dev.sequin.spi.HttpHandler;
import io.netty.channel.ChannelHandler;

import java.util.Objects;

/**
 * Embeds Sequin in a Netty pipeline of your own: the handler goes after your
 * {@code HttpServerCodec} (no {@code HttpObjectAggregator} needed: bodies stream), one instance
 * per channel. It is the same handler {@link NettyBackend} uses.
 *
 * <p>With a path prefix, Sequin answers only requests whose raw path is the prefix or starts
 * with the prefix and {@code /}, and sees the path with the prefix removed ({@code /app/users}
 * arrives as {@code /users}, {@code /app} as {@code /}). Every other request, with its body,
 * passes unchanged to the next handler through {@code ctx.fireChannelRead}. Pipelined requests
 * stay in order across both: the next request is handed on only once the previous response has
 * been written, which for a passed-on request is when its {@code LastHttpContent} (or
 * {@code FullHttpResponse}) is written through this handler.
 *
 * <p>The handler switches the channel's {@code autoRead} off while a request body waits for the
 * Sequin handler to read it, or while a pipelined request waits its turn, and back on after.
 * It closes the channel on an {@code IdleStateEvent} when no exchange is in progress or when the
 * client stalls one (not reading the response, or not sending the body being read); other user
 * events pass on. Each Sequin request runs on its own virtual thread, except a request without a
 * body for which the handler's {@code isNonBlocking} answers {@code true}: that one is handled on
 * the event loop and its response written whole, flushed with the other answers of the same read.
 * A request the codec could not decode is answered {@code 400}, {@code 414} or {@code 431} as
 * {@code text/plain} and the connection closed; a body read that fails closes the connection,
 * since its framing is lost. The request-size, concurrency and timeout limits of
 * {@code ServerOptions} are {@link NettyBackend}'s.
 *
 * <pre>{@code
 * new ServerBootstrap()
 *     .group(group)
 *     .channel(NioServerSocketChannel.class)
 *     .childHandler(new ChannelInitializer<SocketChannel>() {
 *         protected void initChannel(SocketChannel ch) {
 *             ch.pipeline().addLast(new HttpServerCodec(),
 *                     SequinNetty.handler(app, "/sequin"),   // /sequin/** goes to Sequin
 *                     new MyLegacyHandler());                // everything else
 *         }
 *     });
 * }</pre>
 */
public final class SequinNetty {

    private SequinNetty() {
    }

    /**
     * Returns a handler that serves every request with {@code handler}.
     *
     * @param handler the Sequin handler, usually the application from core
     * @return a new channel handler, for one channel
     */
    public static ChannelHandler handler(HttpHandler handler) {
        return handler(handler, "");
    }

    /**
     * Returns a handler that serves requests under {@code prefix} with {@code handler} and passes
     * the others on.
     *
     * @param handler the Sequin handler, usually the application from core
     * @param prefix  a raw path prefix such as {@code /app}: starting with {@code /}, not ending
     *                with it; empty for every request
     * @return a new channel handler, for one channel
     * @throws IllegalArgumentException if the prefix is not empty and does not start with
     *                                  {@code /}, or ends with {@code /}
     */
    public static ChannelHandler handler(HttpHandler handler, String prefix) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("a prefix starts with / and does not end with it, like /app; not '" + prefix + "'");
        }
        return new SequinChannelHandler(handler, prefix, Limits.NONE);
    }
}
