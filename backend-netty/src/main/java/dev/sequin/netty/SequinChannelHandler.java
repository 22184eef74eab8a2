package dev.sequin.netty;

import dev.sequin.spi.HttpHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * One connection's bridge between Netty's HTTP codec and a Sequin {@link HttpHandler}; created by
 * {@link SequinNetty#handler(HttpHandler, String)}, one per channel.
 *
 * <p>Everything here runs on the channel's event loop; each request's handler runs on its own
 * virtual thread ({@link Exchange}). Requests are served one at a time, in order: a request
 * that arrives while the previous response is not complete (pipelining) waits in a queue and
 * the socket is not read meanwhile. Requests outside the prefix pass on to the next handler;
 * the end of their response is seen in {@link #write}, and only then does the next request go.
 */
final class SequinChannelHandler extends ChannelDuplexHandler {

    /** User event from the backend on a graceful stop: close when idle, or after the exchange in progress. */
    static final Object DRAIN = new Object();

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(SequinChannelHandler.class);
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("sequin-netty-request-", 0).factory();
    /** How much of an unread request body is read and dropped to keep the connection; beyond it, it closes. */
    private static final int SKIP_LIMIT = 1024 * 1024;

    private final HttpHandler app;
    private final String prefix;
    private final Signal writability = new Signal();
    private final ArrayDeque<HttpObject> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;
    private int foreignResponses;
    private boolean foreignBody;
    private long skipped;
    private boolean dispatching;
    private boolean closing;
    private volatile boolean draining;

    /**
     * @param app    the handler requests under the prefix go to
     * @param prefix a path prefix such as {@code /app}, or empty for every request
     */
    SequinChannelHandler(HttpHandler app, String prefix) {
        this.app = app;
        this.prefix = prefix;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject http)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!waiting.isEmpty() || !dispatch(http)) {
            waiting.add(http);
        }
        updateReading();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean endsForeignResponse = foreignResponses > 0 && msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        ctx.write(msg, promise);
        if (endsForeignResponse && --foreignResponses == 0) {
            resume();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writability.signalAll();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.body.fail(new IOException("the connection closed"));
            current = null;
        }
        closing = true;
        writability.signalAll();
        HttpObject msg;
        while ((msg = waiting.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        boolean idle = current == null ? foreignResponses == 0 : current.responseDone;
        if (event == DRAIN) {
            draining = true;
            if (idle) {
                closeOnceSent();
            }
        } else if (event instanceof IdleStateEvent && idle) {
            closeOnceSent();
        } else if (event instanceof IdleStateEvent && stalled()) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection failed: " + ctx.channel(), cause);
        } else {
            LOG.warn("unexpected failure on " + ctx.channel() + "; closing it", cause);
        }
        ctx.close();
    }

    /** @return what the event loop signals when the channel's writability changes */
    Signal writability() {
        return writability;
    }

    /** Reads the socket again if the request body was what held it back; any thread. */
    void resumeReading() {
        later(this::updateReading);
    }

    /**
     * Runs a task on the event loop, unless it has shut down (the connection is gone then).
     *
     * @param task what to run
     */
    void later(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("the event loop has stopped", stopped);
        }
    }

    /**
     * The handler of {@code exchange} returned and its response is complete or aborted (event
     * loop): close the connection, or serve the next request once the rest of the body, if the
     * handler left some unread, has been read and dropped (up to {@link #SKIP_LIMIT} bytes).
     */
    void responded(Exchange exchange) {
        if (exchange != current) {
            return;
        }
        exchange.responseDone = true;
        if (exchange.lastWrite() == null) {
            closing = true;
            current = null;
            ctx.close();
        } else if (closing || draining || !exchange.keepAlive()
                || !exchange.requestComplete && exchange.continuePending()) {
            closeOnceSent();
        } else if (exchange.requestComplete) {
            current = null;
            resume();
        } else {
            skipped = 0;
            exchange.body.discard();
            updateReading();
        }
    }

    /** @return whether {@code msg} was handled; {@code false} when it must wait for the response in progress */
    private boolean dispatch(HttpObject msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return true;
        }
        if (msg instanceof HttpRequest request) {
            if (current != null || foreignResponses > 0) {
                return false;
            }
            RequestTarget target = RequestTarget.of(request.uri()).under(prefix);
            if (target == null) {
                foreignResponses++;
                foreignBody = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return true;
            }
            if (request.decoderResult().isFailure()) {
                reject(request);
                ReferenceCountUtil.release(msg);
                return true;
            }
            current = new Exchange(this, ctx, app, request, target, !draining && HttpUtil.isKeepAlive(request));
            THREADS.newThread(current).start();
        }
        if (foreignBody) {
            foreignBody = !(msg instanceof LastHttpContent);
            ctx.fireChannelRead(msg);
        } else if (msg instanceof HttpContent content) {
            receive(content);
        }
        return true;
    }

    private void receive(HttpContent content) {
        Exchange exchange = current;
        if (exchange == null || exchange.requestComplete) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            exchange.body.fail(new IOException("malformed request body", content.decoderResult().cause()));
            content.release();
            exchange.requestComplete = true;
            if (exchange.responseDone) {
                closeOnceSent();
            } else {
                closing = true;
            }
            return;
        }
        exchange.requestComplete = content instanceof LastHttpContent;
        if (exchange.responseDone) {
            skipped += content.content().readableBytes();
        }
        exchange.body.offer(content.content(), exchange.requestComplete);
        if (exchange.requestComplete && exchange.responseDone) {
            current = null;
            resume();
        } else if (skipped > SKIP_LIMIT) {
            closeOnceSent();
        }
    }

    private void resume() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            HttpObject msg;
            while ((msg = waiting.poll()) != null) {
                if (!dispatch(msg)) {
                    waiting.addFirst(msg);
                    break;
                }
            }
        } finally {
            dispatching = false;
        }
        updateReading();
    }

    private void updateReading() {
        boolean read = waiting.isEmpty() && (current == null || !current.body.paused());
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead() != read) {
            config.setAutoRead(read);
        }
    }

    /** Closes the connection once the last response is written (at once when there is none). */
    private void closeOnceSent() {
        closing = true;
        if (current == null) {
            ctx.close();
        } else {
            current.lastWrite().addListener(ChannelFutureListener.CLOSE);
            current = null;
        }
    }

    private boolean stalled() {
        return current != null && (!ctx.channel().isWritable() || current.body.starved());
    }

    private void reject(HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        LOG.debug("rejected a malformed request with " + status, cause);
        closing = true;
        ByteBuf text = Unpooled.copiedBuffer(status.reasonPhrase(), StandardCharsets.US_ASCII);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, text);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
