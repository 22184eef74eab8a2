package dev.sequin.jetty;

import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import java.io.IOException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The {@code jetty} backend: Sequin on Jetty 12 core handlers (no servlets), HTTP/1.1.
 *
 * <p>Threading. {@link SequinJettyHandler} declares itself {@code NON_BLOCKING}, so Jetty parses
 * a request and calls it on the selector thread that read the connection. A request to a
 * {@code @NonBlocking} view ({@code HttpHandler.isNonBlocking}) is answered right there, in one
 * write. Every other request goes to a virtual thread through the selector's
 * {@link dev.sequin.spi.HandlerThreads} ({@link SelectorConnector}): the requests one turn of the
 * selector reads start together once the turn is over, and their exchanges complete back on the
 * selector, in one task, between two selects. There Jetty reads the connection's next request
 * without waking a pool thread ({@link SelectorThreadPool}). The pool's virtual-threads executor
 * is the same factory, so any blocking task of Jetty's own also runs on a virtual thread. Measured
 * with {@code perf stat} on one core (2026-11-24, session 5): 1.15× the CPU per plaintext request
 * of raw Jetty, and 0.07 context switches per request, where handing each request to a virtual
 * thread on its own cost 2.7× and 1.3. Jetty's own {@code VirtualThreadPool} (selector included)
 * starved some connections for hundreds of milliseconds with one carrier thread (benchmarks
 * README, "Where Sequin's time goes"), so the selector stays a platform thread.
 *
 * <p>The connector has the host, port and idle timeout of the {@link ServerOptions}; responses
 * carry a {@code Date} but no {@code Server} or {@code X-Powered-By} header. The URI compliance
 * is Jetty's default plus encoded {@code /} and {@code %} in paths ({@code %2F}, {@code %25}):
 * the handler gets the raw path and splits it before decoding, so these are not ambiguous to it.
 *
 * <p>Limits, the same on every Sequin backend:
 * <ul>
 * <li>{@code idleTimeout} is the connector's idle timeout: a keep-alive connection idle between
 *     requests is closed.</li>
 * <li>{@code readTimeout}: a request head must arrive within it from its first byte, however it
 *     trickles, or the connection is closed ({@link HeadTimeoutConnectionFactory}, since Jetty's
 *     idle timeout restarts with every byte); a body read that waits that long for the client
 *     fails and closes the connection.</li>
 * <li>{@code writeTimeout}: a body write that waits that long for a client that does not read
 *     throws and closes the connection. While a body read or write waits, the connection's idle
 *     timeout is raised above these timeouts if it is shorter, so they, not it, apply.</li>
 * <li>{@code maxRequestLineBytes}, {@code maxHeaderBytes}, {@code maxHeaderCount} are measured on
 *     the request Jetty parsed and answered {@code 414} or {@code 431} ({@code text/plain},
 *     connection closed) without calling the handler. Jetty's {@code requestHeaderSize} is set to
 *     twice the line and header limits together: a head even larger gets the same status from
 *     Jetty's parser.</li>
 * <li>{@code maxConcurrentRequests}: a request beyond it is answered {@code 503} with
 *     {@code Retry-After: 1} without calling the handler.</li>
 * <li>The body size is the application's: bodies stream to the handler, so it can refuse one
 *     before it has arrived.</li>
 * </ul>
 *
 * <p>Framing: the HTTP compliance is RFC 9110 without its one allowance, a bare LF as line end, so
 * Jetty's parser refuses that, {@code Content-Length} with {@code Transfer-Encoding}, several
 * {@code Content-Length}s, obsolete line folding, a NUL in a field and whitespace in or after a
 * field name with {@code 400} and closes the connection. A body read that fails (a malformed
 * chunk) closes the connection without an answer. Jetty's own answers (malformed requests, heads
 * too large) are the reason phrase as {@code text/plain} ({@link PlainErrorHandler}), never its
 * HTML page with the parser's message. A body written past its announced {@code Content-Length}
 * makes the write throw and the connection close.
 *
 * <pre>{@code
 * try (Server server = new JettyBackend().start(handler, ServerOptions.port(0))) {
 *     System.out.println("http://127.0.0.1:" + server.port());
 * }   // stops accepting, waits for requests in flight up to the grace period, then stops
 * }</pre>
 */
public final class JettyBackend implements Backend {

    /**
     * How much each read of the socket may take (Jetty's {@code inputBufferSize}, 8 KiB by
     * default), so how big a body chunk a handler's read can get at once. A 1 GiB upload read by
     * a virtual thread measured 893–1044 ms of server CPU and 115,000–127,000 context switches
     * with 8 KiB, 438–491 ms and 42,000–47,000 with 64 KiB: each chunk the reader waits for costs
     * it a park and Jetty's demand a wake-up. The buffer is pooled and held only while a
     * connection reads.
     */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

    /** Creates the backend; {@link java.util.ServiceLoader} calls this. */
    public JettyBackend() {
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public Server start(HttpHandler handler, ServerOptions options) throws IOException {
        QueuedThreadPool threads = new SelectorThreadPool();
        threads.setName("sequin-jetty");
        threads.setVirtualThreadsExecutor(SequinJettyHandler.VIRTUAL_EXECUTOR);

        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server(threads);
        HeadTimeoutConnectionFactory http = new HeadTimeoutConnectionFactory(httpConfiguration(options), options.readTimeout());
        http.setInputBufferSize(INPUT_BUFFER_BYTES);
        ServerConnector connector = new SelectorConnector(jetty, http);
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        jetty.addConnector(connector);
        jetty.setHandler(new GracefulHandler(new SequinJettyHandler(handler, Limits.of(options))));
        jetty.setErrorHandler(new PlainErrorHandler());
        jetty.setStopTimeout(options.gracePeriod().toMillis());
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty, e);
            throw e instanceof IOException io ? io
                    : new IOException("Jetty could not start on " + options.host() + ":" + options.port(), e);
        }
        return new JettyServer(jetty, connector.getLocalPort());
    }

    private static HttpConfiguration httpConfiguration(ServerOptions options) {
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(Limits.headCeiling(options));
        config.setHttpCompliance(HttpCompliance.RFC9110.without("sequin", HttpCompliance.Violation.LF_HEADER_TERMINATION));
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setSendDateHeader(true);
        config.setUriCompliance(UriCompliance.DEFAULT.with("sequin",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        return config;
    }

    private static void stopQuietly(org.eclipse.jetty.server.Server jetty, Exception cause) {
        try {
            jetty.stop();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
