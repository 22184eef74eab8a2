package dev.sequin.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpConstants;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The request half of {@link NettyBackend}'s HTTP codec: Netty's {@code HttpRequestDecoder}, plus
 * what {@code HttpServerCodec} adds to it (the methods of the requests awaiting an answer, for
 * {@link ResponseEncoder}, at most {@link #MAX_PIPELINE_DEPTH} of them), plus a refusal of
 * obsolete line folding.
 *
 * <p>Obsolete line folding (RFC 9112 section 5.2) is a head line that begins with SP or HTAB.
 * Netty unfolds it into a space, leaving no trace in the decoded request, so this decoder looks at
 * the bytes each decoding step consumes while a head is read: a request's bytes are head bytes
 * until Netty emits its {@code HttpRequest}, and body bytes from then until it emits the
 * {@code LastHttpContent}, which are never looked at. Only the LF bytes of a head and the byte
 * after each are examined; an LF that ends one step is remembered for the next. A folded request
 * gets a failed {@code DecoderResult}, so it is refused like any head Netty could not decode
 * ({@code 400}, connection closed), and nothing after it on the connection is decoded.
 *
 * <pre>{@code
 * RequestDecoder decoder = new RequestDecoder(new HttpDecoderConfig());
 * pipeline.addLast(decoder, new ResponseEncoder(decoder), handler);
 * }</pre>
 */
final class RequestDecoder extends HttpRequestDecoder {

    /** How many decoded requests may await their responses (as in {@code HttpServerCodec}). */
    static final int MAX_PIPELINE_DEPTH = 128;

    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>();
    private boolean inBody;
    private boolean atLineStart;
    private boolean folded;
    private boolean discarding;
    private boolean closeAfterResponse;

    /** @param config Netty's decoder settings */
    RequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (discarding) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        int from = buffer.readerIndex();
        int first = out.size();
        boolean head = !inBody;
        super.decode(ctx, buffer, out);
        if (head) {
            scanHead(buffer, from, buffer.readerIndex());
        }
        for (int i = first; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest request) {
                if (unanswered.size() >= MAX_PIPELINE_DEPTH) {
                    tooManyUnanswered(out, i);
                }
                unanswered.add(request.method());
                headDecoded(request);
            }
            if (msg instanceof LastHttpContent) {
                inBody = false;
            }
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        closeAfterResponse = true;
    }

    /** @return the method of the oldest request not yet answered, now answered ({@code GET} if none) */
    HttpMethod answered() {
        HttpMethod method = unanswered.poll();
        return method == null ? HttpMethod.GET : method;
    }

    /** @return whether the response being completed must close the connection; the flag is cleared */
    boolean takeCloseAfterResponse() {
        boolean close = closeAfterResponse;
        closeAfterResponse = false;
        return close;
    }

    /**
     * Looks at head bytes {@code from} (inclusive) to {@code to} (exclusive), already consumed:
     * at the first byte of each line, and finds the line starts with {@code indexOf}.
     */
    private void scanHead(ByteBuf buffer, int from, int to) {
        boolean lineStart = atLineStart;
        int i = from;
        while (i < to) {
            if (lineStart) {
                byte first = buffer.getByte(i);
                folded |= first == HttpConstants.SP || first == HttpConstants.HT;
            }
            int lf = buffer.indexOf(i, to, HttpConstants.LF);
            lineStart = lf >= 0;
            i = lineStart ? lf + 1 : to;
        }
        atLineStart = lineStart;
    }

    /** A request head was decoded: its body follows, and a folded head fails it. */
    private void headDecoded(HttpRequest request) {
        inBody = true;
        atLineStart = false;
        if (folded) {
            folded = false;
            discarding = true;
            if (request.decoderResult().isSuccess()) {
                request.setDecoderResult(DecoderResult.failure(
                        new IllegalArgumentException("obsolete line folding (RFC 9112 section 5.2) in the request head")));
            }
        }
    }

    /** Drops what this step decoded from {@code index} on and stops decoding, as {@code HttpServerCodec} does. */
    private void tooManyUnanswered(List<Object> out, int index) {
        closeAfterResponse = true;
        discarding = true;
        for (int i = index; i < out.size(); i++) {
            ReferenceCountUtil.release(out.get(i));
        }
        out.clear();
        throw new IllegalStateException("more than " + MAX_PIPELINE_DEPTH + " pipelined requests await their responses");
    }
}
