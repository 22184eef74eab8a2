package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Composition (API.md sections 2 and 5): after-hooks around an error handler's response,
 * {@code reraise(true)}, a blueprint under a prefix with its own hooks, error handler and start
 * callback, a nested blueprint, and {@code api.mount} of an SPI handler and of a second
 * {@code Api} (which starts with the first, and has its own default route, static root, upload
 * limit and debug mode).
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface CompositionContract extends TckContext {

    @Test
    default void afterHooksRunOnAnErrorHandlersResponse() throws Exception {
        assertEquals("saw 400", header(getAnswered("/compose/handled", 400, "Invalid: composed"), "X-After"));
    }

    @Test
    default void afterHooksRunOnAnHttpErrorsResponse() throws Exception {
        assertEquals("saw 410", header(getAnswered("/compose/http-error", 410, "gone"), "X-After"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void reraiseStillSendsTheHandlersResponse() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/compose/reraise"), "GET");
            assertEquals(503, r.status());
            assertEquals("sorry: reraised", r.text());
            assertEquals("saw 503", r.header("X-After"));
        }
        assertEquals("hello!", get("/text").body(), "the server goes on");
    }

    @Test
    default void blueprintRootIsServedAtItsPrefix() throws Exception {
        getAnswered("/shop", 200, "shop index /shop");
        HttpResponse<String> slashed = get("/shop/?x=1");
        assertEquals(308, slashed.statusCode());
        assertEquals(path("/shop?x=1"), header(slashed, "Location"));
    }

    @Test
    default void blueprintRoutesRunInsideItsHooks() throws Exception {
        HttpResponse<String> r = getAnswered("/shop/items/42", 200, "item 42");
        assertEquals("yes", header(r, "X-Shop"));
        assertNull(header(r, "X-Admin"), "the nested blueprint's hooks run only for its routes");
        assertEquals("app-before,shop-before,view,shop-after,app-after", header(r, "X-Trace"));
        assertEquals(404, get("/shop/items/x").statusCode());
    }

    @Test
    default void blueprintHooksDoNotRunOutsideIt() throws Exception {
        HttpResponse<String> r = get("/compose/outside");
        assertEquals("outside", r.body());
        assertNull(header(r, "X-Shop"));
        assertEquals("app-before,view,app-after", header(r, "X-Trace"));
    }

    @Test
    default void blueprintErrorHandlerComesBeforeTheApps() throws Exception {
        HttpResponse<String> r = getAnswered("/shop/fail", 422, "shop handler: from shop");
        assertEquals("app-before,shop-before,shop-after,app-after", header(r, "X-Trace"));
        assertEquals(400, get("/error/handled").statusCode(), "outside the blueprint, the app's handler answers");
    }

    @Test
    default void appErrorHandlerAnswersWhatTheBlueprintDoesNotHandle() throws Exception {
        assertEquals("yes", header(getAnswered("/shop/quiet", 500, ""), "X-Handled"));
    }

    @Test
    default void nestedBlueprintIsUnderItsParentWithBothHooks() throws Exception {
        HttpResponse<String> r = getAnswered("/shop/admin", 200, "admin index /shop/admin");
        assertEquals("yes", header(r, "X-Shop"));
        assertEquals("yes", header(r, "X-Admin"));
        assertEquals("app-before,shop-before,admin-before,view,admin-after,shop-after,app-after", header(r, "X-Trace"));
    }

    @Test
    default void nestedBlueprintFallsBackToItsParentsErrorHandler() throws Exception {
        getAnswered("/shop/admin/fail", 422, "shop handler: from admin");
    }

    @Test
    default void mountedHandlerSeesThePathWithoutThePrefix() throws Exception {
        assertEquals("GET /a/b%20c q=1&r=x%20y " + path("/raw") + " 0", get("/raw/a/b%20c?q=1&r=x%20y").body());
        assertEquals("GET / null " + path("/raw") + " 0", get("/raw").body());
        assertEquals("GET / null " + path("/raw") + " 0", get("/raw/").body());
        assertEquals("POST /upload null " + path("/raw") + " 5", post("/raw/upload", "12345").body());
        assertEquals(404, get("/rawish").statusCode(), "a path that only starts like the prefix is not mounted");
    }

    /**
     * {@code ServerRequest.header(name)}, which a backend answers from its server library's parsed
     * headers, gives what {@code headers().get(name)} gives: any case, the first of repeated
     * lines, an empty value as empty, {@code null} when absent, and the mount's prefix header.
     */
    @Test
    @Requires(Capability.SOCKET)
    default void oneHeaderReadsTheSameAsTheCopyOfThemAll() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/raw-headers", "X-Dup: one", "x-dup: two", "X-Empty:"), "GET");
            assertEquals(200, r.status());
            String prefix = path("/raw-headers");
            assertEquals("""
                    X-Dup: one | one
                    x-dup: one | one
                    X-EMPTY:  |\s
                    Absent: null | null
                    x-forwarded-prefix: %s | %s
                    """.formatted(prefix, prefix), r.text());
        }
    }

    @Test
    default void mountedApiServesUnderThePrefixAndStartedWithTheApp() throws Exception {
        getAnswered("/other/hello", 200, "other /hello under " + path("/other") + ", started true");
    }

    @Test
    default void mountedApisDefaultRouteAnswersInsteadOf404() throws Exception {
        getAnswered("/other/no/such/page", 200, "fallback for /no/such/page");
        assertEquals(404, get("/no/such/page").statusCode(), "the outer app has no default route");
    }

    @Test
    default void blueprintStartsWithTheApp() throws Exception {
        assertEquals("shop started true", get("/shop/started").body());
    }

    @Test
    default void mountedApiServesStaticFilesUnderItsOwnRoot() throws Exception {
        getAnswered("/other/assets/hello.txt", 200, "hello static\n");
        assertEquals("fallback for /static/hello.txt", get("/other/static/hello.txt").body(), "its static root is /assets");
    }

    @Test
    default void mountedApiHasItsOwnUploadLimit() throws Exception {
        String limit = "x".repeat((int) CompositionRoutes.OTHER_UPLOAD_LIMIT);
        HttpResponse<String> within = post("/other/echo", limit);
        assertEquals(200, within.statusCode());
        assertEquals(limit, within.body());
        assertEquals(413, post("/other/echo", limit + "x").statusCode());
    }

    @Test
    default void debugModeShowsTheStackTraceInThe500() throws Exception {
        HttpResponse<String> r = get("/other/crash");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().startsWith("Internal Server Error"), r.body());
        assertTrue(r.body().contains("IllegalStateException: " + CompositionRoutes.OTHER_CRASH), "the trace is in the body in debug mode");
    }

    /**
     * {@code GET}s a target and checks the status, then the body.
     *
     * @return the response, for the case's further checks
     */
    private HttpResponse<String> getAnswered(String target, int status, String body) throws Exception {
        HttpResponse<String> r = get(target);
        assertEquals(status, r.statusCode(), "status of GET " + target);
        assertEquals(body, r.body(), "body of GET " + target);
        return r;
    }

    /** {@code POST}s a text body to a target. */
    private HttpResponse<String> post(String target, String body) throws Exception {
        return send(request(target).POST(BodyPublishers.ofString(body)).build());
    }
}
