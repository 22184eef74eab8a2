package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Headers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@link NonBlocking} in core: which requests qualify, and the TestClient's guard. */
class NonBlockingTest {

    @NonBlocking
    public static final class Quick implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(Thread.currentThread().isVirtual() ? "virtual" : "platform");
        }

        @Override
        public void onPost(Request req, Response resp) {
            onGet(req, resp);
        }
    }

    @NonBlocking
    public static final class Sleeps implements View {
        @Override
        public void onGet(Request req, Response resp) throws InterruptedException {
            Thread.sleep(1);
            resp.setText("slept");
        }
    }

    @NonBlocking
    public static final class Parks implements View {
        @Override
        public void onGet(Request req, Response resp) {
            LockSupport.parkNanos(1_000);
            resp.setText("parked");
        }
    }

    /** Reads a socket whose peer answers late: blocked in I/O, which no wait counter sees. */
    @NonBlocking
    public static final class ReadsASocket implements View {
        static volatile int port;

        @Override
        public void onGet(Request req, Response resp) throws Exception {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                resp.setText("read " + socket.getInputStream().read());
            }
        }
    }

    @NonBlocking
    public static final class Streams implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.streaming(out -> out.write("never"));
        }
    }

    @NonBlocking
    public static final class WithSocket implements View {
        @Override
        public void onWs(WebSocket ws) {
        }
    }

    @Test
    void onlyRequestsWithoutABodyRunOnTheStandInIoThread() {
        Api api = new Api();
        api.route("/quick", Quick.class);
        api.get("/plain", (req, resp) -> resp.setText(Thread.currentThread().isVirtual() ? "virtual" : "platform"));
        try (TestClient client = api.client()) {
            assertEquals("platform", client.get("/quick").text());
            assertEquals("8", client.head("/quick").headers().get("Content-Length"), "HEAD has no body either: \"platform\"");
            assertEquals("virtual", client.post("/quick", "a body").text());
            assertEquals("virtual", client.request("POST", "/quick", new Headers().set("Transfer-Encoding", "chunked"), new byte[0]).text());
            assertEquals("virtual", client.get("/plain").text());
        }
    }

    @Test
    void anAppWithoutNonBlockingViewsNeverAnswersYes() {
        Api api = new Api();
        api.get("/plain", (req, resp) -> resp.setText("x"));
        assertFalse(api.isNonBlocking(new InMemoryExchange("GET", "/plain", null, new Headers(), new byte[0]).request()));
        Api marked = new Api();
        marked.route("/quick", Quick.class);
        assertTrue(marked.isNonBlocking(new InMemoryExchange("GET", "/quick", null, new Headers(), new byte[0]).request()));
        assertFalse(marked.isNonBlocking(new InMemoryExchange("GET", "/missing", null, new Headers(), new byte[0]).request()),
                "a 404 runs the hooks, which may block");
        assertFalse(marked.isNonBlocking(new InMemoryExchange("GET", "/quick", null,
                new Headers().set("Upgrade", "websocket"), new byte[0]).request()));
    }

    @Test
    void aMountedAppIsAskedForItsOwnRoutes() {
        Api inner = new Api();
        inner.route("/quick", Quick.class);
        Api outer = new Api();
        outer.mount("/inner", inner);
        try (TestClient client = outer.client()) {
            assertEquals("platform", client.get("/inner/quick").text());
        }
    }

    @Test
    void sleepingOrParkingFailsTheRequestLoudly() {
        Api api = new Api();
        api.route("/sleeps", Sleeps.class);
        api.route("/parks", Parks.class);
        try (TestClient client = api.client()) {
            AssertionError slept = assertThrows(AssertionError.class, () -> client.get("/sleeps"));
            assertTrue(slept.getMessage().contains("GET /sleeps: the @NonBlocking view"), slept.getMessage());
            assertTrue(slept.getMessage().contains("slept, parked or waited 1 time(s)"), slept.getMessage());
            assertThrows(AssertionError.class, () -> client.get("/parks"));
        }
    }

    @Test
    void blockingIoOverTheStallBudgetFailsTheRequest() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ReadsASocket.port = peer.getLocalPort();
            Thread.ofVirtual().start(() -> {
                for (int late : new int[] {300, 0}) {
                    try (Socket accepted = peer.accept(); OutputStream out = accepted.getOutputStream()) {
                        Thread.sleep(late);
                        out.write(7);
                    } catch (Exception stopped) {
                        return;
                    }
                }
            });
            Api api = new Api();
            api.route("/reads", ReadsASocket.class);
            try (TestClient client = api.client()) {
                AssertionError stalled = assertThrows(AssertionError.class, () -> client.stallBudget(Duration.ofMillis(50)).get("/reads"));
                assertTrue(stalled.getMessage().contains("ms off the CPU, over the stall budget of 50 ms"), stalled.getMessage());
                assertEquals("read 7", client.stallBudget(Duration.ofSeconds(5)).get("/reads").text(), "within the budget it passes");
            }
        }
    }

    @Test
    void streamingFromANonBlockingViewIsA500() {
        Api api = new Api();
        api.route("/streams", Streams.class);
        try (TestClient client = api.client()) {
            assertEquals(500, client.get("/streams").statusCode());
        }
    }

    @Test
    void aNonBlockingViewCannotAcceptWebSockets() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new Api().route("/ws", WithSocket.class));
        assertTrue(refused.getMessage().contains("is @NonBlocking but accepts WebSockets"), refused.getMessage());
    }
}
