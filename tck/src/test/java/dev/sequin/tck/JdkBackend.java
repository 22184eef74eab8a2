package dev.sequin.tck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sequin.spi.Backend;
import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal backend on the JDK's {@code com.sun.net.httpserver}, so the TCK can run in its own
 * build without any real backend and prove the kit itself. It is a test fixture, not a supported
 * backend. A handler failing after commit makes the JDK server close the connection (the abort
 * the SPI asks for); HEAD gets its Content-Length set here, since the JDK server drops it.
 */
final class JdkBackend implements Backend {

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public Server start(HttpHandler handler, ServerOptions options) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        server.createContext("/", exchange -> serve(handler, exchange));
        server.start();
        return new Server() {
            @Override
            public int port() {
                return server.getAddress().getPort();
            }

            @Override
            public void close() {
                server.stop((int) Math.max(1, options.gracePeriod().toSeconds()));
                threads.shutdownNow(); // handlers still running past the grace period are interrupted, not awaited
            }
        };
    }

    private static void serve(HttpHandler handler, HttpExchange exchange) throws IOException {
        JdkResponse response = new JdkResponse(exchange);
        try {
            handler.handle(new JdkRequest(exchange), response);
        } catch (Exception e) {
            if (response.isCommitted()) {
                throw new IOException("handler failed after commit; the JDK server closes the connection", e);
            }
            response.headers().clear();
            response.setStatus(500);
            response.headers().set("Content-Type", "text/plain; charset=utf-8");
            byte[] body = "Internal Server Error".getBytes(StandardCharsets.UTF_8);
            try (BodySink sink = response.open(body.length)) {
                sink.write(body);
            }
            return;
        }
        if (!response.isCommitted()) {
            response.open(0);
        }
        response.sink.close();
    }

    /** The request side of a JDK exchange. */
    private record JdkRequest(HttpExchange exchange, Headers headers) implements ServerRequest {
        JdkRequest(HttpExchange exchange) {
            this(exchange, new Headers());
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return exchange.getRequestURI().getRawPath();
        }

        @Override
        public String rawQuery() {
            return exchange.getRequestURI().getRawQuery();
        }

        @Override
        public String protocol() {
            return exchange.getProtocol();
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return exchange.getRemoteAddress();
        }

        @Override
        public InputStream body() {
            return exchange.getRequestBody();
        }
    }

    /** The response side of a JDK exchange. */
    private static final class JdkResponse implements ServerResponse {
        private final HttpExchange exchange;
        private final Headers headers = new Headers();
        private int status = 200;
        private BodySink sink;

        JdkResponse(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public void setStatus(int status) {
            if (sink != null) {
                throw new IllegalStateException("committed");
            }
            this.status = status;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public BodySink open(long contentLength) throws IOException {
            if (sink != null) {
                throw new IllegalStateException("already open");
            }
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            boolean bodiless = head || status == 204 || status == 304;
            if (head && contentLength >= 0 && status != 204 && status != 304) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(contentLength));
            }
            long length = bodiless || contentLength == 0 ? -1 : contentLength < 0 ? 0 : contentLength;
            exchange.sendResponseHeaders(status, length);
            OutputStream out = exchange.getResponseBody();
            sink = new BodySink() {
                @Override
                public void write(ByteBuffer data) throws IOException {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    if (!bodiless) {
                        out.write(bytes);
                    }
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
            return sink;
        }

        @Override
        public boolean isCommitted() {
            return sink != null;
        }
    }
}
