package dev.sequin.benchmarks;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A request and response with no server behind them, for measuring the core's own cost: the
 * response body is counted and dropped.
 *
 * <pre>{@code
 * NullExchange exchange = NullExchange.get("/users/42");
 * api.handle(exchange, exchange.response());
 * }</pre>
 */
public final class NullExchange implements ServerRequest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private final String path;
    private final Headers headers = new Headers().add("Host", "bench").add("Accept", "*/*");
    private final Response response = new Response();

    private NullExchange(String path) {
        this.path = path;
    }

    /** @param path the raw path @return a GET exchange for it */
    public static NullExchange get(String path) {
        return new NullExchange(path);
    }

    /** @return the response side */
    public Response response() {
        return response;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String rawPath() {
        return path;
    }

    @Override
    public String rawQuery() {
        return null;
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return CLIENT;
    }

    @Override
    public InputStream body() {
        return InputStream.nullInputStream();
    }

    /** The response side: status, headers and a body counter. */
    public static final class Response implements ServerResponse, BodySink {
        private final Headers headers = new Headers();
        private int status = 200;
        private boolean committed;
        private long written;

        @Override
        public void setStatus(int status) {
            this.status = status;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public BodySink open(long contentLength) {
            committed = true;
            return this;
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        @Override
        public void write(ByteBuffer data) {
            written += data.remaining();
            data.position(data.limit());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** @return the body bytes written so far */
        public long written() {
            return written;
        }
    }
}
