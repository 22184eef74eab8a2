package dev.sequin.undertow;

import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves Sequin on Undertow. Found by {@link java.util.ServiceLoader} under the name
 * {@code undertow}; each request runs on its own virtual thread, or, without a body and when
 * the handler allows it ({@code HttpHandler.isNonBlocking}), on the I/O thread that parsed it
 * (see {@link SequinHandler}).
 *
 * <p>What the {@link ServerOptions} mean here: {@code host} and {@code port} make Undertow's HTTP
 * listener ({@code 0} picks a free port, which {@link Server#port()} reports); {@code gracePeriod}
 * bounds how long {@link Server#close()} waits for requests in flight.
 *
 * <p>Limits, the same on every Sequin backend:
 * <ul>
 * <li>{@code idleTimeout} is Undertow's {@code NO_REQUEST_TIMEOUT}: a keep-alive connection idle
 *     between requests is closed.</li>
 * <li>{@code readTimeout} is Undertow's {@code REQUEST_PARSE_TIMEOUT}: a request head must arrive
 *     within it from its first byte, however it trickles, or the connection is closed; and a body
 *     read that waits that long for the client fails and closes the connection.</li>
 * <li>{@code writeTimeout}: a body write that waits that long for a client that does not read
 *     throws and closes the connection.</li>
 * <li>{@code maxRequestLineBytes}, {@code maxHeaderBytes}, {@code maxHeaderCount} are measured on
 *     the request Undertow parsed and answered {@code 414} or {@code 431} ({@code text/plain},
 *     connection closed) without calling the handler. Undertow's {@code MAX_HEADER_SIZE} is set to
 *     twice the line and header limits together: a head even larger gets Undertow's own
 *     {@code 400} (empty body) and the connection closes.</li>
 * <li>{@code maxConcurrentRequests}: a request beyond it is answered {@code 503} with
 *     {@code Retry-After: 1} from the I/O thread, without starting a virtual thread.</li>
 * <li>The body size is the application's: bodies stream to the handler ({@code MAX_ENTITY_SIZE}
 *     is lifted), so it can refuse one before it has arrived.</li>
 * </ul>
 *
 * <p>Framing: Undertow's parser refuses {@code Content-Length} with {@code Transfer-Encoding},
 * several {@code Content-Length}s, a bare LF line end, a NUL in a field and whitespace in or after
 * a field name with {@code 400} and closes the connection. A body read that fails (a malformed
 * chunk) closes the connection without an answer. Obsolete line folding (a head line beginning
 * with a space or a tab), which Undertow would unfold into a space without a trace, is spotted in
 * the bytes of each request head as they arrive ({@link FoldDetector}) and refused the same way,
 * with Undertow's own {@code 400}. A body written past its announced {@code Content-Length} makes the
 * write throw and the connection close. No {@code Server} header is sent.
 *
 * <pre>{@code
 * try (Server server = new UndertowBackend().start(handler, ServerOptions.port(0))) {
 *     System.out.println("http://127.0.0.1:" + server.port());
 * }
 * }</pre>
 */
public final class UndertowBackend implements Backend {

    /** Creates the backend; {@link java.util.ServiceLoader} calls this. */
    public UndertowBackend() {
    }

    @Override
    public String name() {
        return "undertow";
    }

    @Override
    public Server start(HttpHandler handler, ServerOptions options) throws IOException {
        return UndertowServer.start(Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(options, "options"));
    }
}
