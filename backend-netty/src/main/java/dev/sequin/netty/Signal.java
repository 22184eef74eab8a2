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
