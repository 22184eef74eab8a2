package dev.sequin.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerThreadsTest {

    private final ExecutorService io = Executors.newSingleThreadExecutor(task -> new Thread(task, "io"));
    /** Every task handed to the I/O thread: the test's turns, the launches and the ends sent back. */
    private final AtomicInteger ioTasks = new AtomicInteger();
    private final HandlerThreads threads = new HandlerThreads(task -> {
        ioTasks.incrementAndGet();
        io.execute(task);
    }, Thread.ofVirtual().name("request-", 0).factory());
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopIoThread() throws InterruptedException {
        io.shutdownNow();
        assertTrue(io.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void requestsOfOneTurnRunOnVirtualThreadsAndTheirEndsComeBackInOneTask() throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(5);
        turn(() -> {
            for (int i = 0; i < 5; i++) {
                int request = i;
                threads.start(() -> {
                    log.add("served " + request + (Thread.currentThread().isVirtual() ? " virtual" : " platform"));
                    return () -> {
                        log.add("ended " + request + " on " + Thread.currentThread().getName());
                        ended.countDown();
                    };
                });
            }
        });
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("served 0 virtual", "served 1 virtual", "served 2 virtual", "served 3 virtual",
                "served 4 virtual", "ended 0 on io", "ended 1 on io", "ended 2 on io", "ended 3 on io", "ended 4 on io"),
                log);
        assertEquals(3, ioTasks.get(), "the turn, one launch and one task for the five ends");
    }

    @Test
    void requestsStartOnceTheTurnIsOver() throws InterruptedException {
        CountDownLatch served = new CountDownLatch(1);
        turn(() -> {
            threads.start(() -> {
                served.countDown();
                return null;
            });
            sleep(50);
            log.add("turn over, served: " + (served.getCount() == 0));
        });
        assertTrue(served.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("turn over, served: false"), log);
    }

    @Test
    void aLoneRequestsEndComesBackOnItsOwn() throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        turn(() -> threads.start(() -> ended::countDown));
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertEquals(3, ioTasks.get(), "the turn, the launch and the end");
    }

    @Test
    void aRequestThatWaitsHoldsBackNoOtherEnd() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch othersEnded = new CountDownLatch(3);
        CountDownLatch waiterEnded = new CountDownLatch(1);
        turn(() -> {
            threads.start(() -> {
                await(release);
                return waiterEnded::countDown;
            });
            for (int i = 0; i < 3; i++) {
                threads.start(() -> othersEnded::countDown);
            }
        });
        assertTrue(othersEnded.await(5, TimeUnit.SECONDS), "the others' ends came back while the first waits");
        assertEquals(1, waiterEnded.getCount());
        release.countDown();
        assertTrue(waiterEnded.await(5, TimeUnit.SECONDS), "the waiting request's end came back on its own");
    }

    @Test
    void anEndThatThrowsDoesNotStopTheOthersOfItsBatch() throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(2);
        AtomicInteger failures = new AtomicInteger();
        HandlerThreads failureCounting = new HandlerThreads(task -> io.execute(() -> {
            try {
                task.run();
            } catch (IllegalStateException expected) {
                failures.incrementAndGet();
            }
        }), Thread.ofVirtual().factory());
        turn(() -> {
            failureCounting.start(() -> ended::countDown);
            failureCounting.start(() -> () -> {
                throw new IllegalStateException("end failed");
            });
            failureCounting.start(() -> ended::countDown);
        });
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        turn(() -> { });
        assertEquals(1, failures.get(), "the failure reached the I/O thread's executor");
    }

    @Test
    void endsAfterTheIoThreadStoppedAreDropped() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        turn(() -> threads.start(() -> {
            await(release);
            returned.countDown();
            return () -> log.add("ended");
        }));
        io.shutdown();
        release.countDown();
        assertTrue(returned.await(5, TimeUnit.SECONDS));
        assertTrue(io.awaitTermination(5, TimeUnit.SECONDS));
        assertFalse(log.contains("ended"));
    }

    @Test
    void aLaunchTheIoThreadRefusesLeavesNothingBehind() throws InterruptedException {
        AtomicInteger refusals = new AtomicInteger(1);
        HandlerThreads refusingOnce = new HandlerThreads(task -> {
            if (refusals.getAndDecrement() > 0) {
                throw new RejectedExecutionException("shutting down");
            }
            io.execute(task);
        }, Thread.ofVirtual().factory());
        CountDownLatch ended = new CountDownLatch(1);
        turn(() -> assertThrows(RejectedExecutionException.class, () -> refusingOnce.start(() -> () -> log.add("lost"))));
        turn(() -> refusingOnce.start(() -> ended::countDown));
        assertTrue(ended.await(5, TimeUnit.SECONDS), "a later turn's request still starts");
        assertFalse(log.contains("lost"));
    }

    @Test
    void requestsStartedOnOtherThreadsAllRunAndEndOnTheIoThread() throws InterruptedException {
        int starters = 4;
        int perStarter = 2_000;
        CountDownLatch ended = new CountDownLatch(starters * perStarter);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger endedElsewhere = new AtomicInteger();
        List<Thread> threadsStarting = new CopyOnWriteArrayList<>();
        for (int s = 0; s < starters; s++) {
            threadsStarting.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perStarter; i++) {
                    threads.start(() -> {
                        served.incrementAndGet();
                        return () -> {
                            if (!Thread.currentThread().getName().equals("io")) {
                                endedElsewhere.incrementAndGet();
                            }
                            ended.countDown();
                        };
                    });
                }
            }));
        }
        for (Thread starter : threadsStarting) {
            starter.join();
        }
        assertTrue(ended.await(10, TimeUnit.SECONDS), "ended: " + (starters * perStarter - ended.getCount()));
        assertEquals(starters * perStarter, served.get());
        assertEquals(0, endedElsewhere.get());
    }

    /** Runs one turn of the I/O thread and waits for it. */
    private void turn(Runnable turn) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ioTasks.incrementAndGet();
        io.execute(() -> {
            turn.run();
            done.countDown();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
