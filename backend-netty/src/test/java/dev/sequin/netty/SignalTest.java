package dev.sequin.netty;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Signal}: a waiter wakes only when its own condition holds, and its deadline is kept by the
 * event loop, so it parks without a timer.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SignalTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(15);

    private final EventExecutor eventLoop = new DefaultEventExecutor();
    private final Signal signal = new Signal(eventLoop);

    @AfterEach
    void stop() {
        eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aWaiterSleepsThroughSignalsWhoseConditionDoesNotHold() throws Exception {
        AtomicBoolean drained = new AtomicBoolean();
        AtomicInteger checksByTheWaiter = new AtomicInteger();
        Thread[] waiter = new Thread[1];
        BooleanSupplier ready = () -> {
            if (Thread.currentThread() == waiter[0]) {
                checksByTheWaiter.incrementAndGet();
            }
            return drained.get();
        };
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        waiter[0] = Thread.ofVirtual().unstarted(() -> await(ready, LONG_WAIT, result));
        waiter[0].start();
        awaitParked(waiter[0]);
        int checksBefore = checksByTheWaiter.get();

        for (int i = 0; i < 100; i++) {
            eventLoop.submit(signal::signalAll).get();
        }
        assertEquals(checksBefore, checksByTheWaiter.get(), "signals whose condition is false must not wake the waiter");

        drained.set(true);
        eventLoop.submit(signal::signalAll).get();
        assertTrue(result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aTimedWaitParksWithoutATimerAndEndsAtItsDeadline() throws Exception {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        long start = System.nanoTime();
        Thread waiter = Thread.ofVirtual().start(() -> await(() -> false, TimeUnit.MILLISECONDS.toNanos(300), result));
        awaitParked(waiter);
        assertEquals(Thread.State.WAITING, waiter.getState(), "a timed park would wake the JDK's timer thread twice");

        assertFalse(result.get(5, TimeUnit.SECONDS), "the wait must time out");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 300, "ended after " + elapsedMillis + " ms, before its deadline");
    }

    @Test
    void aShorterDeadlineThatComesLaterIsKeptToo() throws Exception {
        CompletableFuture<Boolean> patient = new CompletableFuture<>();
        AtomicBoolean patientReady = new AtomicBoolean();
        Thread first = Thread.ofVirtual().start(() -> await(patientReady::get, LONG_WAIT, patient));
        awaitParked(first);

        CompletableFuture<Boolean> hasty = new CompletableFuture<>();
        long start = System.nanoTime();
        Thread.ofVirtual().start(() -> await(() -> false, TimeUnit.MILLISECONDS.toNanos(200), hasty));
        assertFalse(hasty.get(5, TimeUnit.SECONDS), "the shorter wait must time out");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertFalse(patient.isDone(), "the longer wait must go on");

        patientReady.set(true);
        eventLoop.submit(signal::signalAll).get();
        assertTrue(patient.get(5, TimeUnit.SECONDS));
    }

    @Test
    void withTheEventLoopStoppedAWaiterKeepsItsOwnTime() throws Exception {
        eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> await(() -> false, TimeUnit.MILLISECONDS.toNanos(100), result));
        assertFalse(result.get(5, TimeUnit.SECONDS));
    }

    private void await(BooleanSupplier ready, long timeoutNanos, CompletableFuture<Boolean> result) {
        try {
            result.complete(signal.await(ready, timeoutNanos));
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    private static void awaitParked(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(5);
        }
    }
}
