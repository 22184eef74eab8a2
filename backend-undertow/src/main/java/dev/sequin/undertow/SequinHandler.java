package dev.sequin.undertow;

import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Puts any Sequin SPI handler (a Sequin {@code Api} is one) into an Undertow server, next to the
 * server's own handlers. {@link UndertowBackend} serves through this same class.
 *
 * <p>Each request is handed to a new virtual thread, where the SPI handler runs and may block: it
 * reads the body and writes the response through Undertow's non-blocking channels, parking the
 * virtual thread (not an I/O thread) while the client is slow. {@code Expect: 100-continue} is
 * answered when the handler first reads the body.
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

    private static final Executor VIRTUAL_THREADS = Thread::startVirtualThread;
    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(36_500);

    private final HttpHandler handler;
    private final long ioTimeoutNanos;
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
        this.handler = Objects.requireNonNull(handler, "handler");
        if (ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("ioTimeout must be positive, not " + ioTimeout);
        }
        this.ioTimeoutNanos = (ioTimeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : ioTimeout).toNanos();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        entry.handleRequest(exchange);
    }

    private void dispatch(HttpServerExchange exchange) {
        exchange.dispatch(VIRTUAL_THREADS, new UndertowExchange(exchange, handler, ioTimeoutNanos));
    }
}
