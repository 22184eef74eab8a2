package dev.sequin.netty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.WebSocketConnection;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The response side of an exchange: status and headers until {@link #open(long)}, which turns
 * them into a Netty response head with the framing headers, then the body: a
 * {@link ResponseBody} streamed from the exchange's virtual thread, or, for an exchange handled
 * on the event loop, a {@link BufferedBody} sent whole.
 */
final class NettyResponse implements ServerResponse {

    private static final byte[] ERROR_BODY = "Internal Server Error".getBytes(StandardCharsets.UTF_8);
    /** Netty's response heads, unchecked: {@link Headers} refused what is not a token or has CR, LF or NUL. */
    private static final HttpHeadersFactory CHECKED_BY_SEQUIN = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final Signal writability;
    private final long writeTimeoutNanos;
    private final boolean headRequest;
    private final boolean http10;
    private final Headers headers = new Headers();
    private int status = 200;
    private boolean keepAlive;
    private OutgoingBody body;
    private NettyWebSocket webSocket;

    /**
     * @param ctx         where the response is written
     * @param request     the request it answers
     * @param keepAlive   whether the connection may serve another request after this one
     * @param writability signalled when the channel's writability changes; {@code null} for a
     *                    response written on the event loop, whose body is buffered and never waits
     * @param writeTimeoutNanos how long a body write may wait for the client to read; 0 for no limit
     */
    NettyResponse(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive, Signal writability,
                  long writeTimeoutNanos) {
        this.ctx = ctx;
        this.request = request;
        this.writability = writability;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.headRequest = HttpMethod.HEAD.equals(request.method());
        this.http10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
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
        HttpHeaders out = CHECKED_BY_SEQUIN.newHeaders();
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
        HttpResponseStatus line = HttpResponseStatus.valueOf(status);
        long length = bodiless ? -1 : contentLength;
        boolean discard = bodiless || headRequest;
        body = writability == null ? new BufferedBody(ctx, line, out, length, discard)
                : new ResponseBody(ctx, writability, writeTimeoutNanos, new DefaultHttpResponse(HttpVersion.HTTP_1_1, line, out),
                length, discard);
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
        if (writability == null) {
            throw new IllegalStateException("an exchange handled on the event loop cannot become a WebSocket");
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

    /** Sends the end of the response that closing its body left to send ({@link OutgoingBody#sendEnd()}). */
    void sendEnd() {
        if (body != null) {
            body.sendEnd();
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
