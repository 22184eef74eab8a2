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
        HttpResponse<String> r = get("/compose/handled");
        assertEquals(400, r.statusCode());
        assertEquals("Invalid: composed", r.body());
        assertEquals("saw 400", header(r, "X-After"));
    }

    @Test
    default void afterHooksRunOnAnHttpErrorsResponse() throws Exception {
        HttpResponse<String> r = get("/compose/http-error");
        assertEquals(410, r.statusCode());
        assertEquals("gone", r.body());
        assertEquals("saw 410", header(r, "X-After"));
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
        HttpResponse<String> r = get("/shop");
        assertEquals(200, r.statusCode());
        assertEquals("shop index /shop", r.body());
        HttpResponse<String> slashed = get("/shop/?x=1");
        assertEquals(308, slashed.statusCode());
        assertEquals(path("/shop?x=1"), header(slashed, "Location"));
    }

    @Test
    default void blueprintRoutesRunInsideItsHooks() throws Exception {
        HttpResponse<String> r = get("/shop/items/42");
        assertEquals(200, r.statusCode());
        assertEquals("item 42", r.body());
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
        HttpResponse<String> r = get("/shop/fail");
        assertEquals(422, r.statusCode());
        assertEquals("shop handler: from shop", r.body());
        assertEquals("app-before,shop-before,shop-after,app-after", header(r, "X-Trace"));
        assertEquals(400, get("/error/handled").statusCode(), "outside the blueprint, the app's handler answers");
    }

    @Test
    default void appErrorHandlerAnswersWhatTheBlueprintDoesNotHandle() throws Exception {
        HttpResponse<String> r = get("/shop/quiet");
        assertEquals(500, r.statusCode());
        assertEquals("yes", header(r, "X-Handled"));
        assertEquals("", r.body());
    }

    @Test
    default void nestedBlueprintIsUnderItsParentWithBothHooks() throws Exception {
        HttpResponse<String> r = get("/shop/admin");
        assertEquals(200, r.statusCode());
        assertEquals("admin index /shop/admin", r.body());
        assertEquals("yes", header(r, "X-Shop"));
        assertEquals("yes", header(r, "X-Admin"));
        assertEquals("app-before,shop-before,admin-before,view,admin-after,shop-after,app-after", header(r, "X-Trace"));
    }

    @Test
    default void nestedBlueprintFallsBackToItsParentsErrorHandler() throws Exception {
        HttpResponse<String> r = get("/shop/admin/fail");
        assertEquals(422, r.statusCode());
        assertEquals("shop handler: from admin", r.body());
    }

    @Test
    default void mountedHandlerSeesThePathWithoutThePrefix() throws Exception {
        assertEquals("GET /a/b%20c q=1&r=x%20y " + path("/raw") + " 0", get("/raw/a/b%20c?q=1&r=x%20y").body());
        assertEquals("GET / null " + path("/raw") + " 0", get("/raw").body());
        assertEquals("GET / null " + path("/raw") + " 0", get("/raw/").body());
        HttpResponse<String> post = send(request("/raw/upload").POST(BodyPublishers.ofString("12345")).build());
        assertEquals("POST /upload null " + path("/raw") + " 5", post.body());
        assertEquals(404, get("/rawish").statusCode(), "a path that only starts like the prefix is not mounted");
    }

    @Test
    default void mountedApiServesUnderThePrefixAndStartedWithTheApp() throws Exception {
        HttpResponse<String> r = get("/other/hello");
        assertEquals(200, r.statusCode());
        assertEquals("other /hello under " + path("/other") + ", started true", r.body());
    }

    @Test
    default void mountedApisDefaultRouteAnswersInsteadOf404() throws Exception {
        HttpResponse<String> r = get("/other/no/such/page");
        assertEquals(200, r.statusCode());
        assertEquals("fallback for /no/such/page", r.body());
        assertEquals(404, get("/no/such/page").statusCode(), "the outer app has no default route");
    }

    @Test
    default void blueprintStartsWithTheApp() throws Exception {
        assertEquals("shop started true", get("/shop/started").body());
    }

    @Test
    default void mountedApiServesStaticFilesUnderItsOwnRoot() throws Exception {
        HttpResponse<String> r = get("/other/assets/hello.txt");
        assertEquals(200, r.statusCode());
        assertEquals("hello static\n", r.body());
        assertEquals("fallback for /static/hello.txt", get("/other/static/hello.txt").body(), "its static root is /assets");
    }

    @Test
    default void mountedApiHasItsOwnUploadLimit() throws Exception {
        String limit = "x".repeat((int) CompositionRoutes.OTHER_UPLOAD_LIMIT);
        HttpResponse<String> within = send(request("/other/echo").POST(BodyPublishers.ofString(limit)).build());
        assertEquals(200, within.statusCode());
        assertEquals(limit, within.body());
        HttpResponse<String> over = send(request("/other/echo").POST(BodyPublishers.ofString(limit + "x")).build());
        assertEquals(413, over.statusCode());
    }

    @Test
    default void debugModeShowsTheStackTraceInThe500() throws Exception {
        HttpResponse<String> r = get("/other/crash");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().startsWith("Internal Server Error"), r.body());
        assertTrue(r.body().contains("IllegalStateException: " + CompositionRoutes.OTHER_CRASH), "the trace is in the body in debug mode");
    }
}
