package dev.sequin.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The response half of {@link NettyBackend}'s HTTP codec: Netty's {@code HttpResponseEncoder},
 * told by the {@link RequestDecoder} which request each response answers, as
 * {@code HttpServerCodec} does: a response to {@code HEAD} has no body framing (the
 * {@code Content-Length} or chunked header stays, no body or last chunk follows), a {@code 2xx}
 * to {@code CONNECT} loses {@code Transfer-Encoding}, and a response to a request that the
 * decoder wants to be the last closes the connection once written. Interim ({@code 1xx})
 * responses answer no request.
 *
 * <pre>{@code
 * RequestDecoder decoder = new RequestDecoder(new HttpDecoderConfig());
 * pipeline.addLast(decoder, new ResponseEncoder(decoder), handler);
 * }</pre>
 */
final class ResponseEncoder extends HttpResponseEncoder {

    private final RequestDecoder requests;
    private HttpMethod method;

    /** @param requests the decoder of the requests this encoder answers, on the same channel */
    ResponseEncoder(RequestDecoder requests) {
        this.requests = requests;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent && requests.takeCloseAfterResponse()) {
            promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return super.isContentAlwaysEmpty(msg);
        }
        method = requests.answered();
        return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
        if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
            msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return;
        }
        super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }
}
