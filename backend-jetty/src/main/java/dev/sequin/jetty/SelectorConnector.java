package dev.sequin.jetty;

import dev.sequin.spi.HandlerThreads;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@link JettyBackend}'s connector: a {@link ServerConnector} whose connections know the
 * {@link HandlerThreads} of their selector, so that {@link SequinJettyHandler} starts the requests
 * a selector reads in one turn together, and completes them back on the selector in one task.
 * The selector runs those tasks between two selects ({@link ManagedSelector#submit}), where Jetty
 * also applies its own interest changes.
 *
 * <pre>{@code
 * ServerConnector connector = new SelectorConnector(jetty, new HttpConnectionFactory());
 * }</pre>
 */
final class SelectorConnector extends ServerConnector {

    private final Map<ManagedSelector, HandlerThreads> handlerThreads = new ConcurrentHashMap<>();

    /**
     * @param server    the server
     * @param factories the connection factories, as for {@link ServerConnector}
     */
    SelectorConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        HandlerThreads threads = handlerThreads.computeIfAbsent(selector, SelectorConnector::handlerThreadsOf);
        SocketChannelEndPoint endPoint = new EndPoint(channel, selector, key, getScheduler(), threads);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    private static HandlerThreads handlerThreadsOf(ManagedSelector selector) {
        return new HandlerThreads(task -> selector.submit(ignored -> SelectorThreadPool.runEnds(task)),
                SequinJettyHandler.VIRTUAL_THREADS);
    }

    /** A socket endpoint that carries its selector's {@link HandlerThreads}. */
    static final class EndPoint extends SocketChannelEndPoint {

        private final HandlerThreads handlerThreads;

        EndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                HandlerThreads handlerThreads) {
            super(channel, selector, key, scheduler);
            this.handlerThreads = handlerThreads;
        }

        /** @return the threads that serve this connection's requests and hand their ends to its selector */
        HandlerThreads handlerThreads() {
            return handlerThreads;
        }
    }
}
