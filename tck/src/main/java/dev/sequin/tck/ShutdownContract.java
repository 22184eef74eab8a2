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
        String id = newId();
        try (OwnServer own = startOwn(LONG_GRACE); RawConnection inFlight = own.sendGated("/shutdown/gated/", id)) {
            Thread closer = own.beginClose();
            awaitRefused(own.port());
            assertTrue(closer.isAlive(), "close() must still be waiting for the request in flight");
            assertFinishesThenCloseReturns(own, id, inFlight, closer);
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void requestInFlightFinishesWithItsWholeResponseAfterCloseBegan() throws Exception {
        String id = newId();
        try (OwnServer own = startOwn(LONG_GRACE); RawConnection inFlight = own.sendGated("/shutdown/gated/", id)) {
            Thread closer = own.beginClose();
            Thread.sleep(300);
            assertTrue(closer.isAlive(), "close() must wait for the request in flight");
            own.release(id);
            RawResponse r = inFlight.read("GET");
            assertEquals(200, r.status());
            assertEquals("8", r.header("Content-Length"));
            assertEquals("finished", r.text());
            assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
        }
    }

    /** The app's first template render, which loads the engine, must not wait for {@code close()}. */
    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void requestInFlightRenderingTheFirstTemplateFinishesAfterCloseBegan() throws Exception {
        String id = newId();
        try (OwnServer own = startOwn(LONG_GRACE); RawConnection inFlight = own.sendGated("/shutdown/gated-template/", id)) {
            Thread closer = own.beginClose();
            Thread.sleep(300);
            long start = System.nanoTime();
            own.release(id);
            RawResponse r = inFlight.read("GET");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(200, r.status());
            assertTrue(r.text().contains("in flight"), r.text());
            assertTrue(millis < LONG_GRACE.toMillis() / 2, "the render waited " + millis + " ms for close()");
            assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void streamedResponseInFlightEndsWholeWithinTheGracePeriod() throws Exception {
        try (OwnServer own = startOwn(LONG_GRACE); RawConnection c = own.connect()) {
            c.send("GET /shutdown/paced HTTP/1.1\r\nHost: tck\r\n\r\n");
            RawResponse head = c.readHead();
            assertEquals(200, head.status());
            assertTrue(head.chunked(), "the stream is chunked");
            StringBuilder body = new StringBuilder(new String(c.readChunk(), StandardCharsets.UTF_8));
            Thread closer = own.beginClose();
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
        String id = newId();
        try (OwnServer own = startOwn(LONG_GRACE); RawConnection idle = own.connect()) {
            assertEquals("hello!", idle.exchange("GET /text HTTP/1.1\r\nHost: tck\r\n\r\n", "GET").text());
            try (RawConnection inFlight = own.sendGated("/shutdown/gated/", id)) {
                Thread closer = own.beginClose();
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
                assertFinishesThenCloseReturns(own, id, inFlight, closer);
            }
        }
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void componentsStopAfterTheRequestsInFlightAndBeforeCloseReturns() throws Exception {
        String id = newId();
        try (OwnServer own = startOwn(LONG_GRACE); RawConnection inFlight = own.sendGated("/shutdown/gated/", id)) {
            ShutdownRoutes.Steps steps = own.app().api().use(ShutdownRoutes.Steps.class);
            Thread closer = own.beginClose();
            Thread.sleep(300);
            assertEquals(List.of(), steps.list(), "nothing stops while a request is in flight");
            assertFinishesThenCloseReturns(own, id, inFlight, closer);
            assertEquals(List.of(ShutdownRoutes.REQUEST_FINISHED, ShutdownRoutes.ON_STOP, ShutdownRoutes.COMPONENT_STOPPED),
                    steps.list(), "the request finishes, then onStop runs, then components stop, all before close() returns");
        }
    }

    @Test
    @Tag("slow")
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void pastTheGracePeriodWhatIsLeftIsCut() throws Exception {
        try (OwnServer own = startOwn(SHORT_GRACE); RawConnection endless = own.connect()) {
            endless.send("GET /shutdown/endless/" + newId() + " HTTP/1.1\r\nHost: tck\r\n\r\n");
            assertEquals(200, endless.readHead().status());
            assertArrayEquals("first".getBytes(StandardCharsets.US_ASCII), endless.readChunk());
            long start = System.nanoTime();
            Thread closer = own.beginClose();
            assertTrue(closer.join(SHORT_GRACE.plusSeconds(3)), "close() must return soon after the grace period");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= SHORT_GRACE.toMillis() - 100, "close() returned after " + millis
                    + " ms, before the grace period was over");
            IOException cut = assertThrows(IOException.class, endless::readChunk,
                    "a response cut at the end of the grace period must not end cleanly");
            assertFalse(cut instanceof SocketTimeoutException, "the connection must be closed once the grace period is over");
        }
    }

    /** Starts a server of the case's own, with the test's options but this grace period. */
    private OwnServer startOwn(Duration grace) throws IOException {
        return OwnServer.start(host(), app -> start(app, o -> o.withGracePeriod(grace)));
    }

    /** Opens the gate of a {@code /shutdown/gated/} request: it must finish, and {@code close()} return after it. */
    private void assertFinishesThenCloseReturns(OwnServer own, String id, RawConnection inFlight, Thread closer)
            throws IOException, InterruptedException {
        own.release(id);
        assertEquals("finished", inFlight.read("GET").text());
        assertTrue(closer.join(LONG_GRACE), "close() returns once the request in flight is done");
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
