package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The non-blocking mode ({@code @NonBlocking} views, {@code HttpHandler.isNonBlocking} in the
 * SPI): a request without a body to such a view is served on the server's own thread, not a
 * virtual one, and everything else about the exchange is as usual: length, {@code HEAD},
 * keep-alive and pipelining order, errors, cookies and redirects, a body larger than the
 * socket takes at once. A request with a body, and any request to an unmarked view, still runs
 * on a virtual thread. The cases that tell the threads apart need {@link Capability#NON_BLOCKING};
 * the others hold on any backend, whether it honours {@code isNonBlocking} or not.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface NonBlockingContract extends TckContext {

    @Test
    @Requires(Capability.NON_BLOCKING)
    default void aNonBlockingViewRunsOnTheServersOwnThread() throws Exception {
        HttpResponse<String> r = get("/nb/where?n=1");
        assertEquals(200, r.statusCode());
        assertEquals("platform 1", r.body(), "a request without a body to a @NonBlocking view runs on the I/O thread");
    }

    @Test
    default void aRequestWithABodyRunsOnAVirtualThread() throws Exception {
        HttpResponse<String> r = send(request("/nb/where").POST(BodyPublishers.ofString("abc")).build());
        assertEquals(200, r.statusCode());
        assertEquals("virtual read 3", r.body(), "a body is read by blocking, so never on the I/O thread");
    }

    @Test
    default void anUnmarkedViewRunsOnAVirtualThread() throws Exception {
        assertEquals("virtual 2", get("/nb/unmarked?n=2").body());
    }

    @Test
    default void jsonFromANonBlockingViewIsFramedAsUsual() throws Exception {
        HttpResponse<String> r = get("/nb/json");
        assertEquals(200, r.statusCode());
        assertEquals(json("{\"message\":\"Hello, World!\"}"), json(r.body()));
        assertTrue(header(r, "Content-Type").startsWith("application/json"), header(r, "Content-Type"));
        assertEquals(Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length), header(r, "Content-Length"));
    }

    @Test
    default void aBodyLargerThanTheSocketTakesArrivesWhole() throws Exception {
        HttpResponse<byte[]> r = getBytes("/nb/big");
        assertEquals(200, r.statusCode());
        assertEquals(Integer.toString(NonBlockingRoutes.BIG_BYTES), header(r, "Content-Length"));
        assertArrayEquals(NonBlockingRoutes.alphabet(NonBlockingRoutes.BIG_BYTES), r.body());
    }

    @Test
    default void streamingFromANonBlockingViewIsRefusedWithA500() throws Exception {
        HttpResponse<String> r = get("/nb/stream");
        assertEquals(500, r.statusCode());
        assertEquals("Internal Server Error", r.body(), "refused loudly (and logged), without internals");
        assertEquals(200, get("/nb/json").statusCode(), "the server goes on");
    }

    @Test
    default void errorsInANonBlockingViewAreAnsweredAsUsual() throws Exception {
        HttpResponse<String> failed = get("/nb/fail");
        assertEquals(500, failed.statusCode());
        assertEquals("Internal Server Error", failed.body());
        HttpResponse<String> teapot = get("/nb/teapot");
        assertEquals(418, teapot.statusCode());
        assertEquals("short and stout", teapot.body());
    }

    @Test
    default void aNonBlockingViewSetsCookiesAndRedirects() throws Exception {
        HttpResponse<String> r = get("/nb/redirect");
        assertEquals(307, r.statusCode());
        assertEquals(path("/nb/where"), header(r, "Location"));
        assertTrue(header(r, "Set-Cookie").startsWith("nb=set"), header(r, "Set-Cookie"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void headAndGetShareAConnectionAndALength() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse head = c.exchange(head("HEAD", "/nb/big"), "HEAD");
            assertEquals(200, head.status());
            assertEquals(Integer.toString(NonBlockingRoutes.BIG_BYTES), head.header("Content-Length"));
            RawResponse get = c.exchange(head("GET", "/nb/json"), "GET");
            assertEquals(200, get.status(), "the connection is reused after a HEAD, with no stray body bytes");
            assertEquals(json("{\"message\":\"Hello, World!\"}"), json(get.text()));
        }
    }

    @Test
    @Requires({Capability.SOCKET, Capability.NON_BLOCKING})
    default void pipelinedRequestsAreAnsweredInOrderWhateverTheirThread() throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("GET", "/nb/where?n=1") + head("GET", "/nb/unmarked?n=2") + head("GET", "/nb/where?n=3")
                    + head("GET", "/nb/big") + head("GET", "/nb/where?n=5"));
            assertEquals("platform 1", c.read("GET").text());
            assertEquals("virtual 2", c.read("GET").text());
            assertEquals("platform 3", c.read("GET").text());
            RawResponse big = c.read("GET");
            assertArrayEquals(NonBlockingRoutes.alphabet(NonBlockingRoutes.BIG_BYTES), big.body());
            assertEquals("platform 5", c.read("GET").text());
        }
    }

    @Test
    @Requires({Capability.SOCKET, Capability.NON_BLOCKING})
    default void connectionCloseIsHonoured() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/nb/where?n=6", "Connection: close"), "GET");
            assertEquals("platform 6", r.text());
            assertEquals(0, c.readToEnd().length, "the server closes the connection after the answer");
        }
    }
}
