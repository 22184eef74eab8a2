package dev.sequin.undertow;

import dev.sequin.spi.HandlerThreads;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.xnio.XnioIoThread;

/**
 * Puts any Sequin SPI handler (a Sequin {@code Api} is one) into an Undertow server, next to the
 * server's own handlers. {@link UndertowBackend} serves through this same class.
 *
 * <p>Each request is handed to a new virtual thread, where the SPI handler runs and may block: it
 * reads the body and writes the response through Undertow's non-blocking channels, parking the
 * virtual thread (not an I/O thread) while the client is slow. {@code Expect: 100-continue} is
 * answered when the handler first reads the body. The requests an I/O thread parses in one turn
 * of its loop start together once the turn is over, and the ends of their responses come back to
 * it together ({@link HandlerThreads}): a busy server wakes a carrier thread and an I/O thread
 * once per batch of requests, not once per request.
 *
 * <p>The exception: a request without a body that the SPI handler may serve without blocking
 * ({@link HttpHandler#isNonBlocking}, asked on the I/O thread, for requests without a body only)
 * is served right there, its response kept in memory and sent in one write when the handler
 * returns; such a request cannot become a WebSocket. A handler that throws from
 * {@code isNonBlocking} gets a {@code 500}, as from {@code handle}.
 *
 * <p>Paths: the SPI handler sees, as {@code rawPath()}, the part of the still percent-encoded path
 * below the prefix that Undertow's routing (for example {@code PathHandler.addPrefixPath}) already
 * matched, always starting with {@code /}. Under {@code "/sequin"}, a request for
 * {@code /sequin/users/a%20b?x=1} reaches the handler as {@code /users/a%20b} with query
 * {@code x=1}, and {@code /sequin} itself as {@code /}. Mounted at the root, it sees the full path.
 *
 * <p>The server's own settings apply: a request body over Undertow's {@code MAX_ENTITY_SIZE} (2 MiB
 * unless configured) makes the body read fail, answered {@code 413} if nothing was sent yet.
 * ({@link UndertowBackend} lifts that limit: there the handler decides how much to read.)
 * Undertow's {@code MAX_HEADER_SIZE}, {@code MAX_HEADERS} and request timeouts apply likewise; the request-size
 * and concurrency limits of {@code ServerOptions} are {@link UndertowBackend}'s, not this
 * handler's, and so is the refusal of obsolete line folding (embedded, Undertow unfolds it). A
 * body read or write that waits longer than the I/O timeout for the client fails and closes the
 * connection, as does any failed body read (its framing is lost).
 *
 * <p>Give the server a buffer pool without thread-local caches, as below: Undertow's default pool
 * caches buffers per thread, and with a virtual thread per request those caches exhaust direct
 * memory under load.
 *
 * <p>Place it where Undertow calls it directly (on an I/O thread or a worker), not behind
 * {@code BlockingHandler}: it needs Undertow's channels, not the blocking streams.
 *
 * <pre>{@code
 * Undertow server = Undertow.builder()
 *         .addHttpListener(8080, "127.0.0.1")
 *         .setByteBufferPool(new DefaultByteBufferPool(true, 16 * 1024, 1024, 0))   // no per-thread cache
 *         .setHandler(Handlers.path()
 *                 .addPrefixPath("/plain", exchange -> exchange.getResponseSender().send("plain"))
 *                 .addPrefixPath("/sequin", new SequinHandler(api)))
 *         .build();
 * server.start();
 * }</pre>
 */
public final class SequinHandler implements io.undertow.server.HttpHandler {

    /** One name for every request's thread: a numbered one costs a new string per request (a dump tells them apart by id). */
    private static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().name("sequin-undertow-request").factory();
    /** Each I/O thread's hand-off to virtual threads, made on first use on it. */
    private static final ThreadLocal<HandlerThreads> HANDLER_THREADS =
            ThreadLocal.withInitial(() -> new HandlerThreads(XnioIoThread.requireCurrentThread(), VIRTUAL_THREADS));

    private final HttpHandler handler;
    private final Limits limits;
    private final OpenWebSockets webSockets;
    private final io.undertow.server.HttpHandler entry = new HttpContinueReadHandler(this::dispatch);

    /**
     * Wraps {@code handler}, failing a body read or write that makes no progress for the default
     * idle timeout ({@link ServerOptions#idleTimeout()} of {@link ServerOptions#defaults()}).
     *
     * @param handler the SPI handler to serve
     */
    public SequinHandler(HttpHandler handler) {
        this(handler, ServerOptions.defaults().idleTimeout());
    }

    /**
     * Wraps {@code handler}.
     *
     * @param handler   the SPI handler to serve
     * @param ioTimeout how long a body read or write may wait for the client before it fails and
     *                  the connection is closed
     */
    public SequinHandler(HttpHandler handler, Duration ioTimeout) {
        this(handler, Limits.timeoutsOnly(ioTimeout));
    }

    /**
     * Wraps {@code handler} with every limit and timeout of {@code options}, as
     * {@link UndertowBackend} serves it.
     *
     * @param handler the SPI handler to serve
     * @param options the limits and timeouts to apply
     */
    SequinHandler(HttpHandler handler, ServerOptions options) {
        this(handler, Limits.of(options));
    }

    private SequinHandler(HttpHandler handler, Limits limits) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.limits = limits;
        this.webSockets = new OpenWebSockets(Duration.ofNanos(limits.writeTimeoutNanos()));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        entry.handleRequest(exchange);
    }

    /**
     * Closes the open WebSocket connections with {@code 1001} and waits for them, at most {@code grace}.
     *
     * @param grace how long to wait for the closing handshakes
     */
    void closeWebSockets(Duration grace) {
        webSockets.closeAll(grace);
    }

    private void dispatch(HttpServerExchange exchange) {
        int refusal = limits.refusal(exchange);
        if (refusal != 0 || !limits.tryAcquire()) {
            refuse(exchange, refusal == 0 ? 503 : refusal);
            return;
        }
        UndertowExchange served = new UndertowExchange(exchange, handler, limits);
        if (exchange.isInIoThread() && exchange.isRequestComplete() && served.serveHereIfNonBlocking()) {
            return;
        }
        exchange.putAttachment(OpenWebSockets.KEY, webSockets);
        keepReading(exchange);
        if (exchange.isInIoThread()) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> HANDLER_THREADS.get().start(served));
        } else {
            exchange.dispatch(task -> VIRTUAL_THREADS.newThread(task).start(), () -> endOnIoThread(exchange, served.serve()));
        }
    }

    /** Runs the end of an exchange served off its I/O thread (an embedding server dispatched it), there. */
    private static void endOnIoThread(HttpServerExchange exchange, Runnable end) {
        if (end != null) {
            exchange.getIoThread().execute(end);
        }
    }

    /**
     * Undoes, for a request without a body, the suspension of reads that Undertow's HTTP/1.1 read
     * listener makes once it has parsed a request. Undertow reads again when the exchange ends; on
     * the I/O thread, within one turn of its selector loop, that costs nothing, but the exchange
     * ends on a later turn here, after the virtual thread has answered, so the connection's
     * interest in reads would be dropped from {@code epoll} and added back (two {@code epoll_ctl}
     * per request). Kept armed, the connection stays registered; if bytes do arrive before the
     * exchange ends (a pipelined request, or the client closing), Undertow's read listener sees
     * the request still running and suspends reads then, as it does for any connection.
     *
     * <p>Only plain HTTP/1.1 connections on their I/O thread qualify, and only requests whose body
     * is complete (none) and that do not ask for an upgrade: a body is read by the handler from
     * the connection itself, with reads under its control, and TLS connections must not be read
     * from two threads.
     */
    private static void keepReading(HttpServerExchange exchange) {
        if (exchange.isInIoThread()
                && exchange.isRequestComplete()
                && !exchange.getRequestHeaders().contains(Headers.UPGRADE)
                && exchange.getConnection() instanceof HttpServerConnection connection
                && connection.getSslSessionInfo() == null) {
            connection.getOriginalSourceConduit().resumeReads();
        }
    }

    /**
     * Answers a request over a limit from the I/O thread, without running the handler, and closes
     * the connection afterwards: {@code 414}, {@code 431}, or {@code 503} with {@code Retry-After}.
     */
    private static void refuse(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (status == 503) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        }
        exchange.getResponseSender().send(Limits.reason(status));
    }
}
