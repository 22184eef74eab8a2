package dev.sequin.jetty;

import dev.sequin.spi.HttpHandler;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty 12 core {@link Handler} that serves any Sequin SPI {@link HttpHandler} (a Sequin
 * {@code Api} is one), so Sequin can live inside a Jetty server you already run, next to your own
 * handlers. {@link JettyBackend} serves every request through this same class.
 *
 * <p>Paths: at the root of the server the SPI handler's {@code rawPath()} is the path exactly as
 * sent (percent-encoded, dot segments untouched). Under a {@code ContextHandler} it is the path
 * inside the context, {@link Request#getPathInContext(Request)}: still percent-encoded, but
 * normalised by Jetty (dot segments resolved, encoded unreserved characters such as {@code %41}
 * decoded). Jetty's URI compliance mode of your connector decides which ambiguous paths (such as
 * {@code %2F}) reach the handler at all.
 *
 * <p>Threading: Jetty calls this handler on the thread that parsed the request (it declares
 * {@link Invocable.InvocationType#NON_BLOCKING}). A request the SPI handler may serve without
 * blocking ({@link HttpHandler#isNonBlocking}) is served right there, its response sent in one
 * write without waiting; every other request is handed to a virtual thread, and Jetty's thread
 * returns at once. Served by a {@link JettyBackend}, the requests of one selector turn start
 * together and complete back on the selector ({@link SelectorConnector}); embedded, each starts a
 * virtual thread of its own and completes there, and Jetty resumes the connection on a thread of
 * your pool.
 *
 * <p>Limits: embedded, your connector's settings (idle timeout, {@code requestHeaderSize}, HTTP
 * compliance) apply; the request-size, concurrency and body-timeout limits of
 * {@code ServerOptions} are {@link JettyBackend}'s. A body read that fails closes the connection
 * either way: its framing is lost, so no answer may follow on it.
 *
 * <pre>{@code
 * Server jetty = new Server(8080);
 * jetty.setHandler(new ContextHandlerCollection(
 *         new ContextHandler(new SequinJettyHandler(api), "/sequin"),   // api sees /items for /sequin/items
 *         new ContextHandler(myOwnHandler, "/")));
 * jetty.start();
 * }</pre>
 */
public final class SequinJettyHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(SequinJettyHandler.class);
    /** Makes the virtual threads requests run on. */
    static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().name("sequin-jetty").factory();

    /** Starts each task on a new virtual thread; shared with {@link JettyBackend}'s thread pool. */
    static final Executor VIRTUAL_EXECUTOR = task -> VIRTUAL_THREADS.newThread(task).start();

    private final HttpHandler handler;
    private final Limits limits;

    /**
     * Wraps an SPI handler. The limits and timeouts of your server and connector apply.
     *
     * @param handler the SPI handler every request reaching this Jetty handler goes to
     */
    public SequinJettyHandler(HttpHandler handler) {
        this(handler, Limits.NONE);
    }

    /**
     * Wraps an SPI handler with the request limits, the concurrency limit and the body timeouts
     * of a {@link JettyBackend}'s options.
     *
     * @param handler the SPI handler
     * @param limits  what to enforce
     */
    SequinJettyHandler(HttpHandler handler, Limits limits) {
        super(Invocable.InvocationType.NON_BLOCKING);
        this.handler = Objects.requireNonNull(handler, "handler");
        this.limits = limits;
    }

    /**
     * Takes every request: serves it here if the SPI handler may serve it without blocking, else
     * on a virtual thread, and completes {@code callback} once the response is complete.
     *
     * @return always {@code true}
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int refusal = limits.refusal(request);
        if (refusal != 0 || !limits.tryAcquire()) {
            refuse(response, callback, refusal == 0 ? 503 : refusal);
            return true;
        }
        JettyRequest spiRequest = new JettyRequest(request, limits);
        boolean nonBlocking;
        try {
            nonBlocking = handler.isNonBlocking(spiRequest);
        } catch (RuntimeException failure) {
            limits.release();
            LOG.error("{} {}: isNonBlocking failed; answered 500", request.getMethod(), request.getHttpURI().getPath(), failure);
            answer500(response, callback);
            return true;
        }
        if (nonBlocking) {
            try {
                serveWithoutBlocking(spiRequest, request, response, callback);
            } finally {
                limits.release();
            }
        } else if (request.getConnectionMetaData().getConnection().getEndPoint() instanceof SelectorConnector.EndPoint endPoint) {
            endPoint.handlerThreads().start(() -> admitted(spiRequest, request, response, callback));
        } else {
            VIRTUAL_EXECUTOR.execute(() -> {
                Runnable end = admitted(spiRequest, request, response, callback);
                if (end != null) {
                    end.run();
                }
            });
        }
        return true;
    }

    /**
     * Answers a request over a limit without running the handler, and closes the connection:
     * {@code 414}, {@code 431}, or {@code 503} with {@code Retry-After}.
     */
    private static void refuse(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        if (status == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        Content.Sink.write(response, true, HttpStatus.getMessage(status), callback);
    }

    private Runnable admitted(JettyRequest spiRequest, Request request, Response response, Callback callback) {
        try {
            return serve(spiRequest, request, response, callback);
        } finally {
            limits.release();
        }
    }

    /**
     * Serves a request on Jetty's thread: the handler writes into memory, and the response
     * leaves in one write that Jetty completes on its own.
     */
    private void serveWithoutBlocking(JettyRequest spiRequest, Request request, Response response, Callback callback) {
        JettyResponse exchange = new JettyResponse(request, response, callback, limits, true);
        try {
            handler.handle(spiRequest, exchange);
            exchange.finish();
        } catch (Throwable failure) {
            if (exchange.isCommitted()) {
                LOG.error("{} {} failed after the response was committed; aborting the connection", request.getMethod(),
                        request.getHttpURI().getPath(), failure);
                callback.failed(failure);
            } else {
                LOG.error("{} {} failed; answered 500", request.getMethod(), request.getHttpURI().getPath(), failure);
                answer500(response, callback);
            }
            return;
        }
        exchange.sendBuffered();
    }

    private static void answer500(Response response, Callback callback) {
        response.setStatus(500);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, "Internal Server Error", callback);
    }

    /**
     * Serves a request on its virtual thread.
     *
     * @return what completes the exchange once the response is written ({@code callback.succeeded()},
     *         which lets Jetty read the next request), or {@code null} if it is complete already
     */
    private Runnable serve(JettyRequest spiRequest, Request request, Response response, Callback callback) {
        JettyResponse exchange = new JettyResponse(request, response, callback, limits, false);
        try {
            handler.handle(spiRequest, exchange);
            if (exchange.finishWebSocket(null)) {
                return null;
            }
            exchange.finish();
            return callback::succeeded;
        } catch (Throwable failure) {
            if (exchange.finishWebSocket(failure)) {
                return null;
            }
            if (exchange.isCommitted()) {
                abort(exchange, response, callback, failure);
            } else {
                LOG.error("{} {} failed; answered 500", request.getMethod(), request.getHttpURI().getPath(), failure);
                answer500(response, callback);
            }
            return null;
        }
    }

    /**
     * Ends an exchange whose status line was promised: Jetty aborts the connection when the
     * callback fails after the response is committed, so the client sees a truncated response
     * rather than a second one. Headers still held back are pushed first for that reason.
     */
    private static void abort(JettyResponse exchange, Response response, Callback callback, Throwable failure) {
        if (exchange.isPeerGone(failure)) {
            LOG.debug("{} {}: client went away: {}", response.getRequest().getMethod(),
                    response.getRequest().getHttpURI().getPath(), failure.toString());
        } else {
            LOG.error("{} {} failed after the response was committed; aborting the connection",
                    response.getRequest().getMethod(), response.getRequest().getHttpURI().getPath(), failure);
        }
        if (!response.isCommitted()) {
            try {
                Content.Sink.write(response, false, null);
            } catch (IOException | RuntimeException ignored) {
                // the connection is being aborted anyway
            }
        }
        callback.failed(failure);
    }
}
