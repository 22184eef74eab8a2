package dev.sequin.spi;

import java.io.IOException;

/**
 * A server library behind Sequin, found with {@link java.util.ServiceLoader}: a backend module
 * lists its implementation in {@code META-INF/services/dev.sequin.spi.Backend}.
 *
 * <p>An implementation must have a public no-argument constructor, start servers that call the
 * handler on virtual threads as {@link HttpHandler} describes, and pass the TCK
 * ({@code sequin-tck}).
 *
 * <pre>{@code
 * Backend backend = ServiceLoader.load(Backend.class).findFirst().orElseThrow();
 * try (Server server = backend.start(handler, ServerOptions.port(0))) {
 *     System.out.println("listening on " + server.port());
 * }
 * }</pre>
 */
public interface Backend {

    /** @return the short name users select it by, for example {@code undertow} */
    String name();

    /**
     * Starts a server that serves {@code handler}, and returns once it accepts connections.
     *
     * @param handler the handler every request goes to
     * @param options where to listen, and the limits to honour
     * @return the running server
     * @throws IOException if the server cannot bind or start
     */
    Server start(HttpHandler handler, ServerOptions options) throws IOException;
}
