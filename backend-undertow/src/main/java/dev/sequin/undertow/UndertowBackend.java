package dev.sequin.undertow;

import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves Sequin on Undertow. Found by {@link java.util.ServiceLoader} under the name
 * {@code undertow}; each request runs on its own virtual thread (see {@link SequinHandler}).
 *
 * <p>What the {@link ServerOptions} mean here: {@code host} and {@code port} make Undertow's HTTP
 * listener ({@code 0} picks a free port, which {@link Server#port()} reports);
 * {@code idleTimeout} closes a keep-alive connection idle between requests, and fails a body read
 * or write that waits that long for the client; {@code gracePeriod} bounds how long
 * {@link Server#close()} waits for requests in flight. No {@code Server} header is sent.
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
