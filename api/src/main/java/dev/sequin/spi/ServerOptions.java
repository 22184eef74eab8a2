package dev.sequin.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where and how a {@link Backend} serves: address, port, backend choice, and the limits and
 * timeouts every backend honours. Immutable: the {@code with…} methods return a copy.
 *
 * <p>Limits and timeouts, and what a client gets past them (the same on every backend):
 * <table>
 * <caption>limits</caption>
 * <tr><th>option</th><th>default</th><th>past it</th></tr>
 * <tr><td>{@link #maxRequestLineBytes()}</td><td>8192</td><td>{@code 414}, connection closed</td></tr>
 * <tr><td>{@link #maxHeaderBytes()}</td><td>16384</td><td>{@code 431}, connection closed</td></tr>
 * <tr><td>{@link #maxHeaderCount()}</td><td>100</td><td>{@code 431}, connection closed</td></tr>
 * <tr><td>{@link #maxConcurrentRequests()}</td><td>10000</td><td>{@code 503} with {@code Retry-After},
 *     handler not called, connection closed</td></tr>
 * <tr><td>{@link #idleTimeout()}</td><td>30 s</td><td>an idle keep-alive connection is closed</td></tr>
 * <tr><td>{@link #readTimeout()}</td><td>30 s</td><td>connection closed (or {@code 408})</td></tr>
 * <tr><td>{@link #writeTimeout()}</td><td>30 s</td><td>the write throws, connection closed</td></tr>
 * </table>
 * The size of the request body is not a server limit: the application decides it (Sequin's
 * {@code Api.builder().maxUploadBytes}), and backends stream bodies without buffering them.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.port(8080)
 *         .withHost("0.0.0.0")
 *         .withBackend("jetty")
 *         .withGracePeriod(Duration.ofSeconds(5))
 *         .withMaxConcurrentRequests(2_000)
 *         .withReadTimeout(Duration.ofSeconds(10));
 * }</pre>
 */
public final class ServerOptions {

    private static final ServerOptions DEFAULTS = new ServerOptions(new Values());

    private final String host;
    private final int port;
    private final String backend;
    private final Duration gracePeriod;
    private final Duration idleTimeout;
    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final int maxConcurrentRequests;
    private final Duration readTimeout;
    private final Duration writeTimeout;

    private ServerOptions(Values values) {
        if (values.port < 0 || values.port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, not " + values.port);
        }
        this.host = Objects.requireNonNull(values.host, "host");
        this.port = values.port;
        this.backend = values.backend;
        this.gracePeriod = requirePositive(values.gracePeriod, "gracePeriod");
        this.idleTimeout = requirePositive(values.idleTimeout, "idleTimeout");
        this.maxRequestLineBytes = requirePositive(values.maxRequestLineBytes, "maxRequestLineBytes");
        this.maxHeaderBytes = requirePositive(values.maxHeaderBytes, "maxHeaderBytes");
        this.maxHeaderCount = requirePositive(values.maxHeaderCount, "maxHeaderCount");
        this.maxConcurrentRequests = requirePositive(values.maxConcurrentRequests, "maxConcurrentRequests");
        this.readTimeout = requirePositive(values.readTimeout, "readTimeout");
        this.writeTimeout = requirePositive(values.writeTimeout, "writeTimeout");
    }

    /**
     * @return the defaults: {@code 127.0.0.1:8000}, backend from the classpath, 10 s grace, 30 s
     *         idle, read and write timeouts, and the limits in the class description
     */
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

    /**
     * The longest request line (method, target and version, without the line end) the server
     * accepts; a longer one is answered {@code 414} and the connection is closed.
     *
     * @return the limit in bytes; 8192 by default
     */
    public int maxRequestLineBytes() {
        return maxRequestLineBytes;
    }

    /**
     * The largest header section the server accepts, counting each field as its name, a colon,
     * a space, its value and the line end; a larger one is answered {@code 431} and the
     * connection is closed.
     *
     * @return the limit in bytes; 16384 by default
     */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * The most header fields a request may have; more are answered {@code 431} and the
     * connection is closed.
     *
     * @return the limit; 100 by default
     */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /**
     * The most requests whose handlers run at once, over all connections. A request beyond it is
     * answered {@code 503} with {@code Retry-After} without calling the handler (and without
     * starting a thread for it), and its connection is closed.
     *
     * @return the limit; 10000 by default
     */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /**
     * How long the server waits for a request that trickles in: the whole request head must
     * arrive within this time of its first byte, and each read of the body fails when no byte
     * arrives for this long. Either way the connection is closed (a backend may answer
     * {@code 408} first when nothing of the response was sent).
     *
     * @return the timeout; 30 s by default
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * How long a write of the response may wait for a client that does not read: past it the
     * write throws an {@link java.io.IOException} and the connection is closed.
     *
     * @return the timeout; 30 s by default
     */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** @param port the port; {@code 0} picks a free one @return a copy with this port */
    public ServerOptions withPort(int port) {
        return with(v -> v.port = port);
    }

    /** @param host the address to listen on @return a copy with this host */
    public ServerOptions withHost(String host) {
        return with(v -> v.host = host);
    }

    /** @param backend a backend name, or {@code null} for the classpath's @return a copy with this backend */
    public ServerOptions withBackend(String backend) {
        return with(v -> v.backend = backend);
    }

    /** @param gracePeriod how long a graceful stop waits @return a copy with this grace period */
    public ServerOptions withGracePeriod(Duration gracePeriod) {
        return with(v -> v.gracePeriod = gracePeriod);
    }

    /** @param idleTimeout how long an idle connection is kept @return a copy with this timeout */
    public ServerOptions withIdleTimeout(Duration idleTimeout) {
        return with(v -> v.idleTimeout = idleTimeout);
    }

    /**
     * @param maxRequestLineBytes the longest request line accepted, positive; see {@link #maxRequestLineBytes()}
     * @return a copy with this limit
     */
    public ServerOptions withMaxRequestLineBytes(int maxRequestLineBytes) {
        return with(v -> v.maxRequestLineBytes = maxRequestLineBytes);
    }

    /**
     * @param maxHeaderBytes the largest header section accepted, positive; see {@link #maxHeaderBytes()}
     * @return a copy with this limit
     */
    public ServerOptions withMaxHeaderBytes(int maxHeaderBytes) {
        return with(v -> v.maxHeaderBytes = maxHeaderBytes);
    }

    /**
     * @param maxHeaderCount the most header fields accepted, positive; see {@link #maxHeaderCount()}
     * @return a copy with this limit
     */
    public ServerOptions withMaxHeaderCount(int maxHeaderCount) {
        return with(v -> v.maxHeaderCount = maxHeaderCount);
    }

    /**
     * @param maxConcurrentRequests the most handlers running at once, positive; see {@link #maxConcurrentRequests()}
     * @return a copy with this limit
     */
    public ServerOptions withMaxConcurrentRequests(int maxConcurrentRequests) {
        return with(v -> v.maxConcurrentRequests = maxConcurrentRequests);
    }

    /**
     * @param readTimeout how long a trickling request is waited for, positive; see {@link #readTimeout()}
     * @return a copy with this timeout
     */
    public ServerOptions withReadTimeout(Duration readTimeout) {
        return with(v -> v.readTimeout = readTimeout);
    }

    /**
     * @param writeTimeout how long a write waits for a client that does not read, positive; see {@link #writeTimeout()}
     * @return a copy with this timeout
     */
    public ServerOptions withWriteTimeout(Duration writeTimeout) {
        return with(v -> v.writeTimeout = writeTimeout);
    }

    @Override
    public String toString() {
        return "ServerOptions[" + host + ":" + port + (backend == null ? "" : ", backend=" + backend)
                + ", gracePeriod=" + gracePeriod + ", idleTimeout=" + idleTimeout
                + ", readTimeout=" + readTimeout + ", writeTimeout=" + writeTimeout
                + ", maxRequestLineBytes=" + maxRequestLineBytes + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxHeaderCount=" + maxHeaderCount + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }

    private ServerOptions with(Consumer<Values> change) {
        Values values = new Values(this);
        change.accept(values);
        return new ServerOptions(values);
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
        return duration;
    }

    private static int requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    /** The fields of an instance being made, validated by the constructor; starts as the defaults. */
    private static final class Values {
        String host = "127.0.0.1";
        int port = 8000;
        String backend;
        Duration gracePeriod = Duration.ofSeconds(10);
        Duration idleTimeout = Duration.ofSeconds(30);
        int maxRequestLineBytes = 8192;
        int maxHeaderBytes = 16384;
        int maxHeaderCount = 100;
        int maxConcurrentRequests = 10_000;
        Duration readTimeout = Duration.ofSeconds(30);
        Duration writeTimeout = Duration.ofSeconds(30);

        Values() {
        }

        Values(ServerOptions from) {
            host = from.host;
            port = from.port;
            backend = from.backend;
            gracePeriod = from.gracePeriod;
            idleTimeout = from.idleTimeout;
            maxRequestLineBytes = from.maxRequestLineBytes;
            maxHeaderBytes = from.maxHeaderBytes;
            maxHeaderCount = from.maxHeaderCount;
            maxConcurrentRequests = from.maxConcurrentRequests;
            readTimeout = from.readTimeout;
            writeTimeout = from.writeTimeout;
        }
    }
}
