package dev.sequin.jetty;

import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@link JettyBackend}'s thread pool: Jetty's {@link QueuedThreadPool}, except that a connection
 * handed to it while a selector runs the ends of its requests ({@link #runEnds}) runs right there,
 * on the selector thread.
 *
 * <p>Why: when a request completes on another thread than the one that parsed it, Jetty resumes
 * its connection (reads and parses the next request) by handing the {@link Connection} to the
 * pool, which wakes a pool thread for every request. {@link SelectorConnector} completes requests
 * on their selector thread, which is where Jetty reads and parses for a non-blocking
 * {@link Handler} such as {@link SequinJettyHandler} anyway, so no pool thread is needed. Every
 * other job, and a connection handed over anywhere else, goes to the pool as usual.
 *
 * <p>Its job queue is a {@link LinkedBlockingQueue} rather than Jetty's {@code BlockingArrayQueue},
 * whose cache-line sizing ({@code MemoryUtils}) starts the platform MBean server: about 100 ms of
 * the time to the first answer (session 5: Jetty's median fell from 982 to 885 ms).
 *
 * <pre>{@code
 * Server jetty = new Server(new SelectorThreadPool());
 * selector.submit(s -> SelectorThreadPool.runEnds(ends));   // HttpConnection resumes here, not on a pool thread
 * }</pre>
 */
final class SelectorThreadPool extends QueuedThreadPool {

    private static final ThreadLocal<Boolean> RUNNING_ENDS = new ThreadLocal<>();

    /** A pool of Jetty's default size whose job queue is the JDK's. */
    SelectorThreadPool() {
        super(200, 8, 60_000, new LinkedBlockingQueue<>());
    }

    /**
     * Runs the ends of requests on a selector thread; a connection they resume runs inline.
     *
     * @param ends what completes the requests
     */
    static void runEnds(Runnable ends) {
        RUNNING_ENDS.set(Boolean.TRUE);
        try {
            ends.run();
        } finally {
            RUNNING_ENDS.remove();
        }
    }

    @Override
    public void execute(Runnable job) {
        if (job instanceof Connection && RUNNING_ENDS.get() != null) {
            job.run();
        } else {
            super.execute(job);
        }
    }
}
