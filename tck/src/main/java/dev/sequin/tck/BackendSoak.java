package dev.sequin.tck;

import dev.sequin.spi.Backend;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The soak test: a mix of normal, streaming, slow and aborted requests ({@link SoakTraffic})
 * driven at a real server of a backend ({@link SoakApp}) for a fixed time, after which nothing
 * may have failed and nothing may have grown. It runs {@link #WARM_UP} of the same traffic first
 * (classes loaded, code compiled, pools grown to their working size), waits for the handlers to
 * return, takes a baseline {@link SoakReading}, runs the soak for {@code -Dsequin.soak.seconds}
 * ({@value #DEFAULT_SECONDS} by default), then checks that:
 * <ul>
 * <li>every exchange of a valid request got the expected status and body, with no I/O failure
 *     or timeout, and every kind of request ran at least {@link #MIN_PER_KIND} times;</li>
 * <li>no handler is still running;</li>
 * <li>live platform threads, live threads with virtual ones, open file descriptors and heap
 *     after full collections are back within a fixed slack of the baseline.</li>
 * </ul>
 * It prints what it did and read. Tagged {@code soak}, so it can run alone, for longer:
 * {@code ./sequin mvn -pl backend-undertow test -Dgroups=soak -Dsequin.soak.seconds=300}.
 *
 * <pre>{@code
 * package dev.sequin.undertow;
 *
 * import dev.sequin.spi.Backend;
import dev.sequin.spi.ServerOptions;
 * import dev.sequin.tck.BackendSoak;
 *
 * class UndertowSoakTest extends BackendSoak {
 *
 *     @Override
 *     protected Backend backend() {
 *         return new UndertowBackend();
 *     }
 * }
 * }</pre>
 */
@Tag("soak")
public abstract class BackendSoak {

    /** How long the soak runs, in seconds, unless {@code -Dsequin.soak.seconds} says otherwise. */
    public static final long DEFAULT_SECONDS = 10;

    /** The traffic run before the baseline is taken. */
    static final Duration WARM_UP = Duration.ofSeconds(2);

    /**
     * The fewest exchanges of each kind for the checks to mean something: a thread or a file
     * descriptor leaked by each exchange of any one kind is then past its slack.
     */
    static final long MIN_PER_KIND = 20;

    /** How long the handlers, threads, connections and garbage of a run may take to go. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    /** A pause before the baseline, for the connections the warm-up closed to be gone. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    /** For subclasses, one per backend. */
    protected BackendSoak() {
    }

    /** @return the backend under test */
    protected abstract Backend backend();

    /** Runs the soak, bounded by its length plus the longest every other phase may take. */
    @Test
    public void mixedTrafficFailsNothingAndLeavesNothingBehind() {
        assumeTrue(SoakReading.available(), "this JVM cannot count its file descriptors (not a Unix one)");
        Duration length = Duration.ofSeconds(Long.getLong("sequin.soak.seconds", DEFAULT_SECONDS));
        Duration clientsStopping = SoakTraffic.EXCHANGE_TIMEOUT.multipliedBy(4);
        Duration phases = WARM_UP.plus(QUIET).plus(SETTLE.multipliedBy(3)).plus(clientsStopping);
        Duration startAndStop = ServerOptions.defaults().gracePeriod().plus(Duration.ofSeconds(10));
        assertTimeoutPreemptively(length.plus(phases).plus(startAndStop), () -> soak(length));
    }

    private void soak(Duration length) throws Exception {
        try (SoakApp app = SoakApp.start(backend())) {
            SoakTraffic.Result warmUp = SoakTraffic.run(app.host(), app.port(), WARM_UP);
            List<String> warmUpProblems = problems(warmUp, app, 0);
            assertEquals(List.of(), warmUpProblems, "the warm-up had problems");
            Thread.sleep(QUIET);
            SoakReading baseline = SoakReading.take();

            SoakTraffic.Result run = SoakTraffic.run(app.host(), app.port(), length);
            List<String> problems = problems(run, app, MIN_PER_KIND);
            SoakReading after = SoakReading.settle(baseline, SETTLE);
            problems.addAll(after.growthOver(baseline));

            System.out.printf("soak %s, %d s: %d exchanges %s; clients gone, as the server saw: %d (warm-up included)%n"
                            + "  before: %s%n  after:  %s%n", backend().name(), length.toSeconds(), run.total(),
                    run.counts(), app.clientsGone(), baseline, after);
            assertEquals(List.of(), problems, "the soak had problems");
        }
    }

    /** Checks a run's exchanges and waits for its handlers to return. */
    private static List<String> problems(SoakTraffic.Result run, SoakApp app, long minPerKind)
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        if (run.failureCount() > 0) {
            String first = String.join("\n  ", run.failures());
            problems.add(run.failureCount() + " exchanges failed; the first:\n  " + first);
        }
        for (Map.Entry<SoakTraffic.Kind, Long> count : run.counts().entrySet()) {
            if (count.getValue() < minPerKind) {
                problems.add(count.getKey() + " ran " + count.getValue() + " times, fewer than " + minPerKind);
            }
        }
        if (!app.awaitIdle(SETTLE)) {
            problems.add(app.inFlight() + " handlers still running " + SETTLE.toSeconds() + " s after the traffic");
        }
        return problems;
    }
}
