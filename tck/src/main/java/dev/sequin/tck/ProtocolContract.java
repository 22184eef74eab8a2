package dev.sequin.tck;

import dev.sequin.spi.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * HTTP/1.1 on the wire, read from raw sockets where the JDK client hides it: HEAD, bodiless
 * statuses, keep-alive, pipelining, {@code Expect: 100-continue}, malformed requests,
 * concurrency, port 0 and graceful stop.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface ProtocolContract extends TckContext {

    /** Requests the server must refuse with 400. */
    String[] MALFORMED = {
        "GARBAGE\r\n\r\n",
        "GET /text HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n",
        "GET /text HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
    };

    private static void assertHello(RawResponse r) {
        assertEquals(200, r.status());
        assertEquals("hello!", r.text());
    }

    @Test
    default void portZeroGivesTheRealPort() throws Exception {
        assertTrue(port() > 0, "server.port() must be the bound port, not 0");
        assertEquals("hello!", get("/text").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/text", "/json", "/bytes", "/template"})
    @Requires(Capability.SOCKET)
    default void headSendsTheHeadersOfGetWithoutABody(String target) throws Exception {
        RawResponse get;
        try (RawConnection c = connect()) {
            get = c.exchange(head("GET", target), "GET");
        }
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("HEAD", target, "Connection: close"), "HEAD");
            assertEquals(200, r.status());
            assertEquals(String.valueOf(get.body().length), r.header("Content-Length"));
            assertEquals(get.header("Content-Type"), r.header("Content-Type"));
            assertEquals(0, c.readToEnd().length, "no body after a HEAD response");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    @Requires(Capability.SOCKET)
    default void bodilessStatusHasNoBodyFraming(int status) throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("GET", "/status/" + status));
            RawResponse r = c.readHead();
            assertEquals(status, r.status());
            assertNull(r.header("Content-Length"), "no Content-Length on " + status);
            assertNull(r.header("Transfer-Encoding"), "no chunked body on " + status);
            assertHello(c.exchange(head("GET", "/text"), "GET"));
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse first = c.exchange(head("GET", "/text"), "GET");
            assertHello(first);
            assertNotEquals("close", first.header("Connection"));
            RawResponse second = c.exchange(head("GET", "/json"), "GET");
            assertEquals(200, second.status());
            assertEquals("{\"hello\":\"world!\"}", second.text());
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("GET", "/text")
                    + head("POST", "/echo/body", "Content-Length: 3").replace("\r\n\r\n", "\r\n\r\nabc")
                    + head("GET", "/json"));
            assertHello(c.read("GET"));
            RawResponse echo = c.read("POST");
            assertEquals(200, echo.status());
            assertEquals("abc", echo.text());
            assertEquals("{\"hello\":\"world!\"}", c.read("GET").text());
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("POST", "/echo/body", "Content-Length: 5", "Expect: 100-continue"));
            assertEquals(100, c.readHead().status(), "the server must ask for the body with 100 Continue");
            c.send("hello");
            RawResponse r = c.read("POST");
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void malformedRequestsAre400AndTheServerGoesOn() throws Exception {
        for (String request : MALFORMED) {
            try (RawConnection c = connect()) {
                c.send(prefixed(request));
                assertEquals(400, c.readHead().status(), () -> "for " + request.replace("\r\n", "\\r\\n"));
            }
        }
        assertEquals("hello!", get("/text").body());
    }

    @Test
    @Tag("slow")
    @Timeout(60)
    @Requires(Capability.SOCKET)
    default void hundredConcurrentKeepAliveConnectionsAreAllAnswered() throws Exception {
        List<Future<Integer>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                clients.add(threads.submit(() -> {
                    try (RawConnection c = connect()) {
                        for (int n = 0; n < 3; n++) {
                            assertHello(c.exchange(head("GET", "/text"), "GET"));
                        }
                    }
                    return 3;
                }));
            }
            for (Future<Integer> client : clients) {
                assertEquals(3, client.get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @Tag("slow")
    @Timeout(60)
    default void hundredConcurrentClientsOfOneHttpClientAreAllAnswered() throws Exception {
        List<Future<String>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                clients.add(threads.submit(() -> {
                    StringBuilder bodies = new StringBuilder();
                    for (int n = 0; n < 3; n++) {
                        bodies.append(get("/json").body());
                    }
                    return bodies.toString();
                }));
            }
            for (Future<String> client : clients) {
                assertEquals("{\"hello\":\"world!\"}".repeat(3), client.get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @Tag("slow")
    @Timeout(30)
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void closeLetsARequestInFlightFinish() throws Exception {
        try (TckApp other = TckApp.create()) {
            Server server = start(other);
            try {
                String id = newId();
                URI slow = URI.create("http://" + host() + ":" + server.port() + "/slow/" + id);
                CompletableFuture<HttpResponse<String>> inFlight = http().sendAsync(
                        HttpRequest.newBuilder(slow).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (other.probes().counter(id).get() == 0) {
                    if (System.nanoTime() > deadline) {
                        fail("the request never reached the view");
                    }
                    Thread.sleep(10);
                }
                Thread closer = Thread.ofVirtual().start(server::close);
                Thread.sleep(300);
                assertTrue(closer.isAlive(), "close() must wait for the request in flight");
                other.probes().gate(id).countDown();
                HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("finished", r.body());
                assertTrue(closer.join(Duration.ofSeconds(10)), "close() returns once the request is done");
                assertThrows(IOException.class, () -> new Socket(host(), server.port()).close(), "a closed server accepts nothing");
            } finally {
                other.probes().releaseAll();
                server.close();
            }
        }
    }
}
