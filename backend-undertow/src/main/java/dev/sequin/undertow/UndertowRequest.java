package dev.sequin.undertow;

import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * An Undertow request seen through the SPI. Undertow has parsed it; this only translates, and
 * builds the header copy and the body stream when first asked for.
 *
 * <p>Header names come in Undertow's order (its header map does not keep the order of arrival
 * across names); the values of one name keep theirs.
 *
 * <pre>{@code
 * ServerRequest request = new UndertowRequest(exchange, owner);
 * request.rawPath();   // "/a%20b", below any prefix a PathHandler matched
 * }</pre>
 */
final class UndertowRequest implements ServerRequest {

    private final HttpServerExchange exchange;
    private final UndertowExchange owner;
    private String rawPath;
    private Headers headers;
    private InputStream body;

    /**
     * @param exchange the parsed request
     * @param owner    the exchange's response, whose waiter parks a body read while the client is slow
     */
    UndertowRequest(HttpServerExchange exchange, UndertowExchange owner) {
        this.exchange = exchange;
        this.owner = owner;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String rawPath() {
        if (rawPath == null) {
            rawPath = RawPath.of(exchange);
        }
        return rawPath;
    }

    @Override
    public String rawQuery() {
        String query = exchange.getQueryString();
        return query == null || query.isEmpty() ? null : query;
    }

    @Override
    public String protocol() {
        return exchange.getProtocol().toString();
    }

    @Override
    public String scheme() {
        return exchange.getRequestScheme();
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            Headers copy = new Headers();
            for (HeaderValues values : exchange.getRequestHeaders()) {
                String name = values.getHeaderName().toString();
                for (String value : values) {
                    copy.add(name, value);
                }
            }
            headers = copy;
        }
        return headers;
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.getSourceAddress();
    }

    @Override
    public InputStream body() {
        if (body == null) {
            body = new ChannelBodyStream(exchange.getRequestChannel(), owner.waiter());
        }
        return body;
    }
}
