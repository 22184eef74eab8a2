package dev.sequin.tck;

import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The graceful stop of {@code Server.close()}, step by step, each case on a server of its own with
 * a short grace period: once {@code close()} has begun new connections are refused, a request in
 * flight and a streamed response still finish whole, an idle keep-alive connection is closed
 * cleanly without waiting for them, the app's {@code onStop} and {@code Lifecycle.stop()} run after
 * the last request finished and before {@code close()} returns, and past the grace period what is
 * left is cut.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface ShutdownContract extends TckContext {

    /** The grace period of the cases whose requests finish in time: long enough, never waited out. */
    Duration LONG_GRACE = Duration.ofSeconds(5);

    /** The grace period of the case whose request never finishes. */
    Duration SHORT_GRACE = Duration.ofSeconds(1);

    /**
     * Starts another server of the backend under test, with the test's options changed. The
     * caller closes it.
     *
     * @param app    the application to serve
     * @param change turns the test's options into the ones wanted
     * @return the running server
     * @throws IOException if it cannot start
     */
    Server start(TckApp app, UnaryOperator<ServerOptions> change) throws IOException;

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void newConnectionsAreRefusedOnceCloseHasBegun() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(LONG_GRACE))) {
            String id = newId();
            try (RawConnection inFlight = connect(server)) {
                inFlight.send("GET /shutdown/gated/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitHandler(other, id);
                Thread closer = Thread.ofVirtual().start(server::close);
                awaitRefused(server.port());
                assertTrue(closer.isAlive(), "close() must still be waiting for the request in flight");
                other.probes().gate(id).countDown();
                assertEquals("finished", inFlight.read("GET").text());
                assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
            } finally {
                other.probes().releaseAll();
            }
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void requestInFlightFinishesWithItsWholeResponseAfterCloseBegan() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(LONG_GRACE))) {
            String id = newId();
            try (RawConnection inFlight = connect(server)) {
                inFlight.send("GET /shutdown/gated/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitHandler(other, id);
                Thread closer = Thread.ofVirtual().start(server::close);
                Thread.sleep(300);
                assertTrue(closer.isAlive(), "close() must wait for the request in flight");
                other.probes().gate(id).countDown();
                RawResponse r = inFlight.read("GET");
                assertEquals(200, r.status());
                assertEquals("8", r.header("Content-Length"));
                assertEquals("finished", r.text());
                assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
            } finally {
                other.probes().releaseAll();
            }
        }
    }

    /** The app's first template render, which loads the engine, must not wait for {@code close()}. */
    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void requestInFlightRenderingTheFirstTemplateFinishesAfterCloseBegan() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(LONG_GRACE))) {
            String id = newId();
            try (RawConnection inFlight = connect(server)) {
                inFlight.send("GET /shutdown/gated-template/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitHandler(other, id);
                Thread closer = Thread.ofVirtual().start(server::close);
                Thread.sleep(300);
                long start = System.nanoTime();
                other.probes().gate(id).countDown();
                RawResponse r = inFlight.read("GET");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(200, r.status());
                assertTrue(r.text().contains("in flight"), r.text());
                assertTrue(millis < LONG_GRACE.toMillis() / 2, "the render waited " + millis + " ms for close()");
                assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
            } finally {
                other.probes().releaseAll();
            }
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void streamedResponseInFlightEndsWholeWithinTheGracePeriod() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(LONG_GRACE));
             RawConnection c = connect(server)) {
            c.send("GET /shutdown/paced HTTP/1.1\r\nHost: tck\r\n\r\n");
            RawResponse head = c.readHead();
            assertEquals(200, head.status());
            assertTrue(head.chunked(), "the stream is chunked");
            StringBuilder body = new StringBuilder(new String(c.readChunk(), StandardCharsets.UTF_8));
            Thread closer = Thread.ofVirtual().start(server::close);
            int chunks = 1;
            for (byte[] chunk = c.readChunk(); chunk != null; chunk = c.readChunk()) {
                body.append(new String(chunk, StandardCharsets.UTF_8));
                if (++chunks == ShutdownRoutes.PACED_CHUNKS / 2) {
                    assertTrue(closer.isAlive(), "close() must wait for the stream in flight");
                }
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < ShutdownRoutes.PACED_CHUNKS; i++) {
                expected.append("chunk ").append(i).append('\n');
            }
            assertEquals(expected.toString(), body.toString(), "every chunk, then the last (empty) one");
            assertTrue(closer.join(LONG_GRACE), "close() returns once the stream is done");
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void idleKeepAliveConnectionIsClosedCleanlyWithoutWaitingForOthers() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(LONG_GRACE))) {
            String id = newId();
            try (RawConnection idle = connect(server); RawConnection inFlight = connect(server)) {
                assertEquals("hello!", idle.exchange("GET /text HTTP/1.1\r\nHost: tck\r\n\r\n", "GET").text());
                inFlight.send("GET /shutdown/gated/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitHandler(other, id);
                Thread closer = Thread.ofVirtual().start(server::close);
                long start = System.nanoTime();
                byte[] rest;
                try {
                    rest = idle.readToEnd();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the idle connection must be closed once close() began, "
                            + "not after the requests in flight", e);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertArrayEquals(new byte[0], rest, "an idle connection is closed without sending anything");
                assertTrue(millis < 2_000, "the idle connection was closed after " + millis + " ms");
                assertTrue(closer.isAlive(), "close() must still be waiting for the request in flight");
                other.probes().gate(id).countDown();
                assertEquals("finished", inFlight.read("GET").text());
                assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
            } finally {
                other.probes().releaseAll();
            }
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void componentsStopAfterTheRequestsInFlightAndBeforeCloseReturns() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(LONG_GRACE))) {
            ShutdownRoutes.Steps steps = other.api().use(ShutdownRoutes.Steps.class);
            String id = newId();
            try (RawConnection inFlight = connect(server)) {
                inFlight.send("GET /shutdown/gated/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitHandler(other, id);
                Thread closer = Thread.ofVirtual().start(server::close);
                Thread.sleep(300);
                assertEquals(List.of(), steps.list(), "nothing stops while a request is in flight");
                other.probes().gate(id).countDown();
                assertEquals("finished", inFlight.read("GET").text());
                assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
                assertEquals(List.of(ShutdownRoutes.REQUEST_FINISHED, ShutdownRoutes.ON_STOP, ShutdownRoutes.COMPONENT_STOPPED),
                        steps.list(), "the request finishes, then onStop runs, then components stop, all before close() returns");
            } finally {
                other.probes().releaseAll();
            }
        }
    }

    @Test
    @Tag("slow")
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void pastTheGracePeriodWhatIsLeftIsCut() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withGracePeriod(SHORT_GRACE))) {
            String id = newId();
            try (RawConnection endless = connect(server)) {
                endless.send("GET /shutdown/endless/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                assertEquals(200, endless.readHead().status());
                assertArrayEquals("first".getBytes(StandardCharsets.US_ASCII), endless.readChunk());
                long start = System.nanoTime();
                Thread closer = Thread.ofVirtual().start(server::close);
                assertTrue(closer.join(SHORT_GRACE.plusSeconds(3)), "close() must return soon after the grace period");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis >= SHORT_GRACE.toMillis() - 100, "close() returned after " + millis
                        + " ms, before the grace period was over");
                IOException cut = assertThrows(IOException.class, endless::readChunk,
                        "a response cut at the end of the grace period must not end cleanly");
                assertFalse(cut instanceof SocketTimeoutException, "the connection must be closed once the grace period is over");
            } finally {
                other.probes().releaseAll();
            }
        }
    }

    private RawConnection connect(Server server) throws IOException {
        return RawConnection.open(host(), server.port());
    }

    /** Waits until the handler of a gated request has started. */
    private static void awaitHandler(TckApp app, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.probes().counter(id).get() == 0) {
            if (System.nanoTime() > deadline) {
                fail("the request never reached its handler");
            }
            Thread.sleep(10);
        }
    }

    /** Tries to connect until the server refuses, for at most two seconds. */
    private void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host(), port), 1_000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        fail("new connections must be refused once close() has begun");
    }
}
