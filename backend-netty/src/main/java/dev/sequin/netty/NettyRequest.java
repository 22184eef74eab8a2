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

/** A Netty {@code HttpRequest} seen through the SPI; headers are converted on first use. */
final class NettyRequest implements ServerRequest {

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final RequestTarget target;
    private final RequestBody body;
    private Headers headers;

    /**
     * @param ctx     the Sequin handler's context
     * @param request the request line and headers as decoded
     * @param target  its path (prefix removed) and query
     * @param body    its body
     */
    NettyRequest(ChannelHandlerContext ctx, HttpRequest request, RequestTarget target, RequestBody body) {
        this.ctx = ctx;
        this.request = request;
        this.target = target;
        this.body = body;
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
