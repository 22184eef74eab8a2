package dev.sequin.tck;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the {@link TckApp} and a test share while a request runs, keyed by an id the test puts in
 * the URL: gates a streaming writer waits on, byte counters it updates, and how it ended. Every
 * wait on a gate is bounded by {@link #GATE_TIMEOUT_SECONDS}, so a failing test leaks no thread.
 *
 * <pre>{@code
 * String id = UUID.randomUUID().toString();
 * // GET /stream/gated/{id}: the writer sends "first", then waits on gate(id)
 * probes.gate(id).countDown();                       // let it finish
 * Throwable end = probes.writerEnd(id).get(5, SECONDS);
 * }</pre>
 */
public final class Probes {

    /** The longest a view or writer waits on a gate before giving up. */
    public static final long GATE_TIMEOUT_SECONDS = 10;

    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Throwable>> writerEnds = new ConcurrentHashMap<>();

    Probes() {
    }

    /**
     * @param id the request's id
     * @return the gate for that id, created closed (count 1) on first use
     */
    public CountDownLatch gate(String id) {
        return gates.computeIfAbsent(id, key -> new CountDownLatch(1));
    }

    /**
     * @param id the request's id
     * @return the byte counter for that id, created at zero on first use
     */
    public AtomicLong counter(String id) {
        return counters.computeIfAbsent(id, key -> new AtomicLong());
    }

    /**
     * @param id the request's id
     * @return completes when the writer for that id stops: with the exception that stopped it,
     *         or with {@code null} when it finished normally
     */
    public CompletableFuture<Throwable> writerEnd(String id) {
        return writerEnds.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    /** Opens every gate, so nothing the app runs is left waiting. */
    public void releaseAll() {
        gates.values().forEach(CountDownLatch::countDown);
    }

    boolean await(String id) throws InterruptedException {
        return gate(id).await(GATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
