package dev.sequin.undertow;

import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * An Undertow HTTP/1.1 server running one SPI handler through {@link SequinHandler}.
 *
 * <p>It is assembled from Undertow's parts the way {@link Undertow#start()} does for one HTTP
 * listener, with the same socket options, because a graceful stop needs the listening socket:
 * {@link #close()} first closes it (new connections are refused), closes the kept-alive connections
 * that are between requests ({@link IdleConnections}), lets {@link GracefulShutdownHandler} wait for
 * the requests in flight ({@code 503} for any new request on a connection that finished one since), sends close {@code 1001} to open WebSockets and waits (again at most
 * the grace period) for their closing handshakes, and then closes every connection and stops the
 * I/O threads.
 *
 * <p>Every accepted connection gets a {@link FoldDetector} as its lowest source conduit before
 * Undertow sees it, and {@link FoldRefusal}, first in front of the handlers, refuses a head with
 * obsolete line folding. No read or idle timeout conduit is set ({@code Options.READ_TIMEOUT},
 * {@code UndertowOptions.IDLE_TIMEOUT}): either would wrap the connection's source conduit before
 * Undertow records it as the original one, where {@link FoldDetector#of} finds the detector.
 *
 * <p>Unlike {@code Undertow.builder()}, it leaves {@code BUFFER_PIPELINED_DATA} off: that buffer
 * turns {@code flush()} into a no-op on any connection that once pipelined, and streamed chunks
 * must reach the client when flushed.
 *
 * <p>Buffers come from a pool without thread-local caches: Undertow's default pool keeps a cache
 * per thread, and with a virtual thread per request those caches pile up until direct memory runs
 * out. Here every buffer goes back to one shared pool (at most {@value #POOLED_BUFFERS} kept).
 *
 * <pre>{@code
 * try (Server server = UndertowServer.start(handler, ServerOptions.port(0))) {
 *     int port = server.port();
 * }
 * }</pre>
 */
final class UndertowServer implements Server {

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int POOLED_BUFFERS = 1024;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    /** Undertow's {@code MAX_ENTITY_SIZE} for "no limit": bodies stream, so the handler decides. */
    private static final long UNLIMITED = 0;

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> acceptor;
    private final HttpOpenListener connections;
    private final GracefulShutdownHandler graceful;
    private final IdleConnections idle;
    private final SequinHandler sequin;
    private final DefaultByteBufferPool pool;
    private final Duration gracePeriod;
    private final int port;
    private boolean closed;

    private UndertowServer(XnioWorker worker, AcceptingChannel<StreamConnection> acceptor, HttpOpenListener connections,
                           GracefulShutdownHandler graceful, IdleConnections idle, SequinHandler sequin, DefaultByteBufferPool pool,
                           Duration gracePeriod) {
        this.worker = worker;
        this.acceptor = acceptor;
        this.connections = connections;
        this.graceful = graceful;
        this.idle = idle;
        this.sequin = sequin;
        this.pool = pool;
        this.gracePeriod = gracePeriod;
        this.port = acceptor.getLocalAddress(InetSocketAddress.class).getPort();
    }

    /**
     * Starts serving {@code handler} and returns once the server accepts connections.
     *
     * @param handler the SPI handler every request goes to
     * @param options host, port, idle timeout and grace period
     * @return the running server
     * @throws IOException if the address cannot be bound
     */
    static UndertowServer start(HttpHandler handler, ServerOptions options) throws IOException {
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        XnioWorker worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, ioThreads)
                .set(Options.WORKER_TASK_MAX_THREADS, ioThreads)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        DefaultByteBufferPool pool = new DefaultByteBufferPool(true, BUFFER_SIZE, POOLED_BUFFERS, 0);
        SequinHandler sequin = new SequinHandler(handler, options);
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(sequin);
        HttpOpenListener connections = new HttpOpenListener(pool, OptionMap.builder()
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(options.idleTimeout()))
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(options.readTimeout()))
                .set(UndertowOptions.MAX_HEADER_SIZE, Limits.headCeiling(options))
                .set(UndertowOptions.MAX_HEADERS, Limits.headCeiling(options) / 4)
                .set(UndertowOptions.MAX_ENTITY_SIZE, UNLIMITED)
                .getMap());
        IdleConnections idle = new IdleConnections(graceful);
        connections.setRootHandler(new FoldRefusal(idle));
        try {
            AcceptingChannel<StreamConnection> acceptor = worker.createStreamConnectionServer(
                    new InetSocketAddress(options.host(), options.port()),
                    ChannelListeners.openListenerAdapter(connection -> {
                        FoldDetector.install(connection);
                        connections.handleEvent(connection);
                    }),
                    OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.BALANCING_TOKENS, 1)
                            .set(Options.BALANCING_CONNECTIONS, 2)
                            .set(Options.BACKLOG, 1000)
                            .getMap());
            acceptor.resumeAccepts();
            return new UndertowServer(worker, acceptor, connections, graceful, idle, sequin, pool, options.gracePeriod());
        } catch (IOException | RuntimeException e) {
            worker.shutdownNow();
            pool.close();
            throw new IOException("Undertow could not listen on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
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
        IoUtils.safeClose(acceptor);
        graceful.shutdown();
        idle.closeAll();
        try {
            graceful.awaitShutdown(gracePeriod.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sequin.closeWebSockets(gracePeriod);
            connections.closeConnections();
            worker.shutdownNow();
            awaitWorker();
            pool.close();
        }
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private void awaitWorker() {
        try {
            worker.awaitTermination(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
