package dev.sequin.netty;

import dev.sequin.spi.Headers;
import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * A WebSocket connection on Netty, used from the exchange's virtual thread.
 *
 * <p>{@link #upgrade} performs the handshake with Netty's {@code WebSocketServerHandshaker} on the
 * event loop: it sends the {@code 101}, puts Netty's frame decoder and encoder in place of the
 * HTTP codec, and adds a {@code WebSocketFrameAggregator} and a {@link WebSocketFrameHandler}
 * before the Sequin handler. Messages, fragmented or not, are limited to
 * {@link #MAX_WEBSOCKET_MESSAGE_BYTES}; a larger one closes the connection with {@code 1009}.
 *
 * <p>Sends block while the channel is not writable (its write buffer is above the high
 * watermark), so a client that does not read holds the sender back instead of filling memory;
 * past the write timeout the send throws and the connection is closed.
 *
 * <pre>{@code
 * NettyWebSocket ws = NettyWebSocket.upgrade(ctx, request, headers, null, writability, writeTimeoutNanos);
 * if (ws.receive(null) instanceof WebSocketMessage.Text(String text)) {
 *     ws.sendText(text);
 * }
 * ws.close(1000, "");
 * }</pre>
 */
final class NettyWebSocket implements WebSocketConnection {

    /** The largest message received, whole or in fragments; a larger one is closed with 1009. */
    static final int MAX_WEBSOCKET_MESSAGE_BYTES = 1024 * 1024;

    private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(MAX_WEBSOCKET_MESSAGE_BYTES)
            .closeOnProtocolViolation(false)
            .build();

    private final WebSocketFrameHandler frames;
    private final Channel channel;
    private final Signal writability;
    private final long writeTimeoutNanos;
    private final String subprotocol;

    private NettyWebSocket(WebSocketFrameHandler frames, Channel channel, Signal writability, long writeTimeoutNanos,
                           String subprotocol) {
        this.frames = frames;
        this.channel = channel;
        this.writability = writability;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.subprotocol = subprotocol;
    }

    /**
     * Accepts the request's WebSocket upgrade; call on the exchange's thread.
     *
     * @param ctx         the Sequin handler's context
     * @param request     the upgrade request
     * @param headers     headers for the {@code 101} response, such as {@code Set-Cookie}
     * @param subprotocol the subprotocol to agree on, or {@code null}
     * @param writability signalled when the channel's writability changes or it closes
     * @param writeTimeoutNanos how long a send may wait for the client to read; 0 for no limit
     * @return the open connection
     * @throws IOException if the request is not a valid handshake, or the connection failed
     */
    static NettyWebSocket upgrade(ChannelHandlerContext ctx, HttpRequest request, Headers headers, String subprotocol,
                                  Signal writability, long writeTimeoutNanos) throws IOException {
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(request.uri(), subprotocol, DECODER).newHandshaker(request);
        if (handshaker == null || handshaker.version() == WebSocketVersion.V00) {
            throw new IOException("unsupported WebSocket version "
                    + request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
        }
        HttpHeaders extra = new DefaultHttpHeaders();
        headers.forEach((name, value) -> {
            if (!HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                    && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                extra.add(name, value);
            }
        });
        WebSocketFrameHandler frames = new WebSocketFrameHandler();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            ctx.executor().execute(() -> handshake(ctx, handshaker, request, extra, frames, done));
        } catch (RejectedExecutionException stopped) {
            throw new IOException("the server is stopping", stopped);
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the WebSocket handshake");
        } catch (ExecutionException e) {
            throw new IOException("the WebSocket handshake failed: " + e.getCause().getMessage(), e.getCause());
        }
        return new NettyWebSocket(frames, ctx.channel(), writability, writeTimeoutNanos,
                handshaker.selectedSubprotocol());
    }

    /**
     * The event loop's part of the handshake: the WebSocket handlers go in first, so no frame can
     * arrive before them, and come out again if the library rejects the request.
     */
    private static void handshake(ChannelHandlerContext ctx, WebSocketServerHandshaker handshaker, HttpRequest request,
                                  HttpHeaders extra, WebSocketFrameHandler frames, CompletableFuture<Void> done) {
        ChannelPipeline pipeline = ctx.pipeline();
        WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(MAX_WEBSOCKET_MESSAGE_BYTES);
        pipeline.addBefore(ctx.name(), "sequin-ws-aggregator", aggregator);
        pipeline.addBefore(ctx.name(), "sequin-ws", frames);
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        try {
            handshaker.handshake(ctx, full, extra, ctx.newPromise()).addListener(sent -> {
                if (sent.isSuccess()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(sent.cause());
                }
            });
        } catch (RuntimeException rejected) {
            pipeline.remove(aggregator);
            pipeline.remove(frames);
            done.completeExceptionally(rejected);
        }
    }

    @Override
    public void sendText(String text) throws IOException {
        send(new TextWebSocketFrame(text));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        ByteBuf copy = channel.alloc().buffer(data.remaining());
        copy.writeBytes(data);
        send(new BinaryWebSocketFrame(copy));
    }

    @Override
    public WebSocketMessage receive(Duration timeout) throws IOException {
        return frames.inbox.take(timeout);
    }

    @Override
    public void close(int code, String reason) throws IOException {
        WebSocketMessage.Close end = frames.inbox.end();
        if (!frames.closeSent() && !channel.isActive() && end != null && end.code() == 1006) {
            throw new IOException("the WebSocket connection is broken");
        }
        frames.sendClose(code, Objects.requireNonNullElse(reason, ""));
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    /** Closes with {@code 1000} if the connection is still open, after the handler returned. */
    void finish() {
        frames.sendClose(1000, "");
    }

    /** @return the future that completes when the connection has closed */
    ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    private void send(WebSocketFrame frame) throws IOException {
        if (frames.closeSent() || !channel.isActive()) {
            frame.release();
            throw new IOException("the WebSocket connection is closed");
        }
        ChannelFuture written = frames.write(frame);
        boolean drained = channel.isWritable()
                || writability.await(() -> channel.isWritable() || !channel.isActive(), writeTimeoutNanos);
        if (!drained) {
            channel.close();
            throw new IOException("the client did not read within the write timeout; the connection is closed");
        }
        if (written.isDone() ? !written.isSuccess() : !channel.isActive()) {
            throw new IOException("the WebSocket connection is closed", written.cause());
        }
    }
}
