package dev.sequin.netty;

import dev.sequin.spi.HandlerThreads;
import dev.sequin.spi.HttpHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;

/**
 * One request and its response. {@link #serve()} is the exchange's virtual thread: it calls the
 * handler, completes the response, answers {@code 500} or aborts on failure ({@link #answer}),
 * and hands back to the event loop the end of the response and the news that it is done. The
 * two flags belong to the event loop.
 */
final class Exchange implements HandlerThreads.Task {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(Exchange.class);

    /** The request body, fed by the event loop. */
    final RequestBody body;
    /** Event loop: the last chunk of the request body arrived. */
    boolean requestComplete;
    /** Event loop: the handler returned and the response is complete or aborted. */
    boolean responseDone;

    private final SequinChannelHandler connection;
    private final ChannelHandlerContext ctx;
    private final HttpHandler app;
    private final NettyRequest request;
    private final NettyResponse response;
    private final boolean expectContinue;
    private boolean continueSent;

    /**
     * @param connection the connection's handler, told when the response is done
     * @param ctx        the connection handler's context
     * @param app        the handler to call
     * @param decoded    the request line and headers as decoded
     * @param request    the same request seen through the SPI; its body is attached here
     * @param keepAlive  whether the connection may serve another request after this one
     */
    Exchange(SequinChannelHandler connection, ChannelHandlerContext ctx, HttpHandler app, HttpRequest decoded,
             NettyRequest request, boolean keepAlive) {
        this.connection = connection;
        this.ctx = ctx;
        this.app = app;
        this.body = new RequestBody(this::sendContinue, connection::resumeReading, connection::abort,
                connection.signal(), connection.limits().readTimeoutNanos());
        this.request = request;
        request.streamBodyFrom(body);
        this.response = new NettyResponse(ctx, decoded, keepAlive, connection.signal(),
                connection.limits().writeTimeoutNanos());
        this.expectContinue = HttpUtil.is100ContinueExpected(decoded);
    }

    @Override
    public Runnable serve() {
        try {
            answer(ctx, app, request, response);
        } finally {
            connection.limits().release();
        }
        return () -> {
            response.sendEnd();
            connection.responded(this);
        };
    }

    /**
     * Calls the handler and completes the response; if the handler throws, answers {@code 500}
     * when the response is not committed yet, else aborts the connection.
     *
     * @param ctx      the connection handler's context
     * @param app      the handler to call
     * @param request  the request
     * @param response its response
     */
    static void answer(ChannelHandlerContext ctx, HttpHandler app, NettyRequest request, NettyResponse response) {
        try {
            app.handle(request, response);
            response.complete();
        } catch (Throwable failure) {
            fail(ctx, request, response, failure);
        }
    }

    /**
     * Answers {@code 500} for a failure before the response is committed, or aborts the
     * connection after (a body the handler completed before it threw is still sent first); logs
     * the failure either way.
     *
     * @param ctx      the connection handler's context
     * @param request  the request
     * @param response its response
     * @param failure  what went wrong
     */
    static void fail(ChannelHandlerContext ctx, NettyRequest request, NettyResponse response, Throwable failure) {
        String exchange = request.method() + " " + request.rawPath();
        if (!ctx.channel().isActive()) {
            LOG.debug(exchange + " failed after the connection closed", failure);
        } else if (response.isCommitted()) {
            LOG.warn(exchange + " failed after the response was committed; aborting the connection", failure);
        } else {
            LOG.warn(exchange + " failed; answering 500", failure);
            try {
                response.sendError();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("the 500 response could not be sent", e);
            }
        }
        response.sendEnd();
        response.release();
        ctx.channel().close();
    }

    /** @return whether the connection may serve another request after this response */
    boolean keepAlive() {
        return response.keepAlive();
    }

    /** @return the write that completed the response, or {@code null} if it was aborted */
    ChannelFuture lastWrite() {
        return response.lastWrite();
    }

    /** @return whether the client waits for {@code 100 Continue} before sending the body */
    boolean continuePending() {
        return expectContinue && !continueSent;
    }

    private void sendContinue() {
        if (expectContinue && !response.isCommitted()) {
            continueSent = true;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }
}
