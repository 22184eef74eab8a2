package dev.sequin.netty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Sequin mounted under a prefix in a hand-built Netty pipeline, next to a plain Netty handler. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SequinNettyTest {

    /** Answers every request it is given with "user:" and the URI and the number of body bytes. */
    private static final class UserHandler extends SimpleChannelInboundHandler<HttpObject> {
        private String uri;
        private int bodyBytes;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                uri = request.uri();
                bodyBytes = 0;
            }
            if (msg instanceof HttpContent content) {
                bodyBytes += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent) {
                ByteBuf text = Unpooled.copiedBuffer("user:" + uri + ":" + bodyBytes, StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, text);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, text.readableBytes());
                ctx.writeAndFlush(response);
            }
        }
    }

    private static final HttpHandler SEQUIN = (req, resp) -> {
        byte[] body = req.body().readAllBytes();
        byte[] text = ("sequin:" + req.rawPath() + "?" + req.rawQuery() + ":" + body.length).getBytes(StandardCharsets.UTF_8);
        try (BodySink sink = resp.open(text.length)) {
            sink.write(text);
        }
    };

    private EventLoopGroup group;
    private Channel listener;

    @BeforeEach
    void startNetty() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), SequinNetty.handler(SEQUIN, "/sequin"),
                                new UserHandler());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    @AfterEach
    void stopNetty() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Test
    void prefixGoesToSequinAndTheRestToTheUserHandler() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + port();
            assertEquals("sequin:/hello%20there?x=1:0", send(client, base + "/sequin/hello%20there?x=1", null));
            assertEquals("sequin:/?null:0", send(client, base + "/sequin", null));
            assertEquals("sequin:/up?null:4", send(client, base + "/sequin/up", "data"));
            assertEquals("user:/other:0", send(client, base + "/other", null));
            assertEquals("user:/sequinx:0", send(client, base + "/sequinx", null));
            assertEquals("user:/form:5", send(client, base + "/form", "a=b&c"));
        }
    }

    @Test
    void pipelinedRequestsAcrossBothHandlersStayInOrder() throws Exception {
        try (RawClient raw = new RawClient(port())) {
            raw.send("POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /sequin/a HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /sequin/c HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nyz");
            assertEquals("user:/other:3", raw.readResponse().body());
            assertEquals("sequin:/a?null:0", raw.readResponse().body());
            assertEquals("user:/b:0", raw.readResponse().body());
            assertEquals("sequin:/c?null:2", raw.readResponse().body());
        }
    }

    @Test
    void prefixMustBeAPath() {
        assertThrows(IllegalArgumentException.class, () -> SequinNetty.handler(SEQUIN, "app"));
        assertThrows(IllegalArgumentException.class, () -> SequinNetty.handler(SEQUIN, "/app/"));
    }

    private static String send(HttpClient client, String uri, String body) throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.POST(BodyPublishers.ofString(body));
        }
        return client.send(request.build(), BodyHandlers.ofString()).body();
    }
}
