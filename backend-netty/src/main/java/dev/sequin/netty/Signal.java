package dev.sequin.netty;

import io.netty.util.concurrent.EventExecutor;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Lets virtual threads wait for a condition that an event loop makes true, such as "the channel is
 * writable again". The event loop calls {@link #signalAll()} after every change that may matter;
 * a waiter is woken only once its own condition holds, so a writer waiting for a backlog to drain
 * sleeps through the changes that do not drain it.
 *
 * <p>A waiter registers before it checks its condition, and the event loop changes the state
 * before it looks for waiters, so no change is missed. A lock rather than {@code synchronized}, so
 * a waiting virtual thread never pins its carrier on Java 21.
 *
 * <p>Timeouts are kept by the event loop, not by timed parks: a virtual thread's timed park
 * wakes the JDK's timer thread twice (to arm and to cancel), which cost a streamed gigabyte
 * 5,000 context switches where untimed waits cost 2,000. The event loop checks the waiters'
 * deadlines from one scheduled task, armed when a timed wait finds none armed.
 *
 * <pre>{@code
 * Signal writability = new Signal(ctx.executor());
 * // a virtual thread:
 * boolean drained = writability.await(() -> channel.isWritable() || !channel.isActive(), timeoutNanos);
 * // the event loop, in channelWritabilityChanged:
 * writability.signalAll();
 * }</pre>
 */
final class Signal {

    private final EventExecutor eventLoop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final List<Waiter> waiting = new ArrayList<>(1);
    /** The size of {@link #waiting}, readable without the lock. */
    private volatile int waiters;
    /** Guarded by {@link #lock}: the deadline check scheduled on the event loop, or {@code null}. */
    private ScheduledFuture<?> check;
    /** Guarded by {@link #lock}: when {@link #check} runs ({@code System.nanoTime()}); a check for another time was replaced. */
    private long checkAt;

    /** @param eventLoop the event loop that signals, and keeps the waiters' deadlines */
    Signal(EventExecutor eventLoop) {
        this.eventLoop = eventLoop;
    }

    /**
     * Blocks until {@code ready} holds, or the timeout passes.
     *
     * @param ready        checked now and after every {@link #signalAll()}, on the event loop too:
     *                     it must be safe to call from any thread
     * @param timeoutNanos the longest wait; 0 or less waits as long as it takes
     * @return whether {@code ready} holds; {@code false} when the time ran out first
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    boolean await(BooleanSupplier ready, long timeoutNanos) throws InterruptedIOException {
        Waiter waiter = new Waiter(ready, timeoutNanos > 0, System.nanoTime() + timeoutNanos);
        lock.lock();
        waiting.add(waiter);
        waiters = waiting.size();
        try {
            while (!ready.getAsBoolean()) {
                if (waiter.late) {
                    return false;
                }
                if (!waiter.timed || check != null && checkAt - waiter.deadline <= 0 || scheduleCheck(waiter.deadline)) {
                    changed.await();
                } else if (changed.awaitNanos(waiter.deadline - System.nanoTime()) <= 0) {
                    waiter.late = !ready.getAsBoolean();
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the connection");
        } finally {
            waiting.remove(waiter);
            waiters = waiting.size();
            lock.unlock();
        }
    }

    /** Wakes the waiters once the condition of one of them holds; cheap when none waits. */
    void signalAll() {
        if (waiters == 0) {
            return;
        }
        lock.lock();
        try {
            for (Waiter waiter : waiting) {
                if (waiter.ready.getAsBoolean()) {
                    changed.signalAll();
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: has the event loop check the deadlines at {@code deadline}, instead of the
     * check scheduled, if any.
     *
     * @return whether the event loop took it; if it is stopped, the waiter keeps its own time
     */
    private boolean scheduleCheck(long deadline) {
        if (check != null) {
            check.cancel(false);
        }
        try {
            check = eventLoop.schedule(() -> checkDeadlines(deadline), deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            checkAt = deadline;
            return true;
        } catch (RejectedExecutionException stopped) {
            check = null;
            return false;
        }
    }

    /**
     * On the event loop: wakes the waiters past their deadline, and comes back at the next deadline.
     *
     * @param at when this check was scheduled for; a check replaced by an earlier one does nothing
     */
    private void checkDeadlines(long at) {
        lock.lock();
        try {
            if (check == null || at != checkAt) {
                return;
            }
            check = null;
            long now = System.nanoTime();
            Waiter next = null;
            for (Waiter waiter : waiting) {
                if (!waiter.timed) {
                    continue;
                }
                if (waiter.deadline - now <= 0) {
                    waiter.late = true;
                    changed.signalAll();
                } else if (next == null || waiter.deadline - next.deadline < 0) {
                    next = waiter;
                }
            }
            if (next != null) {
                scheduleCheck(next.deadline);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One waiting thread: its condition, and whether and when ({@code System.nanoTime()}) its wait ends. */
    private static final class Waiter {
        final BooleanSupplier ready;
        final boolean timed;
        final long deadline;
        boolean late;

        Waiter(BooleanSupplier ready, boolean timed, long deadline) {
            this.ready = ready;
            this.timed = timed;
            this.deadline = deadline;
        }
    }
}
