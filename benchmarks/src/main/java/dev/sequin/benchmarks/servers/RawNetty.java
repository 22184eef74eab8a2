package dev.sequin.benchmarks.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.Date;

/**
 * Netty 4.2 on its own, on the NIO transport as Sequin's Netty backend: {@code HttpServerCodec},
 * {@code ChunkedWriteHandler} and a handler that answers on the event loop, writing in
 * {@code channelRead} and flushing in {@code channelReadComplete} (the pattern of Netty's own
 * HTTP hello-world example). Responses carry a {@code Date} formatted once per second.
 * {@code /stream} goes through {@link HttpChunkedInput}, which writes while the channel is writable;
 * {@code /upload} counts the bytes of each {@link HttpContent} and answers on the {@link LastHttpContent}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.servers.RawNetty 8080
 * }</pre>
 */
public final class RawNetty extends ChannelInboundHandlerAdapter {

    private static volatile DateStamp date = new DateStamp(-1, "");

    /** The body bytes of the {@code /upload} request being read so far; -1 outside one. */
    private long uploaded = -1;
    private boolean uploadKeepAlive;

    private RawNetty() {
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the port
     * @throws InterruptedException if interrupted while binding
     */
    public static void main(String[] args) throws InterruptedException {
        new ServerBootstrap()
                .group(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()),
                        new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()))
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(), new RawNetty());
                    }
                })
                .bind("127.0.0.1", Payloads.port(args)).sync();
        System.out.println("raw Netty ready");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                answer(ctx, request);
            }
            if (msg instanceof HttpContent content && uploaded >= 0) {
                uploaded += content.content().readableBytes();
                if (content instanceof LastHttpContent) {
                    full(ctx, uploadKeepAlive, HttpResponseStatus.OK, Payloads.TEXT_TYPE, Payloads.uploaded(uploaded));
                    uploaded = -1;
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public boolean isSharable() {
        return false;
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        switch (request.uri()) {
            case "/plaintext" -> full(ctx, keepAlive, HttpResponseStatus.OK, Payloads.TEXT_TYPE, Payloads.PLAINTEXT_BYTES);
            case "/json" -> full(ctx, keepAlive, HttpResponseStatus.OK, Payloads.JSON_TYPE, Payloads.json());
            case "/stream" -> {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                        .set(HttpHeaderNames.DATE, now());
                ctx.write(head);
                var done = ctx.writeAndFlush(new HttpChunkedInput(new Zeros(Payloads.streamBytes())));
                if (!keepAlive) {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
            }
            case "/upload" -> { // answered with the body's last content
                uploaded = 0;
                uploadKeepAlive = keepAlive;
            }
            default -> full(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Payloads.TEXT_TYPE, new byte[0]);
        }
    }

    private static void full(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type,
                             byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.DATE, now());
        if (keepAlive) {
            ctx.write(response);
        } else {
            ctx.write(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String now() {
        long second = System.currentTimeMillis() / 1000;
        DateStamp current = date;
        if (current.second() != second) {
            current = new DateStamp(second, DateFormatter.format(new Date(second * 1000)));
            date = current;
        }
        return current.text();
    }

    private record DateStamp(long second, String text) {
    }

    /** The stream's body: zero-filled chunks sharing one array. */
    private static final class Zeros implements ChunkedInput<ByteBuf> {

        private final long total;
        private long sent;

        Zeros(long total) {
            this.total = total;
        }

        @Override
        public boolean isEndOfInput() {
            return sent == total;
        }

        @Override
        public void close() {
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) {
            if (isEndOfInput()) {
                return null;
            }
            int length = (int) Math.min(Payloads.CHUNK_BYTES, total - sent);
            sent += length;
            return Unpooled.wrappedBuffer(Payloads.CHUNK, 0, length);
        }

        @Override
        public long length() {
            return total;
        }

        @Override
        public long progress() {
            return sent;
        }
    }
}
