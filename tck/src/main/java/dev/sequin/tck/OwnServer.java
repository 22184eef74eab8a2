package dev.sequin.tck;

import dev.sequin.spi.Server;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A server of a case's own, for the cases that stop it: a fresh {@link TckApp} served by the
 * backend under test, raw connections to it, gated requests held in their handler, and
 * {@code close()} begun on a virtual thread. Closing this opens every gate first, so that
 * stopping the server never waits for a gate, then closes the server and the app.
 *
 * <pre>{@code
 * try (OwnServer own = OwnServer.start(host(), app -> start(app, o -> o.withGracePeriod(grace)));
 *      RawConnection inFlight = own.sendGated("/shutdown/gated/", id)) {
 *     Thread closer = own.beginClose();
 *     own.release(id);
 *     assertEquals("finished", inFlight.read("GET").text());
 * }
 * }</pre>
 *
 * @param app    the application served, with its probes
 * @param server the running server
 * @param host   the address the server is reached at
 */
record OwnServer(TckApp app, Server server, String host) implements AutoCloseable {

    /** How a case starts a server of the backend under test for an app. */
    @FunctionalInterface
    interface Starter {

        /**
         * @param app the application to serve
         * @return the running server
         * @throws IOException if it cannot start
         */
        Server start(TckApp app) throws IOException;
    }

    /**
     * Serves a fresh {@link TckApp}; the caller closes the result.
     *
     * @param host    the address the server is reached at
     * @param starter starts the server for the app, with the options the case wants
     * @return the running server and its app
     * @throws IOException if the server cannot start (the app is then closed)
     */
    static OwnServer start(String host, Starter starter) throws IOException {
        TckApp app = TckApp.create();
        try {
            return new OwnServer(app, starter.start(app), host);
        } catch (IOException | RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** @return the port the server listens on */
    int port() {
        return server.port();
    }

    /**
     * @return a new raw connection to this server
     * @throws IOException if it cannot connect
     */
    RawConnection connect() throws IOException {
        return RawConnection.open(host, server.port());
    }

    /**
     * Sends {@code GET route + id} on a new connection and waits, at most five seconds, until
     * its handler has started; the handler then waits for the gate of {@code id}.
     *
     * @param route a gated route's path up to its id, like {@code /shutdown/gated/}
     * @param id    the request's id in {@link #app()}'s probes
     * @return the connection the response will arrive on; the caller closes it
     * @throws IOException          if the connection or the write fails
     * @throws InterruptedException if interrupted while waiting
     */
    RawConnection sendGated(String route, String id) throws IOException, InterruptedException {
        RawConnection connection = connect();
        try {
            connection.send("GET " + route + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
            awaitHandler(id);
            return connection;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Opens the gate of a request sent by {@link #sendGated}, so that its handler goes on.
     *
     * @param id the request's id
     */
    void release(String id) {
        app.probes().gate(id).countDown();
    }

    /** @return the virtual thread that runs {@code close()} on the server, started */
    Thread beginClose() {
        return Thread.ofVirtual().start(server::close);
    }

    /** Opens every gate, then closes the server (again, if a case began it) and the app. */
    @Override
    public void close() {
        app.probes().releaseAll();
        try {
            server.close();
        } finally {
            app.close();
        }
    }

    private void awaitHandler(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.probes().counter(id).get() == 0) {
            if (System.nanoTime() > deadline) {
                fail("the request never reached its handler");
            }
            Thread.sleep(10);
        }
    }
}
