package dev.sequin.netty;

import dev.sequin.spi.HandlerThreads;
import dev.sequin.spi.HttpHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
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
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One connection's bridge between Netty's HTTP codec and a Sequin {@link HttpHandler}; created by
 * {@link SequinNetty#handler(HttpHandler, String)}, one per channel.
 *
 * <p>Everything here runs on the channel's event loop; each request's handler runs on its own
 * virtual thread ({@link Exchange}). The requests an event loop reads in one turn start together
 * once the turn is over, and the ends of their responses come back to it in one task
 * ({@link HandlerThreads}, one per event loop, shared by its connections). Requests are served
 * one at a time, in order: a request that arrives while the previous response is not complete
 * (pipelining) waits in a queue and the socket is not read meanwhile. Requests outside the prefix pass on to the next handler;
 * the end of their response is seen in {@link #write}, and only then does the next request go.
 *
 * <p>The exception: a request without a body for which {@link HttpHandler#isNonBlocking} answers
 * {@code true} is handled right here, on the event loop, with a {@link BufferedBody}; its
 * response is written whole and flushed once the read (or the queue) that brought it has been
 * served, so pipelined answers share a flush. After a response that left the channel unwritable,
 * the next request waits until the client has read enough to make it writable again.
 */
final class SequinChannelHandler extends ChannelDuplexHandler {

    /** User event from the backend on a graceful stop: close when idle, or after the exchange in progress. */
    static final Object DRAIN = new Object();

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(SequinChannelHandler.class);
    /** One name for every request's thread: a numbered one costs a new string per request (a dump tells them apart by id). */
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("sequin-netty-request").factory();
    /** Each event loop's hand-off to virtual threads, shared by its connections. */
    private static final FastThreadLocal<HandlerThreads> HANDLER_THREADS = new FastThreadLocal<>();
    /** How much of an unread request body is read and dropped to keep the connection; beyond it, it closes. */
    private static final int SKIP_LIMIT = 1024 * 1024;

    private final HttpHandler app;
    private final String prefix;
    private final Limits limits;
    /** Signalled when the channel's writability changes, a body chunk arrives or the channel closes. */
    private Signal signal;
    private final ArrayDeque<HttpObject> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private HandlerThreads handlerThreads;
    private Exchange current;
    private int foreignResponses;
    private boolean foreignBody;
    private long skipped;
    private boolean dispatching;
    private boolean closing;
    private ScheduledFuture<?> headDeadline;
    private volatile boolean draining;
    /** Inside a read: from its first message to its {@code channelReadComplete}. */
    private boolean reading;
    /** A response answered on the event loop awaits its flush. */
    private boolean unflushed;
    /** A request of the current read was answered on the event loop, so no head is incomplete. */
    private boolean answeredInRead;
    /** A response answered on the event loop left the channel unwritable: the next request waits. */
    private boolean awaitingDrain;
    /** The write of the last response answered on the event loop. */
    private ChannelFuture lastSent;

    /**
     * @param app    the handler requests under the prefix go to
     * @param prefix a path prefix such as {@code /app}, or empty for every request
     * @param limits the request limits and timeouts to enforce, shared by every connection
     */
    SequinChannelHandler(HttpHandler app, String prefix, Limits limits) {
        this.app = app;
        this.prefix = prefix;
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        signal = new Signal(ctx.executor());
        handlerThreads = HANDLER_THREADS.getIfExists();
        if (handlerThreads == null) {
            handlerThreads = new HandlerThreads(ctx.executor(), THREADS);
            HANDLER_THREADS.set(handlerThreads);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject http)) {
            ctx.fireChannelRead(msg);
            return;
        }
        reading = true;
        if (!waiting.isEmpty() || !dispatch(http)) {
            waiting.add(http);
        }
        updateReading();
    }

    /**
     * Flushes the responses answered on the event loop during the read. After a read that left
     * no request in progress and answered none, the bytes read are the start of a request head
     * still incomplete: from now on it has the read timeout to arrive, trickling or not.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        flushAnswers();
        boolean answered = answeredInRead;
        answeredInRead = false;
        if (limits.timesOut() && !answered && headDeadline == null && current == null && waiting.isEmpty()
                && foreignResponses == 0 && !closing) {
            headDeadline = ctx.executor().schedule(this::headTimedOut, limits.readTimeoutNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
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
        signal.signalAll();
        if (awaitingDrain && ctx.channel().isWritable()) {
            awaitingDrain = false;
            resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHeadDeadline();
        if (current != null) {
            current.body.fail(new IOException("the connection closed"));
            current = null;
        }
        closing = true;
        signal.signalAll();
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
        } else if (event instanceof IdleStateEvent && !limits.timesOut() && stalled()) {
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

    /** @return what the event loop signals when the channel's writability changes, a body chunk arrives or the channel closes */
    Signal signal() {
        return signal;
    }

    /** @return the limits and timeouts this connection enforces */
    Limits limits() {
        return limits;
    }

    /** Closes the connection at once, from any thread: a body read failed, so its framing is lost. */
    void abort() {
        later(() -> {
            closing = true;
            ctx.close();
        });
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
     * loop): what it left unread of the body is released, and the connection closes, or serves
     * the next request once the rest of the body, if any, has been read and dropped (up to
     * {@link #SKIP_LIMIT} bytes).
     */
    void responded(Exchange exchange) {
        exchange.body.discard();
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
            if (current != null || foreignResponses > 0 || awaitingDrain) {
                return false;
            }
            RequestTarget target = RequestTarget.of(request.uri()).under(prefix);
            if (target == null) {
                foreignResponses++;
                foreignBody = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return true;
            }
            cancelHeadDeadline();
            if (request.decoderResult().isFailure()) {
                reject(request);
                ReferenceCountUtil.release(msg);
                return true;
            }
            int refusal = limits.refusal(request);
            if (refusal != 0) {
                refuse(refusal);
                ReferenceCountUtil.release(msg);
                return true;
            }
            NettyRequest exchange = new NettyRequest(ctx, request, target);
            boolean keepAlive = !draining && HttpUtil.isKeepAlive(request);
            if (!limits.tryAcquire()) {
                refuse(503);
                ReferenceCountUtil.release(msg);
                return true;
            }
            if (!hasBody(request) && answeredInline(request, exchange, keepAlive)) {
                limits.release();    // answered right here: its handler has returned
            } else {
                current = new Exchange(this, ctx, app, request, exchange, keepAlive);
                handlerThreads.start(current);
            }
        }
        if (foreignBody) {
            foreignBody = !(msg instanceof LastHttpContent);
            ctx.fireChannelRead(msg);
        } else if (msg instanceof HttpContent content) {
            receive(content);
        }
        return true;
    }

    /**
     * Asks the handler whether it handles {@code request} on the event loop, and if so has it
     * answered here: a throw from either call is answered as from {@code handle} on a virtual
     * thread ({@code 500} before commit, else the connection aborted).
     *
     * @return whether the request was answered; {@code false} if it goes to a virtual thread
     */
    private boolean answeredInline(HttpRequest decoded, NettyRequest request, boolean keepAlive) {
        Throwable refused = null;
        try {
            if (!app.isNonBlocking(request)) {
                return false;
            }
        } catch (Throwable failure) {
            refused = failure;
        }
        NettyResponse response = new NettyResponse(ctx, decoded, keepAlive, null, 0);
        if (refused == null) {
            Exchange.answer(ctx, app, request, response);
        } else {
            Exchange.fail(ctx, request, response, refused);
        }
        answeredInRead |= reading;
        ChannelFuture sent = response.lastWrite();
        if (sent == null || !ctx.channel().isActive()) {
            closing = true;
            ctx.close();
            return true;
        }
        unflushed = true;
        lastSent = sent;
        if (!response.keepAlive()) {
            closeOnceSent();
        } else if (!ctx.channel().isWritable()) {
            awaitingDrain = true;
        }
        return true;
    }

    /** @return whether the request announces a body ({@code Transfer-Encoding}, or a {@code Content-Length} above 0) */
    private static boolean hasBody(HttpRequest request) {
        return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || HttpUtil.getContentLength(request, 0L) != 0;
    }

    private void flushAnswers() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
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
                ctx.close();
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
        if (!reading) {
            flushAnswers();
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
        if (current != null) {
            current.lastWrite().addListener(ChannelFutureListener.CLOSE);
            current = null;
        } else if (lastSent != null && !lastSent.isDone()) {
            lastSent.addListener(ChannelFutureListener.CLOSE);
            lastSent = null;
        } else {
            ctx.close();
        }
    }

    private boolean stalled() {
        return current != null && (!ctx.channel().isWritable() || current.body.starved());
    }

    private void reject(HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        LOG.debug("rejected a malformed request with " + status, cause);
        refuse(status);
    }

    /**
     * Answers a request that will not be served, without running the handler, and closes the
     * connection once the answer is sent: the status's reason phrase as text, and
     * {@code Retry-After} on a {@code 503}.
     */
    private void refuse(int code) {
        closing = true;
        String reason = Limits.reason(code);
        ByteBuf text = Unpooled.copiedBuffer(reason, StandardCharsets.US_ASCII);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(code, reason), text);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        if (code == 503) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void headTimedOut() {
        headDeadline = null;
        LOG.debug("a request head took longer than the read timeout; closing " + ctx.channel());
        closing = true;
        ctx.close();
    }

    private void cancelHeadDeadline() {
        if (headDeadline != null) {
            headDeadline.cancel(false);
            headDeadline = null;
        }
    }
}
