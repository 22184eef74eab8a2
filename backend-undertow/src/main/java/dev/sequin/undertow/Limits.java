package dev.sequin.undertow;

import dev.sequin.spi.RequestLimits;
import dev.sequin.spi.ServerOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.time.Duration;

/**
 * The request limits and body timeouts of {@link ServerOptions}, as {@link SequinHandler} applies
 * them: the sizes are measured on what Undertow parsed (Undertow's own {@code MAX_HEADER_SIZE} is
 * only a ceiling at twice the head, see {@link #headCeiling(ServerOptions)}), and requests in
 * flight are counted here.
 *
 * <p>Sizes: the request line is method, target and version with a space between each; the header
 * section is every field as {@code name: value} and CRLF.
 *
 * <pre>{@code
 * Limits limits = Limits.of(options);
 * int status = limits.refusal(exchange);         // 414, 431 or 0
 * if (status == 0 && limits.tryAcquire()) { ...; limits.release(); }
 * }</pre>
 */
final class Limits {

    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(36_500);

    private final RequestLimits requests;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;

    private Limits(RequestLimits requests, Duration readTimeout, Duration writeTimeout) {
        this.requests = requests;
        this.readTimeoutNanos = nanos(readTimeout, "readTimeout");
        this.writeTimeoutNanos = nanos(writeTimeout, "writeTimeout");
    }

    /**
     * @param options the server's options
     * @return every limit and timeout of {@code options}
     */
    static Limits of(ServerOptions options) {
        return new Limits(RequestLimits.of(options), options.readTimeout(), options.writeTimeout());
    }

    /**
     * @param ioTimeout how long a body read or write may wait for the client
     * @return no size or concurrency limit (the embedding server's own apply), this timeout for reads and writes
     */
    static Limits timeoutsOnly(Duration ioTimeout) {
        return new Limits(RequestLimits.NONE, ioTimeout, ioTimeout);
    }

    /**
     * @param options the server's options
     * @return Undertow's {@code MAX_HEADER_SIZE}: twice the request line and header section allowed,
     *         so that every request just over a limit is parsed and answered {@code 414} or
     *         {@code 431} here, and a far larger one is cut by Undertow ({@code 400})
     */
    static int headCeiling(ServerOptions options) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * (options.maxRequestLineBytes() + options.maxHeaderBytes()));
    }

    /**
     * @param status 408, 414, 431 or 503
     * @return the short text a refusal with that status carries
     */
    static String reason(int status) {
        return switch (status) {
            case 408 -> "Request Timeout";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Bad Request";
        };
    }

    /**
     * @param exchange a request Undertow has parsed
     * @return {@code 414} if its request line is too long, {@code 431} if its header section is
     *         too large or has too many fields, {@code 0} if it is within the limits
     */
    int refusal(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        long line = exchange.getRequestMethod().length() + 1L + exchange.getRequestURI().length()
                + (query == null || query.isEmpty() ? 0 : 1 + query.length()) + 1 + exchange.getProtocol().length();
        long bytes = 0;
        int count = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            int name = values.getHeaderName().length();
            for (String value : values) {
                count++;
                bytes += name + value.length() + 4;
            }
        }
        return requests.refusal(line, count, bytes);
    }

    /** @return whether a request may run now; if so, {@link #release()} must follow */
    boolean tryAcquire() {
        return requests.tryAcquire();
    }

    /** Ends a request that {@link #tryAcquire()} let run. */
    void release() {
        requests.release();
    }

    /** @return how long a body read may wait for the client */
    long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    /** @return how long a body write may wait for the client */
    long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }

    private static long nanos(Duration timeout, String name) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + timeout);
        }
        return (timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : timeout).toNanos();
    }
}
