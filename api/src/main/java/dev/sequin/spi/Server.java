package dev.sequin.spi;

/**
 * A running server started by a {@link Backend}.
 *
 * <pre>{@code
 * try (Server server = backend.start(handler, ServerOptions.port(0))) {
 *     URI base = URI.create("http://127.0.0.1:" + server.port());
 *     ...
 * }   // graceful stop
 * }</pre>
 */
public interface Server extends AutoCloseable {

    /** @return the port the server listens on: the real one when {@code 0} was asked for */
    int port();

    /**
     * Stops gracefully: stops accepting connections, lets requests in flight finish within
     * {@link ServerOptions#gracePeriod()}, then cuts what is left. Idempotent; returns once the
     * server has stopped.
     */
    @Override
    void close();
}
