package dev.sequin.jetty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's HTTP/1.1 connections, with a deadline on each request head: from its first byte, the
 * whole head must arrive within the read timeout, or the connection is closed. Jetty's idle
 * timeout alone does not stop a client that trickles a head in a byte at a time (slowloris).
 *
 * <p>The deadline follows Jetty's parser: it is armed when the parser begins a message and
 * cancelled when the header is complete, refused, or the connection ends.
 *
 * <pre>{@code
 * ServerConnector connector = new ServerConnector(jetty,
 *         new HeadTimeoutConnectionFactory(httpConfiguration, Duration.ofSeconds(30)));
 * }</pre>
 */
final class HeadTimeoutConnectionFactory extends HttpConnectionFactory {

    private final long readTimeoutMillis;

    /**
     * @param config      the HTTP configuration of the connections
     * @param readTimeout how long a request head may take to arrive
     */
    HeadTimeoutConnectionFactory(HttpConfiguration config, Duration readTimeout) {
        super(config);
        this.readTimeoutMillis = readTimeout.toMillis();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new DeadlineConnection(getHttpConfiguration(), connector, endPoint, readTimeoutMillis);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** A connection whose parser's message begin arms the head deadline and header end cancels it. */
    private static final class DeadlineConnection extends HttpConnection {

        private final Scheduler scheduler;
        private final long readTimeoutMillis;
        private volatile Scheduler.Task deadline;

        DeadlineConnection(HttpConfiguration config, Connector connector, EndPoint endPoint, long readTimeoutMillis) {
            super(config, connector, endPoint);
            this.scheduler = connector.getScheduler();
            this.readTimeoutMillis = readTimeoutMillis;
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                @Override
                public void messageBegin() {
                    arm();
                    super.messageBegin();
                }

                @Override
                public boolean headerComplete() {
                    disarm();
                    return super.headerComplete();
                }

                @Override
                public void badMessage(HttpException failure) {
                    disarm();
                    super.badMessage(failure);
                }

                @Override
                public void earlyEOF() {
                    disarm();
                    super.earlyEOF();
                }
            };
        }

        @Override
        public void onClose(Throwable cause) {
            disarm();
            super.onClose(cause);
        }

        private void arm() {
            disarm();
            deadline = scheduler.schedule(() -> getEndPoint().close(new TimeoutException(
                    "request head not received within " + readTimeoutMillis + " ms")), readTimeoutMillis, TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            Scheduler.Task task = deadline;
            if (task != null) {
                deadline = null;
                task.cancel();
            }
        }
    }
}
