package dev.sequin.undertow;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.IoUtils;

/**
 * The root handler of {@link UndertowServer}: it knows which keep-alive connections are between
 * requests, so a graceful stop closes those at once (Undertow's {@code GracefulShutdownHandler}
 * would keep them open until the requests in flight elsewhere are done, answering {@code 503}).
 * A connection is idle from the end of its exchange to the start of the next one (an upgraded
 * one, a WebSocket, never is); the check and
 * the close run on the connection's I/O thread, where the next request would start, so a request
 * that has started is never cut.
 *
 * <pre>{@code
 * IdleConnections idle = new IdleConnections(graceful);
 * openListener.setRootHandler(idle);
 * ...
 * idle.closeAll();   // when the graceful stop begins
 * }</pre>
 */
final class IdleConnections implements HttpHandler {

    private final HttpHandler next;
    private final Set<ServerConnection> known = ConcurrentHashMap.newKeySet();
    private final Set<ServerConnection> idle = ConcurrentHashMap.newKeySet();
    private final ExchangeCompletionListener becameIdle = (done, proceed) -> {
        ServerConnection connection = done.getConnection();
        if (done.isPersistent() && !done.isUpgrade() && connection.isOpen()) {
            idle.add(connection);
        }
        proceed.proceed();
    };

    IdleConnections(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ServerConnection connection = exchange.getConnection();
        idle.remove(connection);
        if (known.add(connection)) {
            connection.addCloseListener(closed -> {
                known.remove(closed);
                idle.remove(closed);
            });
        }
        exchange.addExchangeCompleteListener(becameIdle);
        next.handleRequest(exchange);
    }

    /** Closes every connection that is between requests now. */
    void closeAll() {
        for (ServerConnection connection : idle) {
            connection.getIoThread().execute(() -> {
                if (idle.remove(connection)) {
                    IoUtils.safeClose(connection);
                }
            });
        }
    }
}
