package dev.sequin.netty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.WebSocketConnection;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The response side of an exchange: status and headers until {@link #open(long)}, which turns
 * them into a Netty {@code HttpResponse} with the framing headers, then the {@link ResponseBody}.
 */
final class NettyResponse implements ServerResponse {

    private static final byte[] ERROR_BODY = "Internal Server Error".getBytes(StandardCharsets.UTF_8);

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final Signal writability;
    private final long writeTimeoutNanos;
    private final boolean headRequest;
    private final boolean http10;
    private final Headers headers = new Headers();
    private int status = 200;
    private boolean keepAlive;
    private ResponseBody body;
    private NettyWebSocket webSocket;

    /**
     * @param ctx         where the response is written
     * @param request     the request, for a WebSocket handshake
     * @param writability signalled when the channel's writability changes
     * @param writeTimeoutNanos how long a body write may wait for the client to read; 0 for no limit
     * @param headRequest whether the request was {@code HEAD}
     * @param http10      whether the request was HTTP/1.0, which has no chunked encoding
     * @param keepAlive   whether the connection may serve another request after this one
     */
    NettyResponse(ChannelHandlerContext ctx, HttpRequest request, Signal writability, long writeTimeoutNanos,
                  boolean headRequest, boolean http10, boolean keepAlive) {
        this.ctx = ctx;
        this.request = request;
        this.writability = writability;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.headRequest = headRequest;
        this.http10 = http10;
        this.keepAlive = keepAlive;
    }

    @Override
    public void setStatus(int status) {
        if (isCommitted()) {
            throw new IllegalStateException("the response is committed: its status can no longer change");
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("a status code is from 100 to 999, not " + status);
        }
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public BodySink open(long contentLength) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("the response body was opened before");
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("the content length is -1 (chunked) or at least 0, not " + contentLength);
        }
        if (!ctx.channel().isActive()) {
            throw new IOException("the connection is closed");
        }
        boolean bodiless = status < 200 || status == 204 || status == 304;
        HttpHeaders out = new DefaultHttpHeaders();
        headers.forEach((name, value) -> {
            if (!HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                    && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                out.add(name, value);
            }
        });
        if (!out.contains(HttpHeaderNames.DATE)) {
            out.set(HttpHeaderNames.DATE, HttpDate.now());
        }
        if (!bodiless) {
            if (contentLength >= 0) {
                out.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
            } else if (http10) {
                keepAlive = false;
            } else {
                out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        keepAlive &= !out.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (!keepAlive) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), out);
        body = new ResponseBody(ctx, writability, writeTimeoutNanos, head, bodiless ? -1 : contentLength, bodiless || headRequest);
        return body;
    }

    @Override
    public boolean isCommitted() {
        return body != null || webSocket != null;
    }

    @Override
    public WebSocketConnection upgradeToWebSocket(String subprotocol) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("the response is committed: it can no longer become a WebSocket");
        }
        webSocket = NettyWebSocket.upgrade(ctx, request, headers, subprotocol, writability, writeTimeoutNanos);
        keepAlive = false;
        return webSocket;
    }

    /**
     * Completes the response after the handler returned: closes the body, or sends the status
     * and headers with an empty body when it was never opened, or closes an upgraded WebSocket
     * with {@code 1000} if it is still open.
     *
     * @throws IOException if the client has gone away, or the body is shorter than announced
     */
    void complete() throws IOException {
        if (webSocket != null) {
            webSocket.finish();
            return;
        }
        if (body == null) {
            open(0);
        }
        body.close();
    }

    /**
     * Answers {@code 500} with a generic text body, replacing what the handler set.
     *
     * @throws IOException if the client has gone away
     */
    void sendError() throws IOException {
        headers.clear();
        status = 500;
        headers.set("Content-Type", "text/plain; charset=utf-8");
        try (BodySink sink = open(ERROR_BODY.length)) {
            sink.write(ERROR_BODY);
        }
    }

    /** Drops unsent body bytes after a failure. */
    void release() {
        if (body != null) {
            body.release();
        }
    }

    /** @return whether the connection may serve another request once this response is sent */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * @return the write that completed the response (for a WebSocket, the connection's closing),
     *         or {@code null} if it never completed
     */
    ChannelFuture lastWrite() {
        if (webSocket != null) {
            return webSocket.closeFuture();
        }
        return body == null ? null : body.lastWrite();
    }
}
