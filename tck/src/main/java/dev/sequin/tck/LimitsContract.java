package dev.sequin.tck;

import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Limits, timeouts and framing, read from raw sockets: the {@link ServerOptions} limits
 * ({@code 414}, {@code 431}, {@code 503} with {@code Retry-After}), idle, read and write timeouts,
 * request smuggling and malformed framing (refused, connection not reused), a body that breaks
 * its {@code Content-Length}, the server's own answers to bad requests (short plain text, no
 * server name) and a fuzz run of mutated requests. Cases that need other options start a server
 * of their own with them; the rest assume the test's options keep the default limits.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface LimitsContract extends TckContext {

    /** A request the server answers {@code 200 hello!}, to see whether a connection is still used. */
    String FOLLOW_UP = "GET /text HTTP/1.1\r\nHost: tck\r\n\r\n";

    /** A field value continued on the next line (obs-fold, RFC 9112 section 5.2). */
    String OBSOLETE_LINE_FOLDING = "GET /text HTTP/1.1\r\nHost: tck\r\nX-Folded: a\r\n b\r\n\r\n";

    /** Requests whose framing is ambiguous or malformed: each must be refused. */
    enum BadFraming {
        /** Content-Length and chunked: which one frames the body? */
        CONTENT_LENGTH_AND_CHUNKED("POST /echo/body HTTP/1.1\r\nHost: tck\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        /** The same, the other way round. */
        CHUNKED_AND_CONTENT_LENGTH("POST /echo/body HTTP/1.1\r\nHost: tck\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Length: 4\r\n\r\n0\r\n\r\n"),
        /** Two different lengths. */
        TWO_CONTENT_LENGTHS("POST /echo/body HTTP/1.1\r\nHost: tck\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"),
        /** A chunk size that is not hexadecimal. */
        MALFORMED_CHUNK_SIZE("POST /echo/body HTTP/1.1\r\nHost: tck\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        /** Lines ended by LF alone. */
        BARE_LF("GET /text HTTP/1.1\nHost: tck\n\n"),
        /** A NUL byte in a field value. */
        NUL_IN_HEADER("GET /text HTTP/1.1\r\nHost: tck\r\nX-Nul: a\0b\r\n\r\n"),
        /** A field name with a space inside. */
        SPACE_IN_HEADER_NAME("GET /text HTTP/1.1\r\nHost: tck\r\nX Spaced: a\r\n\r\n"),
        /** Whitespace between a field name and its colon. */
        SPACE_BEFORE_COLON("GET /text HTTP/1.1\r\nHost: tck\r\nX-Spaced : a\r\n\r\n");

        /** The request as sent. */
        final String request;

        BadFraming(String request) {
            this.request = request;
        }
    }

    /**
     * Starts another server of the backend under test, with the test's options changed, for
     * cases that need other limits. The caller closes it.
     *
     * @param app    the application to serve
     * @param change turns the test's options into the ones wanted, for example
     *               {@code o -> o.withReadTimeout(Duration.ofSeconds(1))}
     * @return the running server
     * @throws IOException if it cannot start
     */
    Server start(TckApp app, UnaryOperator<ServerOptions> change) throws IOException;

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void requestLineOverTheLimitIs414AndClosesTheConnection() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withMaxRequestLineBytes(1024))) {
            assertHello(exchange(server, requestWithLine(1024)));
            try (RawConnection c = connect(server)) {
                assertEquals(414, c.exchange(requestWithLine(1025), "GET").status());
                assertNoFurtherAnswer(c);
            }
        }
        try (RawConnection c = connect()) {
            assertEquals(414, c.exchange(requestWithLine(8193), "GET").status(), "the default limit is 8192 bytes");
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void headerSectionOverTheLimitIs431AndClosesTheConnection() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withMaxHeaderBytes(2048))) {
            assertHello(exchange(server, requestWithHeaderBytes(2048)));
            try (RawConnection c = connect(server)) {
                assertEquals(431, c.exchange(requestWithHeaderBytes(2049), "GET").status());
                assertNoFurtherAnswer(c);
            }
        }
        try (RawConnection c = connect()) {
            assertEquals(431, c.exchange(requestWithHeaderBytes(16385), "GET").status(), "the default limit is 16384 bytes");
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void tooManyHeaderFieldsAre431AndCloseTheConnection() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withMaxHeaderCount(20))) {
            assertHello(exchange(server, requestWithFields(20)));
            try (RawConnection c = connect(server)) {
                assertEquals(431, c.exchange(requestWithFields(21), "GET").status());
                assertNoFurtherAnswer(c);
            }
        }
        try (RawConnection c = connect()) {
            assertEquals(431, c.exchange(requestWithFields(101), "GET").status(), "the default limit is 100 fields");
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void requestsBeyondTheConcurrencyLimitAre503WithRetryAfter() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withMaxConcurrentRequests(2))) {
            Probes probes = other.probes();
            String first = newId();
            String second = newId();
            String refused = newId();
            try (RawConnection a = connect(server); RawConnection b = connect(server)) {
                a.send("GET /slow/" + first + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                b.send("GET /slow/" + second + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitCount(probes, first);
                awaitCount(probes, second);
                try (RawConnection c = connect(server)) {
                    RawResponse r = c.exchange("GET /slow/" + refused + " HTTP/1.1\r\nHost: tck\r\n\r\n", "GET");
                    assertEquals(503, r.status());
                    assertNotNull(r.header("Retry-After"), "a 503 for load says when to retry");
                    assertPlainAndShort(r.header("Content-Type"), r.text());
                    assertEquals(0, probes.counter(refused).get(), "the handler must not run for a refused request");
                    assertNoFurtherAnswer(c);
                }
                probes.gate(first).countDown();
                probes.gate(second).countDown();
                assertEquals("finished", a.read("GET").text());
                assertEquals("finished", b.read("GET").text());
            } finally {
                probes.releaseAll();
            }
            assertHello(eventuallyNot503(server));
        }
    }

    /** A {@code @NonBlocking} view's handler runs too: it counts towards the limit like any other. */
    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void aNonBlockingRequestBeyondTheConcurrencyLimitIs503Too() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withMaxConcurrentRequests(1))) {
            Probes probes = other.probes();
            String slow = newId();
            try (RawConnection a = connect(server)) {
                a.send("GET /slow/" + slow + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                awaitCount(probes, slow);
                try (RawConnection c = connect(server)) {
                    RawResponse r = c.exchange("GET /nb/where HTTP/1.1\r\nHost: tck\r\n\r\n", "GET");
                    assertEquals(503, r.status(), "the limit is 1 and a request is in flight: " + r.text());
                    assertNotNull(r.header("Retry-After"));
                    assertNoFurtherAnswer(c);
                }
                probes.gate(slow).countDown();
                assertEquals("finished", a.read("GET").text());
            } finally {
                probes.releaseAll();
            }
            RawResponse after = exchange(server, "GET /nb/where HTTP/1.1\r\nHost: tck\r\n\r\n");
            assertEquals(200, after.status(), "the slot is free again once the slow request ended");
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, o -> o.withIdleTimeout(Duration.ofSeconds(1)))) {
            try (RawConnection c = connect(server)) {
                assertHello(c.exchange(FOLLOW_UP, "GET"));
                Thread.sleep(300);
                assertHello(c.exchange(FOLLOW_UP, "GET"));
                long start = System.nanoTime();
                assertNoFurtherAnswer(c);
                assertTrue(elapsedMillis(start) >= 500, "closed before the idle timeout");
            }
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void requestHeadTricklingInIsCutAtTheReadTimeout() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, shortReadTimeout())) {
            try (RawConnection c = connect(server)) {
                c.send("GET /text HTTP/1.1\r\nHost: tck\r\n");
                long start = System.nanoTime();
                Thread trickler = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 40; i++) {
                            Thread.sleep(200);
                            c.send("X-Slow-" + i + ": 1\r\n");
                        }
                    } catch (IOException | InterruptedException stopped) {
                        // the server closed the connection, or the test is over
                    }
                });
                try {
                    assertTimedOut(readUntilClosed(c));
                } finally {
                    trickler.interrupt();
                    trickler.join();
                }
                assertTrue(elapsedMillis(start) < 4_000, "a head trickling in must be cut after the 1 s read timeout, "
                        + "not after the idle timeout; took " + elapsedMillis(start) + " ms");
            }
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void requestHeadThatStopsIsCutAtTheReadTimeout() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, shortReadTimeout())) {
            try (RawConnection c = connect(server)) {
                c.send("GET /text HTTP/1.1\r\nHost: tck\r\nX-Half: ");
                long start = System.nanoTime();
                assertTimedOut(readUntilClosed(c));
                assertTrue(elapsedMillis(start) < 4_000, "took " + elapsedMillis(start) + " ms");
            }
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void requestBodyThatStopsIsCutAtTheReadTimeout() throws Exception {
        try (TckApp other = TckApp.create(); Server server = start(other, shortReadTimeout())) {
            try (RawConnection c = connect(server)) {
                c.send("POST /echo/body HTTP/1.1\r\nHost: tck\r\nContent-Length: 10\r\n\r\nabc");
                long start = System.nanoTime();
                assertTimedOut(readUntilClosed(c));
                assertTrue(elapsedMillis(start) < 4_000, "took " + elapsedMillis(start) + " ms");
            }
        }
    }

    /** The write timeout applies, not the shorter idle timeout, which is for connections between requests. */
    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void writerToAClientThatStopsReadingFailsAtTheWriteTimeout() throws Exception {
        UnaryOperator<ServerOptions> options = o -> o.withWriteTimeout(Duration.ofSeconds(2)).withIdleTimeout(Duration.ofSeconds(1));
        try (TckApp other = TckApp.create(); Server server = start(other, options)) {
            String id = newId();
            try (RawConnection c = RawConnection.open(host(), server.port(), 16 * 1024)) {
                c.send("GET /stream/big/" + id + " HTTP/1.1\r\nHost: tck\r\n\r\n");
                long start = System.nanoTime();
                Throwable end = other.probes().writerEnd(id).get(15, TimeUnit.SECONDS);
                assertInstanceOf(IOException.class, end, "the blocked write must fail with an IOException");
                assertTrue(elapsedMillis(start) >= 1_800, () -> "the write failed after " + elapsedMillis(start)
                        + " ms, before the 2 s write timeout");
                assertTrue(other.probes().counter(id).get() < StreamingRoutes.BIG_BYTES, "the writer must not have finished");
                try {
                    c.readToEnd();
                } catch (SocketTimeoutException e) {
                    fail("the connection must be closed once the write timed out");
                } catch (SocketException reset) {
                    // closed with a reset: what was left unsent is dropped
                }
            }
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void uploadOverTheAppLimitIs413WhileTheBodyIsStillArriving() throws Exception {
        try (RawConnection c = connect()) {
            String chunk = Integer.toHexString(2 * LimitsRoutes.UPLOAD_LIMIT) + "\r\n" + "x".repeat(2 * LimitsRoutes.UPLOAD_LIMIT) + "\r\n";
            c.send(head("POST", "/limits/upload", "Transfer-Encoding: chunked") + chunk);
            RawResponse r;
            try {
                r = c.readHead();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer: the backend must hand the body over as it arrives, "
                        + "so the application can refuse it before it ends", e);
            }
            assertEquals(413, r.status());
        }
    }

    @ParameterizedTest
    @EnumSource(BadFraming.class)
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void badFramingIsRefusedAndTheConnectionIsNotReused(BadFraming bad) throws Exception {
        assertRefusedAndNotReused(bad.request);
    }

    /**
     * Obsolete line folding, on its own because RFC 9112 also lets a server unfold it into spaces,
     * which some server libraries do without a trace in the parsed request.
     */
    @Test
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void obsoleteLineFoldingIsRefusedAndTheConnectionIsNotReused() throws Exception {
        assertRefusedAndNotReused(OBSOLETE_LINE_FOLDING);
    }

    @Test
    @Requires({Capability.LIMITS, Capability.IN_PROCESS, Capability.SOCKET})
    default void bodyLongerThanItsContentLengthFailsTheWriteAndClosesTheConnection() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send("GET " + path("/limits/spi/longer/" + id) + " HTTP/1.1\r\nHost: tck\r\n\r\n");
            Throwable end = app().probes().writerEnd(id).get(5, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, end, "writing past the announced Content-Length must throw");
            try {
                c.send(prefixed(FOLLOW_UP));
            } catch (IOException closed) {
                // already closed: that is the point
            }
            String answer = readUntilClosed(c);
            assertTrue(!answer.contains("hello!"), () -> "nothing past the announced length may be sent: " + answer);
            assertTrue(answer.indexOf("HTTP/1.") == answer.lastIndexOf("HTTP/1."),
                    () -> "the connection must not serve another request: " + answer);
        }
    }

    @Test
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void bodyShorterThanItsContentLengthAbortsTheConnection() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send("GET " + path("/limits/spi/shorter/" + id) + " HTTP/1.1\r\nHost: tck\r\n\r\n");
            assertThrows(EOFException.class, () -> c.read("GET"),
                    "a body shorter than its Content-Length must end with the connection, never look complete");
        }
    }

    /** Requests a server accepts are left to the cases above; the answers to those it refuses are checked. */
    @Test
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void serversOwnAnswersToBadRequestsAreShortPlainTextWithoutInternals() throws Exception {
        List<String> requests = new ArrayList<>(List.of(ProtocolContract.MALFORMED));
        for (BadFraming bad : BadFraming.values()) {
            requests.add(bad.request);
        }
        requests.add(requestWithLine(20_000));
        requests.add(requestWithHeaderBytes(40_000));
        for (String request : requests) {
            RawResponse r;
            try (RawConnection c = connect()) {
                c.send(prefixed(request));
                r = c.read("GET");
            } catch (EOFException | SocketException closed) {
                continue;
            }
            if (r.status() < 300) {
                continue;
            }
            String shown = request.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
            String requestShown = shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
            assertTrue(r.status() >= 400 && r.status() < 500, () -> "for " + requestShown + ": status " + r.status());
            assertNull(r.header("Server"), () -> "for " + requestShown + ": no Server header");
            if (r.body().length > 0) {
                assertPlainAndShort(r.header("Content-Type"), r.text());
            }
            String all = (r.headers() + r.text()).toLowerCase(Locale.ROOT);
            for (String internal : List.of("undertow", "jetty", "netty", "exception", "java", "<html")) {
                assertTrue(!all.contains(internal), () -> "for " + requestShown + ": the answer names '" + internal + "': "
                        + r.headers() + " " + r.text());
            }
        }
    }

    /**
     * Requests that once made a backend answer {@code 500} or hang, kept as regression cases: when
     * the fuzz run below finds a new one, add it here (as the fuzz run prints it).
     */
    List<String> FUZZ_REGRESSIONS = List.of(
            "POST /echo/body HTTP/1.1\r\nHost: tck\r\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n",
            "POST /echo/body HTTP/1.1\r\nHost: tck\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel\0lo\r\n0\r\n\r\n",
            "POST /echo/body HTTP/1.1\r\nHost: tck\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello");

    /** How many mutated requests the fuzz run sends. */
    int FUZZ_REQUESTS = 3_000;

    /**
     * A fuzz run with a fixed seed: {@value #FUZZ_REQUESTS} requests mutated a few bytes at a time
     * (control characters, separators, digits inserted, replaced, removed), each on its own
     * connection whose sending side is then shut, after the {@link #FUZZ_REGRESSIONS}. Every one
     * must be answered or closed, never hang and never get a {@code 500}, and the server must go on.
     */
    @Test
    @Tag("slow")
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void mutatedRequestsAreAnsweredOrClosedNeverHangOrFail() throws Exception {
        for (String regression : FUZZ_REGRESSIONS) {
            answerTo(prefixed(regression).getBytes(StandardCharsets.ISO_8859_1));
        }
        Random random = new Random(20_261_124L);
        String[] seeds = {
            FOLLOW_UP,
            "POST /echo/body HTTP/1.1\r\nHost: tck\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo/body HTTP/1.1\r\nHost: tck\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        };
        int answered = 0;
        for (int i = 0; i < FUZZ_REQUESTS; i++) {
            byte[] request = mutated(prefixed(seeds[random.nextInt(seeds.length)]).getBytes(StandardCharsets.ISO_8859_1), random);
            answered += answerTo(request) ? 1 : 0;
        }
        assertTrue(answered >= FUZZ_REQUESTS / 3, "most mutated requests are still answered (with 2xx or 4xx), not dropped: " + answered);
        assertEquals("hello!", get("/text").body(), "the server goes on");
    }

    /**
     * Sends one request on its own connection and checks the answer: an HTTP response that is not
     * a {@code 500}, or the connection closed without one, within the read timeout.
     *
     * @return whether the server answered (rather than closed)
     */
    private boolean answerTo(byte[] request) throws IOException {
        String shown = new String(request, StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
        String answer;
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(RawConnection.READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(host(), port()), RawConnection.READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request);
            socket.shutdownOutput();
            answer = readUntilClosed(socket.getInputStream(), shown);
        }
        Pattern statusLine = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");
        Matcher status = statusLine.matcher(answer);
        while (status.find()) {
            assertNotEquals("500", status.group(1), () -> "a 500 for " + shown);
        }
        assertTrue(answer.isEmpty() || statusLine.matcher(answer).lookingAt(), () -> "not an HTTP answer to " + shown
                + ": " + firstLine(answer));
        return !answer.isEmpty();
    }

    @Test
    @Requires({Capability.LIMITS, Capability.SOCKET})
    default void noResponseNamesTheServer() throws Exception {
        for (String target : List.of("/text", "/no/such/page", "/error/crash")) {
            try (RawConnection c = connect()) {
                RawResponse r = c.exchange(head("GET", target), "GET");
                assertNull(r.header("Server"), () -> "no Server header on " + target);
                assertNull(r.header("X-Powered-By"), () -> "no X-Powered-By header on " + target);
            }
        }
    }

    private void assertRefusedAndNotReused(String request) throws IOException, InterruptedException {
        try (RawConnection c = connect()) {
            c.send(prefixed(request) + prefixed(FOLLOW_UP));
            String answer = readUntilClosed(c);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400 "),
                    () -> "expected 400 or the connection closed without an answer, got: " + firstLine(answer));
            assertEquals(answer.indexOf("HTTP/1."), answer.lastIndexOf("HTTP/1."),
                    () -> "the request after a refused one must not be answered: " + answer);
        }
        assertEquals("hello!", get("/text").body(), "the server goes on");
    }

    private static UnaryOperator<ServerOptions> shortReadTimeout() {
        return o -> o.withReadTimeout(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofSeconds(20));
    }

    private RawConnection connect(Server server) throws IOException {
        return RawConnection.open(host(), server.port());
    }

    private RawResponse exchange(Server server, String request) throws IOException {
        try (RawConnection c = connect(server)) {
            return c.exchange(request, "GET");
        }
    }

    private RawResponse eventuallyNot503(Server server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            RawResponse r = exchange(server, FOLLOW_UP);
            if (r.status() != 503 || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(20);
        }
    }

    /** @return a GET of {@code /text} whose request line (without CRLF) is exactly {@code length} bytes */
    private static String requestWithLine(int length) {
        String line = "GET /text?q= HTTP/1.1";
        String target = "/text?q=" + "a".repeat(length - line.length());
        return "GET " + target + " HTTP/1.1\r\nHost: tck\r\n\r\n";
    }

    /**
     * @return a GET of {@code /text} whose header section, each field counted as
     *         {@code name: value} and CRLF, is exactly {@code bytes} bytes
     */
    private static String requestWithHeaderBytes(int bytes) {
        String host = "Host: tck\r\n";
        String big = "X-Big: \r\n";
        return "GET /text HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(bytes - host.length() - big.length()) + "\r\n\r\n";
    }

    /** @return a GET of {@code /text} with exactly {@code count} header fields, {@code Host} included */
    private static String requestWithFields(int count) {
        StringBuilder request = new StringBuilder("GET /text HTTP/1.1\r\nHost: tck\r\n");
        for (int i = 1; i < count; i++) {
            request.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    private static void assertHello(RawResponse r) {
        assertEquals(200, r.status());
        assertEquals("hello!", r.text());
    }

    private static void awaitCount(Probes probes, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (probes.counter(id).get() == 0) {
            if (System.nanoTime() > deadline) {
                fail("the request never reached the view");
            }
            Thread.sleep(10);
        }
    }

    /** Passes if the server closes the connection without answering anything more. */
    private static void assertNoFurtherAnswer(RawConnection c) throws IOException {
        String rest = readUntilClosed(c);
        assertTrue(rest.isEmpty(), () -> "nothing more may come on this connection, got: " + firstLine(rest));
    }

    /** Passes if a request cut by a timeout got no answer, or {@code 408}. */
    private static void assertTimedOut(String answer) {
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408 "),
                () -> "expected the connection closed or 408, got: " + firstLine(answer));
    }

    private static void assertPlainAndShort(String contentType, String body) {
        assertNotNull(contentType, "a body has a Content-Type");
        assertTrue(contentType.toLowerCase(Locale.ROOT).startsWith("text/plain"), () -> "plain text, not " + contentType);
        assertTrue(body.length() <= 100, () -> "a short body, not " + body.length() + " characters: " + body);
    }

    /**
     * Reads until the server closes the connection.
     *
     * @return what arrived (ISO-8859-1), up to the end or a reset
     * @throws AssertionError if the server keeps the connection open without sending for
     *                        {@link RawConnection#READ_TIMEOUT_MILLIS}
     */
    private static String readUntilClosed(RawConnection c) throws IOException {
        StringBuilder received = new StringBuilder();
        try {
            while (true) {
                received.append((char) (c.readExactly(1)[0] & 0xff));
            }
        } catch (EOFException | SocketException closed) {
            return received.toString();
        } catch (SocketTimeoutException open) {
            throw new AssertionError("the server kept the connection open; received: " + firstLine(received.toString()), open);
        }
    }

    /** Changes one to three bytes of {@code request}: replaced, inserted or removed. */
    private static byte[] mutated(byte[] request, Random random) {
        byte[] alphabet = "\r\n\0 \t:;,=\"%/?#-09afAFzZ\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(request);
        byte[] bytes = out.toByteArray();
        for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
            int at = random.nextInt(bytes.length);
            byte b = alphabet[random.nextInt(alphabet.length)];
            out.reset();
            switch (random.nextInt(3)) {
                case 0 -> {
                    bytes[at] = b;
                    out.writeBytes(bytes);
                }
                case 1 -> {
                    out.write(bytes, 0, at);
                    out.write(b);
                    out.write(bytes, at, bytes.length - at);
                }
                default -> {
                    out.write(bytes, 0, at);
                    out.write(bytes, at + 1, bytes.length - at - 1);
                }
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }

    private static String readUntilClosed(InputStream in, String request) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException open) {
            throw new AssertionError("no answer and no close for " + request, open);
        } catch (SocketException reset) {
            // closed with a reset: what arrived before counts
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static String firstLine(String text) {
        int end = text.indexOf("\r\n");
        return text.isEmpty() ? "(nothing)" : end < 0 ? text : text.substring(0, end);
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
