package dev.sequin.netty;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Lets a virtual thread wait for a condition that an event loop makes true: the waiter checks
 * under the lock, the event loop signals under it, so no change is missed. A lock rather than
 * {@code synchronized}, so a waiting virtual thread never pins its carrier on Java 21.
 */
final class Signal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /**
     * Blocks until {@code ready} holds.
     *
     * @param ready checked now and after every {@link #signalAll()}
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    void await(BooleanSupplier ready) throws InterruptedIOException {
        lock.lock();
        try {
            while (!ready.getAsBoolean()) {
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the connection");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until {@code ready} holds, or the timeout passes.
     *
     * @param ready        checked now and after every {@link #signalAll()}
     * @param timeoutNanos the longest wait; 0 or less waits as long as it takes
     * @return whether {@code ready} holds; {@code false} when the time ran out first
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    boolean await(BooleanSupplier ready, long timeoutNanos) throws InterruptedIOException {
        if (timeoutNanos <= 0) {
            await(ready);
            return true;
        }
        lock.lock();
        try {
            long left = timeoutNanos;
            while (!ready.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the connection");
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter so it checks its condition again. */
    void signalAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
