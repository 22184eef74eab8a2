package dev.sequin.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link Backend} serves: address, port, backend choice, and the limits and
 * timeouts every backend honours. Immutable: the {@code with…} methods return a copy.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.port(8080)
 *         .withHost("0.0.0.0")
 *         .withBackend("jetty")
 *         .withGracePeriod(Duration.ofSeconds(5));
 * }</pre>
 */
public final class ServerOptions {

    private static final ServerOptions DEFAULTS =
            new ServerOptions("127.0.0.1", 8000, null, Duration.ofSeconds(10), Duration.ofSeconds(30));

    private final String host;
    private final int port;
    private final String backend;
    private final Duration gracePeriod;
    private final Duration idleTimeout;

    private ServerOptions(String host, int port, String backend, Duration gracePeriod, Duration idleTimeout) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, not " + port);
        }
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.backend = backend;
        this.gracePeriod = requirePositive(gracePeriod, "gracePeriod");
        this.idleTimeout = requirePositive(idleTimeout, "idleTimeout");
    }

    /** @return the defaults: {@code 127.0.0.1:8000}, backend from the classpath, 10 s grace, 30 s idle */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param port the port to listen on; {@code 0} picks a free one
     * @return the defaults with this port
     */
    public static ServerOptions port(int port) {
        return DEFAULTS.withPort(port);
    }

    /**
     * @param host the address to listen on
     * @return the defaults with this host
     */
    public static ServerOptions host(String host) {
        return DEFAULTS.withHost(host);
    }

    /**
     * @param backend the backend's name, as {@link Backend#name()}
     * @return the defaults with this backend
     */
    public static ServerOptions backend(String backend) {
        return DEFAULTS.withBackend(backend);
    }

    /** @return the address to listen on */
    public String host() {
        return host;
    }

    /** @return the port to listen on; {@code 0} means any free port */
    public int port() {
        return port;
    }

    /** @return the name of the backend to use, or {@code null} to choose from the classpath */
    public String backend() {
        return backend;
    }

    /** @return how long {@link Server#close()} lets requests in flight finish */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /** @return how long a keep-alive connection may stay idle before the server closes it */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @param port the port; {@code 0} picks a free one @return a copy with this port */
    public ServerOptions withPort(int port) {
        return new ServerOptions(host, port, backend, gracePeriod, idleTimeout);
    }

    /** @param host the address to listen on @return a copy with this host */
    public ServerOptions withHost(String host) {
        return new ServerOptions(host, port, backend, gracePeriod, idleTimeout);
    }

    /** @param backend a backend name, or {@code null} for the classpath's @return a copy with this backend */
    public ServerOptions withBackend(String backend) {
        return new ServerOptions(host, port, backend, gracePeriod, idleTimeout);
    }

    /** @param gracePeriod how long a graceful stop waits @return a copy with this grace period */
    public ServerOptions withGracePeriod(Duration gracePeriod) {
        return new ServerOptions(host, port, backend, gracePeriod, idleTimeout);
    }

    /** @param idleTimeout how long an idle connection is kept @return a copy with this timeout */
    public ServerOptions withIdleTimeout(Duration idleTimeout) {
        return new ServerOptions(host, port, backend, gracePeriod, idleTimeout);
    }

    @Override
    public String toString() {
        return "ServerOptions[" + host + ":" + port + (backend == null ? "" : ", backend=" + backend)
                + ", gracePeriod=" + gracePeriod + ", idleTimeout=" + idleTimeout + "]";
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
        return duration;
    }
}
