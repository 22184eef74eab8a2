package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Views (API.md sections 1 and 5): {@code onRequest} runs before {@code onX} whatever the
 * method, an explicit {@code onHead} answers HEAD, and a view's constructor gets components
 * that have started ({@code Lifecycle.start}, then {@code onStart}) before the first request.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface ViewContract extends TckContext {

    @Test
    default void onRequestRunsBeforeOnGet() throws Exception {
        HttpResponse<String> r = get("/views/stages");
        assertEquals(200, r.statusCode());
        assertEquals("onRequest,onGet", header(r, "X-Stage"));
        assertEquals("onGet saw: set by onRequest", r.body());
    }

    @Test
    default void onRequestRunsBeforeOnPost() throws Exception {
        HttpResponse<String> r = send(request("/views/stages").POST(BodyPublishers.ofString("data")).build());
        assertEquals(200, r.statusCode());
        assertEquals("onRequest,onPost", header(r, "X-Stage"));
        assertEquals("onPost data saw: set by onRequest", r.body());
    }

    @Test
    default void onRequestRunsBeforeTheAutomaticOptions() throws Exception {
        HttpResponse<String> r = send(request("/views/stages").method("OPTIONS", BodyPublishers.noBody()).build());
        assertEquals(204, r.statusCode());
        assertEquals("onRequest", header(r, "X-Stage"));
        assertEquals("GET, HEAD, POST, OPTIONS", header(r, "Allow"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void headWithoutOnHeadRunsOnRequestAndOnGet() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("HEAD", "/views/stages", "Connection: close"), "HEAD");
            assertEquals(200, r.status());
            assertEquals("onRequest,onGet", r.header("X-Stage"));
            assertEquals(String.valueOf("onGet saw: set by onRequest".length()), r.header("Content-Length"));
            assertEquals(0, c.readToEnd().length, "no body after a HEAD response");
        }
    }

    @Test
    @Requires(Capability.SOCKET)
    default void explicitOnHeadAnswersHead() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("HEAD", "/views/head", "Connection: close"), "HEAD");
            assertEquals(200, r.status());
            assertEquals("HEAD", r.header("X-Method"));
            assertEquals(String.valueOf(ViewRoutes.HEAD_BODY.length()), r.header("Content-Length"));
            assertEquals(0, c.readToEnd().length, "no body after a HEAD response");
        }
        HttpResponse<String> get = get("/views/head");
        assertEquals("GET", header(get, "X-Method"));
        assertEquals("the body of onGet", get.body());
    }

    @Test
    default void viewConstructorGetsTheAppsStartedComponents() throws Exception {
        HttpResponse<String> r = get("/views/components");
        assertEquals(200, r.statusCode());
        assertEquals(json("{\"greeting\":\"hello tck\",\"sameGreeter\":true,\"sameRegistry\":true,"
                + "\"events\":[\"start\",\"onStart\"]}"), json(r.body()));
    }
}
