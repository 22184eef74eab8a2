package dev.sequin.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * Hands the requests of one I/O thread to virtual threads, and their ends back to it, a batch at
 * a time, so that a busy server wakes a carrier thread and its I/O thread once per batch rather
 * than once per request.
 *
 * <p>The requests an I/O thread {@linkplain #start starts} during one turn of its event loop (one
 * batch of ready connections) start together once that turn is over. Each runs on its own
 * virtual thread and returns what must then run on the I/O thread (typically: write the end of
 * the response and read the next request). The ends of the requests of one batch that finish
 * without waiting go back to the I/O thread as one task; a request that waits (for the client,
 * a database, a lock) sends its end on its own when it finishes, so no request waits for
 * another that blocks. A request that runs long on the CPU does hold back the ends of the requests
 * of its batch that started before it, as it would hold back their threads on a busy core.
 *
 * <p>One instance serves one I/O thread: {@code ioThread} must run tasks on it, in order.
 * {@link #start} is meant to be called on it, but is safe on any thread: a server that sometimes
 * parses a request elsewhere (Jetty continues a pipelined request on the thread that completed the
 * previous one) starts it with the I/O thread's next batch. Once the I/O thread's executor refuses
 * tasks (it has shut down, and its connections with it), ends are dropped.
 *
 * <pre>{@code
 * HandlerThreads threads = new HandlerThreads(eventLoop, Thread.ofVirtual().name("request-", 0).factory());
 * // on the event loop, for each request parsed:
 * threads.start(() -> {
 *     handler.handle(request, response);      // on a virtual thread; may block
 *     return () -> connection.responded();    // back on the event loop
 * });
 * }</pre>
 */
public final class HandlerThreads {

    /** A request's work on its virtual thread. */
    @FunctionalInterface
    public interface Task {

        /**
         * Serves the request; must not throw.
         *
         * @return what to run on the I/O thread once it is served, or {@code null} for nothing
         */
        Runnable serve();
    }

    private final Executor ioThread;
    private final ThreadFactory threads;
    /** Guarded by this: the requests started since the last launch. */
    private List<Task> starting = new ArrayList<>();

    /**
     * @param ioThread runs tasks on the I/O thread, in order (a Netty event loop, an XNIO I/O thread)
     * @param threads  makes the virtual threads the requests run on
     */
    public HandlerThreads(Executor ioThread, ThreadFactory threads) {
        this.ioThread = ioThread;
        this.threads = threads;
    }

    /**
     * Runs a request on a new virtual thread once the I/O thread's current turn is over. Call it
     * on the I/O thread; on any other it is still safe, and the request starts with the I/O
     * thread's next batch.
     *
     * @param task the request's work
     * @throws RejectedExecutionException if the I/O thread's executor refuses the launch (it has
     *         shut down); the requests of the turn so far are then dropped with it
     */
    public void start(Task task) {
        synchronized (this) {
            starting.add(task);
            if (starting.size() > 1) {
                return;
            }
        }
        try {
            ioThread.execute(this::launch);
        } catch (RejectedExecutionException refused) {
            synchronized (this) {
                starting.clear();
            }
            throw refused;
        }
    }

    /** I/O thread, after the turn: one request starts directly, several from one launcher thread. */
    private void launch() {
        List<Task> tasks;
        synchronized (this) {
            tasks = starting;
            starting = new ArrayList<>();
        }
        if (tasks.size() == 1) {
            Task task = tasks.getFirst();
            threads.newThread(() -> sendBack(task.serve())).start();
        } else {
            threads.newThread(new Batch(tasks)::launch).start();
        }
    }

    private void sendBack(Runnable end) {
        if (end == null) {
            return;
        }
        try {
            ioThread.execute(end);
        } catch (RejectedExecutionException stopped) {
            // the I/O thread has shut down, and its connections with it: nothing is left to end
        }
    }

    /** The requests of one turn: their ends go back together, unless they finish after the batch was sent. */
    private final class Batch {

        private final List<Task> tasks;
        /** Guarded by this: the ends gathered so far, {@code null} once they were sent back. */
        private List<Runnable> ends;

        Batch(List<Task> tasks) {
            this.tasks = tasks;
            this.ends = new ArrayList<>(tasks.size());
        }

        /**
         * The launcher's virtual thread: starts every request, lets them run (on a busy carrier
         * they run first, in order, each until it finishes or waits), then sends back the ends
         * gathered meanwhile in one task.
         */
        void launch() {
            for (Task task : tasks) {
                threads.newThread(() -> end(task.serve())).start();
            }
            Thread.yield();
            List<Runnable> gathered;
            synchronized (this) {
                gathered = ends;
                ends = null;
            }
            if (!gathered.isEmpty()) {
                sendBack(() -> runAll(gathered));
            }
        }

        /** Runs every end, even after one throws: the first failure is thrown once all have run. */
        private static void runAll(List<Runnable> ends) {
            RuntimeException failed = null;
            for (Runnable end : ends) {
                try {
                    end.run();
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        private void end(Runnable end) {
            if (end == null) {
                return;
            }
            synchronized (this) {
                if (ends != null) {
                    ends.add(end);
                    return;
                }
            }
            sendBack(end);
        }
    }
}
