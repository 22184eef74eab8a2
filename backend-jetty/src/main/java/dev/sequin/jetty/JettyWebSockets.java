package dev.sequin.jetty;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * What the WebSocket connections of one Jetty {@link Server} share: the library's
 * {@link WebSocketComponents} (the server's buffer pool and executor), and the set of open
 * connections. It is a {@link Graceful} bean of the server, so a graceful stop closes every open
 * connection with {@code 1001} (going away) before the connectors are cut, and waits, within the
 * server's stop timeout, for the closing handshakes to finish.
 *
 * <p>It is found or made on the first upgrade, so WebSocket works wherever a
 * {@link SequinJettyHandler} runs, in {@link JettyBackend}'s server or in one of your own.
 *
 * <pre>{@code
 * JettyWebSockets sockets = JettyWebSockets.of(request.getConnectionMetaData().getConnector().getServer());
 * sockets.opened(socket);         // from FrameHandler.onOpen
 * sockets.closed(socket);         // from FrameHandler.onClosed
 * }</pre>
 */
final class JettyWebSockets implements Graceful {

    private static final Object CREATION = new Object();

    private final WebSocketComponents components;
    private final Set<JettyWebSocket> open = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean shutdown;

    private JettyWebSockets(WebSocketComponents components) {
        this.components = components;
    }

    /**
     * @param server a started Jetty server
     * @return the server's WebSocket state, added to it as a bean on first use
     */
    static JettyWebSockets of(Server server) {
        synchronized (CREATION) {
            JettyWebSockets sockets = server.getBean(JettyWebSockets.class);
            if (sockets == null) {
                sockets = new JettyWebSockets(WebSocketServerComponents.ensureWebSocketComponents(server));
                server.addBean(sockets);
            }
            return sockets;
        }
    }

    /** @return the library's components for handshakes and sessions */
    WebSocketComponents components() {
        return components;
    }

    /** Tracks a connection that just opened; closes it at once if the server is stopping. */
    void opened(JettyWebSocket socket) {
        open.add(socket);
        if (shutdown) {
            socket.goAway();
        }
    }

    /** Forgets a closed connection. */
    void closed(JettyWebSocket socket) {
        open.remove(socket);
        if (shutdown && open.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Closes every open connection with {@code 1001}.
     *
     * @return a future completed once all of them have closed
     */
    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        open.forEach(JettyWebSocket::goAway);
        if (open.isEmpty()) {
            drained.complete(null);
        }
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }
}
