package dev.sequin.netty;

import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;

/**
 * A Netty {@code HttpRequest} seen through the SPI; headers are converted on first use. Its body
 * is empty until {@link #streamBodyFrom} attaches the stream the event loop feeds.
 */
final class NettyRequest implements ServerRequest {

    /** The body of a request that has none: stateless, so one serves every request. */
    private static final InputStream EMPTY = new InputStream() {
        @Override
        public int read() {
            return -1;
        }
    };

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final RequestTarget target;
    private InputStream body = EMPTY;
    private Headers headers;

    /**
     * @param ctx     the Sequin handler's context
     * @param request the request line and headers as decoded
     * @param target  its path (prefix removed) and query
     */
    NettyRequest(ChannelHandlerContext ctx, HttpRequest request, RequestTarget target) {
        this.ctx = ctx;
        this.request = request;
        this.target = target;
    }

    /**
     * Makes {@link #body()} read from {@code stream}, before the request is handed to the handler.
     *
     * @param stream the request body as it arrives
     */
    void streamBodyFrom(RequestBody stream) {
        body = stream;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String rawPath() {
        return target.path();
    }

    @Override
    public String rawQuery() {
        return target.query();
    }

    @Override
    public String protocol() {
        return request.protocolVersion().text();
    }

    @Override
    public String scheme() {
        return ctx.pipeline().get(SslHandler.class) == null ? "http" : "https";
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            headers = new Headers();
            Iterator<Map.Entry<CharSequence, CharSequence>> all = request.headers().iteratorCharSequence();
            while (all.hasNext()) {
                Map.Entry<CharSequence, CharSequence> header = all.next();
                headers.add(header.getKey().toString(), header.getValue().toString());
            }
        }
        return headers;
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    /** @return the client's address, or {@code null} when the channel is not a socket */
    @Override
    public InetSocketAddress remoteAddress() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address : null;
    }

    @Override
    public InputStream body() {
        return body;
    }
}
