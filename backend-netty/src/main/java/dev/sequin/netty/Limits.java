package dev.sequin.netty;

import dev.sequin.spi.RequestLimits;
import dev.sequin.spi.ServerOptions;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Iterator;
import java.util.Map;

/**
 * The request limits and timeouts of {@link ServerOptions}, as {@link SequinChannelHandler}
 * applies them. Sizes are measured on the request the codec decoded (the codec's own limits are
 * only a ceiling at twice ours, see {@link #decoderConfig(ServerOptions, int)}): the request line
 * as method, target and version with a space between each, the header section as every field's
 * {@code name: value} and CRLF. Requests in flight are counted here, over all connections.
 *
 * <pre>{@code
 * Limits limits = Limits.of(options);
 * int status = limits.refusal(request);   // 414, 431 or 0
 * }</pre>
 */
final class Limits {

    /** No limit and no timeout of its own: an embedding pipeline's handlers decide. */
    static final Limits NONE = new Limits(RequestLimits.NONE, 0, 0);

    private final RequestLimits requests;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;

    private Limits(RequestLimits requests, long readTimeoutNanos, long writeTimeoutNanos) {
        this.requests = requests;
        this.readTimeoutNanos = readTimeoutNanos;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /**
     * @param options the server's options
     * @return every limit and timeout of {@code options}
     */
    static Limits of(ServerOptions options) {
        return new Limits(RequestLimits.of(options), options.readTimeout().toNanos(), options.writeTimeout().toNanos());
    }

    /**
     * @param options      the server's options
     * @param maxChunkSize the largest body piece the codec hands over at once
     * @return the codec's configuration: twice the request line and header section allowed, so
     *         that a request just over a limit is decoded and refused here, and a far larger one
     *         by the codec (with the same {@code 414} or {@code 431})
     */
    static HttpDecoderConfig decoderConfig(ServerOptions options, int maxChunkSize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength((int) Math.min(Integer.MAX_VALUE, 2L * options.maxRequestLineBytes()))
                .setMaxHeaderSize((int) Math.min(Integer.MAX_VALUE, 2L * options.maxHeaderBytes()))
                .setMaxChunkSize(maxChunkSize);
    }

    /**
     * @param status 400, 414, 431 or 503
     * @return the short text a refusal with that status carries, also its reason phrase
     */
    static String reason(int status) {
        return switch (status) {
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Bad Request";
        };
    }

    /**
     * @param request a request the codec decoded
     * @return {@code 414} if its request line is too long, {@code 431} if its header section is
     *         too large or has too many fields, {@code 0} if it is within the limits
     */
    int refusal(HttpRequest request) {
        long line = request.method().name().length() + 1L + request.uri().length() + 1
                + request.protocolVersion().text().length();
        long bytes = 0;
        int count = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = request.headers().iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            count++;
            bytes += field.getKey().length() + field.getValue().length() + 4;
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

    /** @return whether the read and write timeouts are enforced here rather than by an idle handler */
    boolean timesOut() {
        return readTimeoutNanos > 0;
    }

    /** @return how long a request head may take from its first byte, and a body read may wait; 0 for no limit */
    long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    /** @return how long a response write may wait for the client; 0 for no limit */
    long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }
}
