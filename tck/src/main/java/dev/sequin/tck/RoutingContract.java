package dev.sequin.tck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Routing and methods: 404, trailing-slash redirects, converters, static before dynamic routes,
 * functional handlers, and the method rules (OPTIONS, 405 with Allow, {@code @AllowedMethods}, 501).
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface RoutingContract extends TckContext {

    private HttpResponse<String> call(String method, String target) throws Exception {
        return send(request(target).method(method, BodyPublishers.noBody()).build());
    }

    @Test
    default void unknownPathIs404NotFound() throws Exception {
        HttpResponse<String> r = get("/no/such/path");
        assertEquals(404, r.statusCode());
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("Not Found", r.body());
    }

    @Test
    default void trailingSlashRedirects308KeepingTheQuery() throws Exception {
        HttpResponse<String> r = get("/text/?a=1&b=x%20y");
        assertEquals(308, r.statusCode());
        assertEquals(path("/text?a=1&b=x%20y"), header(r, "Location"));
    }

    @Test
    default void intConverterGivesAnInteger() throws Exception {
        HttpResponse<String> r = get("/users/42");
        assertEquals(200, r.statusCode());
        assertEquals("{\"id\":42}", r.body());
    }

    @Test
    default void intConverterRejectsText() throws Exception {
        assertEquals(404, get("/users/abc").statusCode());
    }

    @Test
    default void staticRouteBeatsDynamic() throws Exception {
        assertEquals("me", get("/users/me").body());
        assertEquals("static route", get("/echo/static").body());
    }

    @Test
    default void optionsIs204WithAllow() throws Exception {
        HttpResponse<String> r = call("OPTIONS", "/text");
        assertEquals(204, r.statusCode());
        assertEquals("GET, HEAD, OPTIONS", header(r, "Allow"));
        assertEquals("", r.body());
    }

    @Test
    default void optionsListsOverriddenMethods() throws Exception {
        HttpResponse<String> r = call("OPTIONS", "/methods/post");
        assertEquals(204, r.statusCode());
        assertEquals("GET, HEAD, POST, OPTIONS", header(r, "Allow"));
    }

    @Test
    default void postOnGetOnlyViewIs405WithAllow() throws Exception {
        HttpResponse<String> r = send(request("/text").POST(BodyPublishers.ofString("x")).build());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD, OPTIONS", header(r, "Allow"));
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("Method Not Allowed", r.body());
    }

    @Test
    default void overriddenOnPostAcceptsPost() throws Exception {
        HttpResponse<String> r = send(request("/methods/post").POST(BodyPublishers.ofString("data")).build());
        assertEquals(200, r.statusCode());
        assertEquals("posted data", r.body());
    }

    @Test
    default void allowedMethodsAnnotationAllowsNamedMethods() throws Exception {
        assertEquals("via POST", call("POST", "/methods/allowed").body());
        assertEquals("via DELETE", call("DELETE", "/methods/allowed").body());
        HttpResponse<String> put = call("PUT", "/methods/allowed");
        assertEquals(405, put.statusCode());
        assertEquals("GET, HEAD, POST, DELETE, OPTIONS", header(put, "Allow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE"})
    default void functionalHandlerAnswersItsMethod(String method) throws Exception {
        HttpResponse<String> r = call(method, "/fn/" + method.toLowerCase(Locale.ROOT));
        assertEquals(200, r.statusCode());
        assertEquals(method, r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BREW", "TRACE"})
    default void unknownMethodIs501(String method) throws Exception {
        HttpResponse<String> r = call(method, "/text");
        assertEquals(501, r.statusCode());
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("Not Implemented", r.body());
    }
}
