package dev.sequin.undertow;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.BufferedBodySink;
import dev.sequin.spi.HandlerThreads;
import dev.sequin.spi.Headers;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.WebSocketConnection;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * One Undertow exchange seen through the SPI: the response, and the task that runs the handler on
 * the request's virtual thread and then completes the response; or, for a request the handler
 * may serve without blocking ({@link HttpHandler#isNonBlocking}), runs it right away on the I/O
 * thread that parsed it ({@link #serveHereIfNonBlocking()}).
 *
 * <p>Completion follows {@link HttpHandler}: a body the handler left open is closed; a response it
 * never opened is sent with an empty body; an exception before commit becomes a generic
 * {@code 500} (or {@code 413} when the body outgrew Undertow's {@code MAX_ENTITY_SIZE}), one after
 * commit closes the connection so the client sees a truncated response (a fixed-length body
 * already written whole is still sent first). Both are logged: handler
 * bugs as errors, I/O failures after commit (almost always a client that went away) at debug level.
 * The last step, writing what the body still holds and ending the exchange, runs on the
 * connection's I/O thread ({@link IoThreadEnd}): {@link #serve()} returns it, and
 * {@link HandlerThreads} hands it over; the virtual thread does not touch the exchange afterwards.
 *
 * <p>Served on the I/O thread, nothing may wait: the body goes into a {@link BufferedBodySink},
 * and when the handler returns, status, headers and body are handed to Undertow in one write,
 * on that same thread ({@link IoThreadEnd#write}); only a socket too full to take them all makes
 * the rest wait for a write listener. Everything else (length, {@code HEAD}, {@code 204}/{@code 304},
 * errors, keep-alive) is as on a virtual thread.
 *
 * <pre>{@code
 * UndertowExchange served = new UndertowExchange(exchange, handler, limits);
 * if (!served.serveHereIfNonBlocking()) {
 *     handlerThreads.start(served);   // on the I/O thread
 * }
 * }</pre>
 */
final class UndertowExchange implements ServerResponse, HandlerThreads.Task {

    private static final System.Logger LOG = System.getLogger(SequinHandler.class.getName());
    private static final byte[] ERROR_BODY = "Internal Server Error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_LARGE_BODY = "Payload Too Large".getBytes(StandardCharsets.US_ASCII);
    private static final HttpString CONTENT_LENGTH = io.undertow.util.Headers.CONTENT_LENGTH;
    private static final HttpString TRANSFER_ENCODING = io.undertow.util.Headers.TRANSFER_ENCODING;

    private final HttpServerExchange exchange;
    private final HttpHandler handler;
    private final Limits limits;
    private final UndertowRequest request;
    private final Headers responseHeaders = new Headers();
    private ChannelWaiter waiter;
    private ChannelBodySink sink;
    /** The body of a response served on the I/O thread, and the channel it will be written to. */
    private BufferedBodySink buffered;
    private StreamSinkChannel bufferedChannel;
    private long bufferedLength;
    private boolean onIoThread;
    private UndertowWebSocket webSocket;
    private int status = 200;
    private boolean committed;
    /** What the I/O thread runs once the handler has returned, if anything: see {@link #serve()}. */
    private Runnable end;

    /**
     * @param exchange the exchange, to be dispatched to a virtual thread
     * @param handler  the SPI handler
     * @param limits   the body timeouts, and the count of requests in flight this one was admitted
     *                 to: {@link #serve()} or {@link #serveHereIfNonBlocking()} releases it
     */
    UndertowExchange(HttpServerExchange exchange, HttpHandler handler, Limits limits) {
        this.exchange = exchange;
        this.handler = handler;
        this.limits = limits;
        this.request = new UndertowRequest(exchange, this);
    }

    /**
     * Runs the handler on the request's virtual thread and completes the response.
     *
     * @return the end of the exchange, to run on its I/O thread; {@code null} when the exchange
     *         already ended here (aborted) or became a WebSocket
     */
    @Override
    public Runnable serve() {
        try {
            handle();
        } finally {
            limits.release();
        }
        return end;
    }

    /**
     * Asks the handler whether it may serve this request without blocking, and if so serves it
     * here, to the end of the response. Call it on the exchange's I/O thread, and only for a
     * request whose body is complete (it has none). A handler that fails to answer gets a
     * {@code 500}, as if {@code handle} had thrown.
     *
     * @return {@code true} if the request was served (its admission released), {@code false} if
     *         it must go to a virtual thread ({@link #serve()})
     */
    boolean serveHereIfNonBlocking() {
        Throwable unanswered = null;
        try {
            if (!handler.isNonBlocking(request)) {
                return false;
            }
        } catch (Throwable failure) {
            unanswered = failure;
        }
        onIoThread = true;
        try {
            if (unanswered == null) {
                handle();
            } else {
                fail(unanswered);
            }
        } finally {
            limits.release();
        }
        return true;
    }

    /** @return what parks the virtual thread while the client is slow, made on first use */
    ChannelWaiter waiter() {
        if (waiter == null) {
            waiter = new ChannelWaiter(limits.readTimeoutNanos(), limits.writeTimeoutNanos(), exchange.getConnection());
        }
        return waiter;
    }

    private void handle() {
        try {
            handler.handle(request, this);
        } catch (Throwable failure) {
            fail(failure);
            return;
        }
        if (webSocket != null) {
            webSocket.closeAfterHandler(1000, "");
            return;
        }
        try {
            if (sink == null && buffered == null) {
                commit(0);
                if (onIoThread) {
                    exchange.endExchange();
                } else {
                    end = new IoThreadEnd(exchange, null, null, limits.writeTimeoutNanos());
                }
            } else {
                complete();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not complete the response to " + describe(), e);
            abort();
        }
    }

    /** Ends the opened body: from here on the I/O thread sends what is left and ends the exchange. */
    private void complete() throws IOException {
        if (buffered == null) {
            end = sink.complete(exchange, limits.writeTimeoutNanos());
            return;
        }
        buffered.close();
        IoThreadEnd.write(exchange, bufferedChannel, buffered.body(), limits.writeTimeoutNanos());
    }

    @Override
    public void setStatus(int status) {
        if (committed) {
            throw new IllegalStateException("the response is committed; the status can no longer change");
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be from 100 to 999, not " + status);
        }
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return responseHeaders;
    }

    @Override
    public BodySink open(long contentLength) throws IOException {
        if (sink != null || committed) {
            throw new IllegalStateException("the response body was opened before");
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 or more, not " + contentLength);
        }
        commit(contentLength);
        StreamSinkChannel channel = exchange.getResponseChannel();
        if (channel == null) {
            throw new IOException("Undertow's response channel for " + describe() + " is already taken");
        }
        if (onIoThread) {
            bufferedChannel = channel;
            bufferedLength = contentLength;
            buffered = new BufferedBodySink(contentLength, discardsBody());
            return buffered;
        }
        sink = new ChannelBodySink(channel, contentLength, discardsBody(), exchange.getConnection().getByteBufferPool(),
                waiter(), exchange.getConnection());
        return sink;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public WebSocketConnection upgradeToWebSocket(String subprotocol) throws IOException {
        if (committed) {
            throw new IllegalStateException("the response is committed; it can no longer become a WebSocket");
        }
        if (onIoThread) {
            throw new IllegalStateException("a request served on the I/O thread cannot become a WebSocket");
        }
        webSocket = UndertowWebSocket.accept(exchange, responseHeaders, subprotocol);
        committed = true;
        return webSocket;
    }

    /** Hands status and headers to Undertow; it sends them with the first bytes of the body. */
    private void commit(long contentLength) {
        committed = true;
        exchange.setStatusCode(status);
        HeaderMap target = exchange.getResponseHeaders();
        responseHeaders.forEach((name, value) -> {
            HttpString header = HttpString.tryFromString(name);
            if (!header.equals(CONTENT_LENGTH) && !header.equals(TRANSFER_ENCODING)) {
                target.add(header, value);
            }
        });
        if (contentLength >= 0 && Connectors.isEntityBodyAllowed(status)) {
            exchange.setResponseContentLength(contentLength);
        }
    }

    private void fail(Throwable failure) {
        if (webSocket != null) {
            LOG.log(Level.ERROR, "handler failed on the WebSocket " + describe() + "; closing it with 1011", failure);
            webSocket.closeAfterHandler(1011, "Internal Error");
            return;
        }
        if (committed) {
            Level level = failure instanceof IOException ? Level.DEBUG : Level.ERROR;
            LOG.log(level, "handler failed after the response to " + describe()
                    + " was committed; closing the connection", failure);
            if (isWhole()) {
                endThenClose();
            } else {
                abort();
            }
            return;
        }
        boolean tooLarge = failure instanceof RequestTooBigException;
        if (tooLarge) {
            LOG.log(Level.DEBUG, "request body of " + describe() + " over Undertow's MAX_ENTITY_SIZE; answering 413",
                    failure);
        } else {
            LOG.log(Level.ERROR, "handler failed on " + describe() + "; answering 500", failure);
        }
        try {
            status = tooLarge ? 413 : 500;
            responseHeaders.clear();
            responseHeaders.set("Content-Type", "text/plain; charset=utf-8");
            byte[] text = tooLarge ? TOO_LARGE_BODY : ERROR_BODY;
            open(text.length).write(text);
            complete();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not send the error response for " + describe(), e);
            abort();
        }
    }

    /**
     * @return whether the opened body is a fixed-length one on the wire whose every byte has been
     *         written, which only waits for {@link #complete()} to go out
     */
    private boolean isWhole() {
        if (buffered != null) {
            return bufferedLength >= 0 && !discardsBody() && buffered.body().remaining() == bufferedLength;
        }
        return sink != null && sink.isWhole();
    }

    /** @return whether the response carries no body on the wire ({@code HEAD}, {@code 204}, {@code 304}, 1xx) */
    private boolean discardsBody() {
        return exchange.getRequestMethod().equals(Methods.HEAD) || !Connectors.isEntityBodyAllowed(status);
    }

    /**
     * Sends a fixed-length body whose every byte was written before the handler failed (the bytes
     * wait for the end of the exchange), then closes the connection.
     */
    private void endThenClose() {
        exchange.setPersistent(false);
        try {
            complete();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not complete the response to " + describe(), e);
            abort();
        }
    }

    private void abort() {
        if (sink != null) {
            sink.release();
        }
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
    }

    private String describe() {
        return exchange.getRequestMethod() + " " + exchange.getRequestURI();
    }
}
