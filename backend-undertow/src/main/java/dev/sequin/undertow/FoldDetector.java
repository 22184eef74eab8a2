package dev.sequin.undertow;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Spots obsolete line folding (RFC 9112 section 5.2: a header line that begins with a space or a
 * tab) in the request heads of one connection, which Undertow's parser would silently unfold.
 * It is not a parser: Undertow still parses everything; this only looks for an LF followed by SP
 * or HTAB, and only in bytes it knows to belong to a request head, never in a body.
 *
 * <p>It sits at the bottom of the connection's source conduits, so every byte read from the
 * socket passes through it, and it numbers them from the start of the connection. Undertow reads
 * ahead (a head, its body and pipelined requests may arrive in one read, and the unparsed rest
 * waits in the connection's "extra bytes"), so which bytes are a head is known only at two
 * moments, both exact:
 * <ul>
 * <li>When an exchange completes, its body has been read to its end, so the next head starts at
 *     the bytes read so far minus the extra bytes Undertow holds: the scan starts there, over
 *     those extra bytes first, then over every byte read until the head is parsed.</li>
 * <li>When Undertow has parsed a head and calls the root handler, the head ends at the bytes read
 *     so far minus the extra bytes: a fold found before that offset is in the head
 *     ({@link #foldedHead}); one found after it is in the body, and the scan stops until the
 *     exchange completes.</li>
 * </ul>
 * Only the first LF-SP/HT after the head start is kept (a single offset; the scan stops there),
 * since the question is only whether one lies before the head's end. Body bytes read by the
 * handler are counted, never scanned.
 *
 * <pre>{@code
 * FoldDetector.install(streamConnection);                     // on accept, before Undertow sees it
 * FoldDetector detector = FoldDetector.of(exchange);          // in the root handler
 * if (detector != null && detector.foldedHead(exchange)) { ...answer 400 and close... }
 * }</pre>
 */
final class FoldDetector extends AbstractStreamSourceConduit<StreamSourceConduit> implements ExchangeCompletionListener {

    private static final long NONE = -1;

    /** Bytes read from the socket so far. */
    private long read;
    /** Whether the bytes read now may be a request head: from a head's start until it is parsed. */
    private boolean inHead = true;
    /** The offset of the first SP or HTAB that follows an LF since the head started, or {@link #NONE}. */
    private long fold = NONE;
    /** Whether the last byte scanned was an LF. */
    private boolean afterLf;

    private FoldDetector(StreamSourceConduit next) {
        super(next);
    }

    /**
     * Puts a detector under the connection's source channel; call it before Undertow's
     * {@code HttpOpenListener} sees the connection, so it becomes the original source conduit.
     *
     * @param connection a newly accepted connection
     */
    static void install(StreamConnection connection) {
        connection.getSourceChannel().setConduit(new FoldDetector(connection.getSourceChannel().getConduit()));
    }

    /**
     * @param exchange an exchange whose head Undertow has just parsed
     * @return the detector of its connection, or {@code null} if none was installed
     */
    static FoldDetector of(HttpServerExchange exchange) {
        return exchange.getConnection() instanceof AbstractServerConnection connection
                && connection.getOriginalSourceConduit() instanceof FoldDetector detector ? detector : null;
    }

    /**
     * Tells whether the head Undertow has just parsed contained obsolete line folding, and if not,
     * follows the exchange to its end, where the next head starts. Call it on the I/O thread, from
     * the root handler, once per exchange.
     *
     * @param exchange the exchange whose head was just parsed
     * @return {@code true} if a line of its head began with SP or HTAB
     */
    boolean foldedHead(HttpServerExchange exchange) {
        long headEnd = read - unparsed((AbstractServerConnection) exchange.getConnection());
        boolean folded = fold != NONE && fold < headEnd;
        inHead = false;
        if (!folded) {
            exchange.addExchangeCompleteListener(this);
        }
        return folded;
    }

    /** The exchange is complete (its body read to its end): the next head starts at the unparsed bytes. */
    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
        try {
            if (exchange.isPersistent() && !exchange.isUpgrade() && exchange.getConnection().isOpen()) {
                startHead((AbstractServerConnection) exchange.getConnection());
            }
        } finally {
            next.proceed();
        }
    }

    private void startHead(AbstractServerConnection connection) {
        inHead = true;
        fold = NONE;
        afterLf = false;
        PooledByteBuffer extra = connection.getExtraBytes();
        if (extra != null) {
            ByteBuffer bytes = extra.getBuffer();
            scan(bytes, bytes.position(), bytes.limit(), read - bytes.remaining());
        }
    }

    private static int unparsed(AbstractServerConnection connection) {
        PooledByteBuffer extra = connection.getExtraBytes();
        return extra == null ? 0 : extra.getBuffer().remaining();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = next.read(dst);
        if (n > 0) {
            if (inHead && fold == NONE) {
                scan(dst, start, start + n, read);
            }
            read += n;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        if (inHead) {
            for (int i = offs; i < offs + len; i++) {
                if (dsts[i].hasRemaining()) {
                    return read(dsts[i]);
                }
            }
            return 0;
        }
        long n = next.read(dsts, offs, len);
        if (n > 0) {
            read += n;
        }
        return n;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    /** Looks at {@code bytes[from, to)}, the first of them at stream offset {@code offset}, for an LF followed by SP or HTAB. */
    private void scan(ByteBuffer bytes, int from, int to, long offset) {
        boolean lf = afterLf;
        for (int i = from; i < to; i++) {
            byte b = bytes.get(i);
            if (lf && (b == ' ' || b == '\t')) {
                fold = offset + (i - from);
                return;
            }
            lf = b == '\n';
        }
        afterLf = lf;
    }
}
