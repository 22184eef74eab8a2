package dev.sequin.netty;

import dev.sequin.spi.WebSocketMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The event-loop side of a WebSocket connection, after Netty's frame decoder and
 * {@code WebSocketFrameAggregator}: whole text and binary messages go to the {@link WebSocketInbox}
 * (the socket is not read while it is full), pings are answered with pongs, and the closing
 * handshake is tracked both ways.
 *
 * <p>Closing: whichever side sends its close frame first, the connection is closed once both
 * close frames have passed, or {@link #CLOSE_TIMEOUT_SECONDS} after ours if the peer never
 * answers. A frame the decoder rejects, or a message over the aggregator's limit, is answered
 * with a close frame carrying the matching code ({@code 1002}, {@code 1007}, {@code 1009}); a
 * graceful server stop ({@link SequinChannelHandler#DRAIN}) closes with {@code 1001}. An idle
 * WebSocket stays open (the application's receive timeout decides), unless a send is stuck on a
 * client that does not read: then the idle timeout closes the connection.
 *
 * <pre>{@code
 * WebSocketFrameHandler frames = new WebSocketFrameHandler();
 * pipeline.addBefore(sequinName, "sequin-ws", frames);
 * frames.sendClose(1000, "bye");
 * }</pre>
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {

    /** How long the peer has to answer our close frame before the connection is cut. */
    static final long CLOSE_TIMEOUT_SECONDS = 5;

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(WebSocketFrameHandler.class);
    private static final WebSocketMessage.Close BROKEN = new WebSocketMessage.Close(1006, "");
    private static final WebSocketCloseStatus GOING_AWAY = new WebSocketCloseStatus(1001, "Server stopping");

    /** The received messages, taken by the handler's virtual thread. */
    final WebSocketInbox inbox = new WebSocketInbox(this::resumeReading);

    private final AtomicBoolean closeSent = new AtomicBoolean();
    private ChannelHandlerContext ctx;
    private boolean closeReceived;
    private boolean closeWritten;
    private ScheduledFuture<?> closeTimeout;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case TextWebSocketFrame text -> deliver(text, new WebSocketMessage.Text(text.text()));
            case BinaryWebSocketFrame binary -> deliver(binary, new WebSocketMessage.Binary(copy(binary.content())));
            case PingWebSocketFrame ping when !closeSent.get() ->
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            case CloseWebSocketFrame close -> closeReceived(close);
            default -> ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (!ctx.channel().isWritable()) {
                LOG.debug("closing a WebSocket whose client does not read: " + ctx.channel());
                ctx.close();
            }
            return;
        }
        if (event == SequinChannelHandler.DRAIN) {
            fail(GOING_AWAY);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            LOG.debug("closing a WebSocket after a bad frame: " + ctx.channel(), cause);
            fail(corrupt.closeStatus());
        } else if (cause instanceof TooLongFrameException) {
            LOG.debug("closing a WebSocket after a message over the limit: " + ctx.channel(), cause);
            fail(WebSocketCloseStatus.MESSAGE_TOO_BIG);
        } else {
            if (cause instanceof IOException) {
                LOG.debug("WebSocket connection failed: " + ctx.channel(), cause);
            } else {
                LOG.warn("unexpected failure on WebSocket " + ctx.channel() + "; closing it", cause);
            }
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inbox.end(BROKEN);
        if (closeTimeout != null) {
            closeTimeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    /**
     * Writes a frame; any thread.
     *
     * @param frame a data frame
     * @return the write
     */
    ChannelFuture write(WebSocketFrame frame) {
        return ctx.writeAndFlush(frame);
    }

    /** @return whether our close frame was sent (or is on its way) */
    boolean closeSent() {
        return closeSent.get();
    }

    /**
     * Sends our close frame, unless it was sent before; any thread.
     *
     * @param code   the close code
     * @param reason the reason, at most 123 bytes of UTF-8
     * @throws IllegalArgumentException if the code may not be sent
     */
    void sendClose(int code, String reason) {
        CloseWebSocketFrame frame = new CloseWebSocketFrame(code, reason);
        if (closeSent.compareAndSet(false, true)) {
            ctx.writeAndFlush(frame).addListener(this::closeWritten);
        } else {
            frame.release();
        }
    }

    private void deliver(WebSocketFrame frame, WebSocketMessage message) {
        frame.release();
        if (!closeSent.get() && !closeReceived && inbox.add(message)) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void closeReceived(CloseWebSocketFrame frame) {
        int code = frame.statusCode();
        String reason = frame.reasonText();
        frame.release();
        closeReceived = true;
        inbox.end(new WebSocketMessage.Close(code < 0 ? 1005 : code, reason == null ? "" : reason));
        if (closeWritten) {
            ctx.close();
        }
    }

    /**
     * Sends {@code status} to the peer, then ends the connection for the reader with it (in this
     * order, so the reader's own close, once it wakes, cannot overtake it).
     */
    private void fail(WebSocketCloseStatus status) {
        sendClose(status.code(), status.reasonText());
        inbox.end(new WebSocketMessage.Close(status.code(), status.reasonText()));
    }

    /** Our close frame left (event loop): close now if the peer's came first, else read its answer. */
    private void closeWritten(Future<?> written) {
        closeWritten = true;
        if (closeReceived || !written.isSuccess()) {
            ctx.close();
        } else {
            ctx.channel().config().setAutoRead(true);
            closeTimeout = ctx.executor().schedule(() -> {
                ctx.close();
            }, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The reader drained the inbox (its thread): read the socket again. */
    private void resumeReading() {
        try {
            ctx.executor().execute(() -> {
                if (!inbox.paused()) {
                    ctx.channel().config().setAutoRead(true);
                }
            });
        } catch (RejectedExecutionException stopped) {
            LOG.debug("the event loop has stopped", stopped);
        }
    }

    private static ByteBuffer copy(ByteBuf content) {
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
}
