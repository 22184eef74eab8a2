package dev.sequin.jetty;

import dev.sequin.spi.Server;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Jetty server. {@link #close()} is Jetty's graceful stop: the server was given a
 * {@code GracefulHandler} and a stop timeout of the grace period, so stopping first stops
 * accepting and waits for requests in flight up to that timeout, then closes the connectors
 * (cutting what is left) and the thread pool.
 */
final class JettyServer implements Server {

    private static final Logger LOG = LoggerFactory.getLogger(JettyServer.class);

    private final org.eclipse.jetty.server.Server jetty;
    private final int port;
    private boolean closed;

    JettyServer(org.eclipse.jetty.server.Server jetty, int port) {
        this.jetty = jetty;
        this.port = port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            jetty.stop();
        } catch (TimeoutException e) {
            LOG.info("requests were still in flight after the grace period of {} ms; they were cut", jetty.getStopTimeout());
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "JettyServer[port=" + port + "]";
    }
}
