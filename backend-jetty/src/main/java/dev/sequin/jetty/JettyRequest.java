package dev.sequin.jetty;

import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A Jetty {@link Request} seen through the SPI. Headers and the body stream are made on first
 * use; the body is Jetty's blocking stream over the request's {@link Content.Source}, which
 * reads from the connection only as the handler reads (and answers {@code Expect: 100-continue}
 * on the first read). Each read waits at most the read timeout of the {@link Limits}; a read that
 * fails closes the connection.
 */
final class JettyRequest implements ServerRequest {

    private final Request request;
    private final Limits limits;
    private Headers headers;
    private InputStream body;

    JettyRequest(Request request, Limits limits) {
        this.request = request;
        this.limits = limits;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        String context = Request.getContextPath(request);
        String path = context == null || context.isEmpty() || context.equals("/")
                ? request.getHttpURI().getPath()
                : Request.getPathInContext(request);
        return path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    @Override
    public String protocol() {
        return request.getConnectionMetaData().getHttpVersion().asString();
    }

    @Override
    public String scheme() {
        return request.isSecure() ? "https" : "http";
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            Headers copy = new Headers();
            for (HttpField field : request.getHeaders()) {
                copy.add(field.getName(), valueOf(field));
            }
            headers = copy;
        }
        return headers;
    }

    @Override
    public String header(String name) {
        HttpField field = request.getHeaders().getField(name);
        return field == null ? null : valueOf(field);
    }

    /** @return a header line's value, empty rather than {@code null} for a line without one */
    private static String valueOf(HttpField field) {
        String value = field.getValue();
        return value == null ? "" : value;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress address
                ? address
                : null;
    }

    @Override
    public InputStream body() {
        if (body == null) {
            body = new Body(request, limits, Content.Source.asInputStream(request));
        }
        return body;
    }

    /** Jetty's blocking body stream, each read under the read timeout. */
    private static final class Body extends InputStream {

        private final Request request;
        private final Limits limits;
        private final InputStream in;

        Body(Request request, Limits limits, InputStream in) {
            this.request = request;
            this.limits = limits;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return limits.read(request, () -> in.read(bytes, offset, length));
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
