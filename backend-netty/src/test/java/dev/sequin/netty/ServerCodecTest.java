package dev.sequin.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RequestDecoder} and {@link ResponseEncoder} do what Netty's {@code HttpServerCodec} does:
 * the same requests decoded, and the same bytes for the same responses, where a response's framing
 * depends on the request it answers ({@code HEAD}, {@code CONNECT}) or on its status (1xx, 204, 304).
 */
class ServerCodecTest {

    private static final String REQUESTS = "HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /get HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n"
            + "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
            + "GET /none HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /unchanged HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void decodesAndEncodesLikeHttpServerCodec() {
        String netty = exchange(() -> new ChannelHandler[] {new HttpServerCodec()});
        String ours = exchange(() -> {
            RequestDecoder decoder = new RequestDecoder(new HttpDecoderConfig());
            return new ChannelHandler[] {decoder, new ResponseEncoder(decoder)};
        });
        assertEquals(netty, ours);
        assertTrue(ours.startsWith("HEAD /head ok|GET /get ok|CONNECT example.com:443 ok|GET /none ok|GET /unchanged ok|"), ours);
        assertFalse(ours.contains("0\r\n\r\nHTTP/1.1 100"), "no last chunk after the HEAD response: " + ours);
    }

    /** @return the requests decoded, then the bytes of the responses written for them */
    private static String exchange(Supplier<ChannelHandler[]> codec) {
        EmbeddedChannel channel = new EmbeddedChannel(codec.get());
        channel.writeInbound(Unpooled.copiedBuffer(REQUESTS, StandardCharsets.ISO_8859_1));
        StringBuilder seen = new StringBuilder();
        for (HttpObject msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            if (msg instanceof HttpRequest request) {
                seen.append(request.method()).append(' ').append(request.uri())
                        .append(request.decoderResult().isSuccess() ? " ok|" : " failed|");
            }
            ReferenceCountUtil.release(msg);
        }
        for (DefaultFullHttpResponse response : responses()) {
            channel.writeOutbound(response);
        }
        for (ByteBuf bytes = channel.readOutbound(); bytes != null; bytes = channel.readOutbound()) {
            seen.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        channel.finishAndReleaseAll();
        return seen.toString();
    }

    /** One chunked response for each request, and a {@code 100 Continue} before the second. */
    private static List<DefaultFullHttpResponse> responses() {
        List<DefaultFullHttpResponse> responses = new ArrayList<>();
        responses.add(chunked(HttpResponseStatus.OK, "head"));
        responses.add(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        responses.add(chunked(HttpResponseStatus.OK, "get"));
        responses.add(chunked(HttpResponseStatus.OK, "tunnel"));
        responses.add(chunked(HttpResponseStatus.NO_CONTENT, ""));
        responses.add(chunked(HttpResponseStatus.OK, "last"));
        return responses;
    }

    private static DefaultFullHttpResponse chunked(HttpResponseStatus status, String body) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1));
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return response;
    }
}
