package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Backend;
import dev.sequin.spi.BodySink;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Finding the backend, binding, and stopping gracefully. */
@Timeout(30)
class LifecycleTest extends ServerTestSupport {

    @Test
    void foundByServiceLoaderAsUndertow() {
        Backend backend = ServiceLoader.load(Backend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals("undertow"))
                .findFirst().orElseThrow();
        assertTrue(backend instanceof UndertowBackend);
    }

    @Test
    void portZeroBindsAFreePortAndReportsIt() throws Exception {
        Server one = start((req, resp) -> resp.open(3).write("one"));
        Server two = start((req, resp) -> resp.open(3).write("two"));
        assertTrue(one.port() > 0);
        assertNotEquals(one.port(), two.port());
        assertEquals("one", get(one, "/").body());
        assertEquals("two", get(two, "/").body());
    }

    @Test
    void busyPortFailsWithIOException() throws Exception {
        Server first = start((req, resp) -> { });
        assertThrows(IOException.class, () -> start((req, resp) -> { }, ServerOptions.port(first.port())));
    }

    @Test
    void closeWaitsForTheRequestInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            try (BodySink body = resp.open(4)) {
                body.write("done");
            }
        }, ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(10)));
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(request(server, "/slow").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(5, TimeUnit.SECONDS));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        Thread.sleep(300);
        assertFalse(closing.isDone(), "close waits while a request is in flight");
        assertThrows(ConnectException.class, () -> RawHttp.connect(server.port()).close(), "no new connections");

        release.countDown();
        HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("done", response.body());
        closing.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeCutsRequestsThatOutliveTheGracePeriod() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start((req, resp) -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
        }, ServerOptions.port(0).withGracePeriod(Duration.ofMillis(500)));
        try {
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(request(server, "/stuck").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            server.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 400 && tookMillis < 5_000, "close took " + tookMillis + " ms");
            assertThrows(Exception.class, () -> inFlight.get(5, TimeUnit.SECONDS), "the stuck request is cut");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Server server = start((req, resp) -> { });
        server.close();
        server.close();
        assertThrows(ConnectException.class, () -> RawHttp.connect(server.port()).close());
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Server server = start((req, resp) -> resp.open(2).write("ok"),
                ServerOptions.port(0).withIdleTimeout(Duration.ofMillis(500)));
        try (java.net.Socket socket = RawHttp.connect(server.port())) {
            RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = RawHttp.readHead(socket.getInputStream());
            assertEquals(200, RawHttp.status(head));
            assertEquals("ok", new String(RawHttp.readExactly(socket.getInputStream(), 2), java.nio.charset.StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read(), "the server closed the idle connection");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 300);
        }
    }
}
