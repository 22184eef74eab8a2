package dev.sequin;

import dev.sequin.spi.HttpHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * Runs an in-memory exchange on the kind of thread a server would use: a virtual thread, or,
 * for a request the app may serve without blocking, a platform thread standing in for the I/O
 * thread. There it holds the view to its promise: any sleep, park or wait, or more time off the
 * CPU than the stall budget, fails the request with an {@link AssertionError}.
 */
final class InMemoryDispatch {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private InMemoryDispatch() {
    }

    /** Serves the exchange and returns once the response is complete. */
    static void serve(HttpHandler app, InMemoryExchange exchange, String label, Duration stallBudget) throws Exception {
        if (app.isNonBlocking(exchange.request())) {
            runOn(Thread.ofPlatform().name("sequin-test-io").daemon(), () -> serveWithoutBlocking(app, exchange, label, stallBudget));
        } else {
            runOn(Thread.ofVirtual().name("sequin-test-request"), () -> app.handle(exchange.request(), exchange.response()));
        }
    }

    private static void serveWithoutBlocking(HttpHandler app, InMemoryExchange exchange, String label, Duration stallBudget)
            throws Exception {
        long thread = Thread.currentThread().threadId();
        long waitsBefore = THREADS.getThreadInfo(thread).getWaitedCount();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        app.handle(exchange.request(), exchange.response());
        long offCpu = System.nanoTime() - start - (THREADS.getCurrentThreadCpuTime() - cpuBefore);
        long waits = THREADS.getThreadInfo(thread).getWaitedCount() - waitsBefore;
        if (waits > 0) {
            throw new AssertionError(label + ": the @NonBlocking view (or a hook that ran with it) slept, parked or waited "
                    + waits + " time(s); on a server that stalls the I/O thread and every connection it serves");
        }
        if (offCpu > stallBudget.toNanos()) {
            throw new AssertionError(label + ": the @NonBlocking view (or a hook that ran with it) spent "
                    + offCpu / 1_000_000 + " ms off the CPU, over the stall budget of " + stallBudget.toMillis()
                    + " ms: it blocked, probably on I/O, and on a server that stalls the I/O thread");
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void runOn(Thread.Builder builder, Work work) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread thread = builder.start(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        thread.join();
        switch (failure[0]) {
            case null -> {
            }
            case Exception e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure[0]);
        }
    }
}
