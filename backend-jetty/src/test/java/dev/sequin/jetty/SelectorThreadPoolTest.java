package dev.sequin.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which jobs the backend's pool runs on the calling selector thread, and which it hands to its threads. */
class SelectorThreadPoolTest {

    private final SelectorThreadPool pool = new SelectorThreadPool();

    @BeforeEach
    void start() throws Exception {
        pool.setName("pool");
        pool.start();
    }

    @AfterEach
    void stop() throws Exception {
        pool.stop();
    }

    @Test
    void aConnectionResumedWhileTheEndsRunRunsRightThere() {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        SelectorThreadPool.runEnds(() -> pool.execute(connection(() -> ranOn.complete(Thread.currentThread()))));
        assertEquals(Thread.currentThread(), ranOn.getNow(null), "ran inline, before runEnds returned");
    }

    @Test
    void anyOtherJobWhileTheEndsRunGoesToThePool() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        SelectorThreadPool.runEnds(() -> pool.execute(() -> ranOn.complete(Thread.currentThread())));
        assertTrue(ranOn.get(5, TimeUnit.SECONDS).getName().startsWith("pool"));
    }

    @Test
    void aConnectionResumedAnywhereElseGoesToThePool() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        pool.execute(connection(() -> ranOn.complete(Thread.currentThread())));
        assertNotEquals(Thread.currentThread(), ranOn.get(5, TimeUnit.SECONDS));
    }

    /** A job that is a Jetty {@link Connection}, as {@code HttpConnection} is when Jetty resumes it. */
    private static Runnable connection(Runnable onRun) {
        return (Runnable) Proxy.newProxyInstance(SelectorThreadPoolTest.class.getClassLoader(),
                new Class<?>[] {Runnable.class, Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "run" -> {
                        onRun.run();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "a connection";
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
    }
}
