package dev.sequin.jetty;

import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A Jetty {@link Request} seen through the SPI. Headers and the body stream are made on first
 * use; the body is Jetty's blocking stream over the request's {@link Content.Source}, which
 * reads from the connection only as the handler reads (and answers {@code Expect: 100-continue}
 * on the first read).
 */
final class JettyRequest implements ServerRequest {

    private final Request request;
    private Headers headers;
    private InputStream body;

    JettyRequest(Request request) {
        this.request = request;
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
                String value = field.getValue();
                copy.add(field.getName(), value == null ? "" : value);
            }
            headers = copy;
        }
        return headers;
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
            body = Content.Source.asInputStream(request);
        }
        return body;
    }
}
