package dev.sequin.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request-size and concurrency limits of {@link ServerOptions}, decided the same way on every
 * backend: a backend measures a parsed request with its library's own types and asks
 * {@link #refusal}, and counts the requests it runs with {@link #tryAcquire}/{@link #release}.
 *
 * <pre>{@code
 * RequestLimits limits = RequestLimits.of(options);
 * int status = limits.refusal(requestLineBytes, headerCount, headerBytes);   // 414, 431 or 0
 * if (status == 0 && limits.tryAcquire()) {
 *     try { serve(); } finally { limits.release(); }
 * }
 * }</pre>
 */
public final class RequestLimits {

    /** No limit: an embedding server's own settings apply. */
    public static final RequestLimits NONE = new RequestLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE);

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final int maxConcurrentRequests;
    private final AtomicInteger inFlight = new AtomicInteger();

    private RequestLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, int maxConcurrentRequests) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    /**
     * @param options the server's options
     * @return a fresh counter with the options' limits
     */
    public static RequestLimits of(ServerOptions options) {
        return new RequestLimits(options.maxRequestLineBytes(), options.maxHeaderBytes(), options.maxHeaderCount(),
                options.maxConcurrentRequests());
    }

    /**
     * @param requestLineBytes the length of the request line without its CRLF
     * @param headerCount      how many header fields the request has
     * @param headerBytes      the header section's size, each field counted as name, ": ", value, CRLF
     * @return {@code 414} if the request line is too long, {@code 431} if the header section is
     *         too large or has too many fields, {@code 0} if the request is within the limits
     */
    public int refusal(long requestLineBytes, int headerCount, long headerBytes) {
        if (requestLineBytes > maxRequestLineBytes) {
            return 414;
        }
        return headerCount > maxHeaderCount || headerBytes > maxHeaderBytes ? 431 : 0;
    }

    /** @return whether a request may run now; if so, {@link #release()} must follow */
    public boolean tryAcquire() {
        if (inFlight.incrementAndGet() > maxConcurrentRequests) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Ends a request that {@link #tryAcquire()} let run. */
    public void release() {
        inFlight.decrementAndGet();
    }
}
