package dev.sequin.spi;

import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * A request as the server library parsed it: the backend translates, it never parses HTTP itself.
 *
 * <p>All values are as received on the wire: the path is still percent-encoded and the query is
 * raw. The body is a blocking stream fed by the connection with flow control: the backend never
 * buffers a whole body, and a handler that stops reading makes the server stop reading from the
 * socket. An implementation is used by one thread at a time.
 *
 * <pre>{@code
 * HttpHandler echo = (req, resp) -> {
 *     byte[] body = req.body().readAllBytes();
 *     try (BodySink sink = resp.open(body.length)) { sink.write(body); }
 * };
 * }</pre>
 */
public interface ServerRequest {

    /** @return the method, upper case as sent, for example {@code GET} */
    String method();

    /** @return the path as sent, still percent-encoded, without the query; starts with {@code /} */
    String rawPath();

    /** @return the query string as sent, without {@code ?}; {@code null} when there is none */
    String rawQuery();

    /** @return the protocol version, for example {@code HTTP/1.1} */
    String protocol();

    /** @return {@code http} or {@code https} */
    String scheme();

    /** @return the request headers, in the order received; not to be modified by handlers */
    Headers headers();

    /**
     * Returns the first value of one header. The core asks for the few headers it needs this way
     * ({@code Upgrade}, {@code Host}, {@code Content-Type}...), so a backend that answers from its
     * server library's own parsed headers spares a request whose handler never reads
     * {@link #headers()} the copy of them all. The default asks {@link #headers()}.
     *
     * <pre>{@code
     * String upgrade = request.header("Upgrade");   // null when absent
     * }</pre>
     *
     * @param name the header name, in any case
     * @return its first value, or {@code null} when it is absent; the same as {@code headers().get(name)}
     */
    default String header(String name) {
        return headers().get(name);
    }

    /** @return the address of the connected client */
    InetSocketAddress remoteAddress();

    /**
     * Returns the request body as a blocking stream. Reading blocks while the client has not sent
     * more; end of stream is the end of the body (an empty stream when there is none). Answering
     * {@code Expect: 100-continue} is the backend's business and happens on the first read.
     *
     * @return the body; the same stream on every call
     */
    InputStream body();
}
