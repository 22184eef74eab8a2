package dev.sequin.undertow;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StringWriteChannelListener;
import java.io.IOException;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;

/**
 * The root handler of {@link UndertowServer} in front of everything else: it refuses a request
 * whose head used obsolete line folding, which {@link FoldDetector} spotted while Undertow parsed
 * it, exactly as Undertow refuses any other malformed head (a bare LF, a NUL in a field): its own
 * {@code 400} with an empty body and {@code Connection: close}, written straight to the
 * connection, which is then closed. Nothing after it sees the request.
 *
 * <pre>{@code
 * openListener.setRootHandler(new FoldRefusal(next));
 * }</pre>
 */
final class FoldRefusal implements HttpHandler {

    /** Undertow's answer to a malformed head ({@code HttpReadListener}), byte for byte. */
    private static final String BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private final HttpHandler next;

    FoldRefusal(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        FoldDetector detector = FoldDetector.of(exchange);
        if (detector != null && detector.foldedHead(exchange)) {
            refuse(((AbstractServerConnection) exchange.getConnection()).getChannel());
            return;
        }
        next.handleRequest(exchange);
    }

    private static void refuse(StreamConnection connection) {
        connection.getSourceChannel().suspendReads();
        new StringWriteChannelListener(BAD_REQUEST) {
            @Override
            protected void writeDone(StreamSinkChannel channel) {
                super.writeDone(channel);
                channel.suspendWrites();
                IoUtils.safeClose(connection);
            }

            @Override
            protected void handleError(StreamSinkChannel channel, IOException e) {
                IoUtils.safeClose(connection);
            }
        }.setup(connection.getSinkChannel());
    }
}
