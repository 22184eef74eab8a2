package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Errors and hooks: {@code HttpError}, the generic 500, error handlers (most specific first,
 * starting from a cleared 500), and the order of hooks around a view.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface ErrorContract extends TckContext {

    @Test
    default void httpErrorGivesItsStatusAndMessage() throws Exception {
        HttpResponse<String> r = get("/error/http");
        assertEquals(404, r.statusCode());
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("no such user", r.body());
    }

    @Test
    default void httpErrorWithAnyStatus() throws Exception {
        HttpResponse<String> r = get("/error/teapot");
        assertEquals(418, r.statusCode());
        assertEquals("short and stout", r.body());
    }

    @Test
    default void uncaughtExceptionIsAGeneric500() throws Exception {
        HttpResponse<String> r = get("/error/crash");
        assertEquals(500, r.statusCode());
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("Internal Server Error", r.body());
        assertFalse(r.headers().map().toString().contains(ErrorRoutes.SECRET), "no detail in the headers");
    }

    @Test
    default void errorHandlerAnswers() throws Exception {
        HttpResponse<String> r = get("/error/handled");
        assertEquals(400, r.statusCode());
        assertEquals("Invalid: bad input", r.body());
    }

    @Test
    default void mostSpecificErrorHandlerRuns() throws Exception {
        HttpResponse<String> r = get("/error/handled-leaf");
        assertEquals(409, r.statusCode());
        assertEquals("sub handler: deep", r.body());
    }

    @Test
    default void errorHandlerStartsFromAnEmpty500() throws Exception {
        HttpResponse<String> r = get("/error/preset");
        assertEquals(500, r.statusCode());
        assertEquals("yes", header(r, "X-Handled"));
        assertEquals("0", header(r, "Content-Length"));
        assertNull(header(r, "Content-Type"));
        assertEquals("", r.body());
    }

    @Test
    default void hooksRunBeforeAndAfterTheView() throws Exception {
        HttpResponse<String> r = get("/hooks");
        assertEquals(200, r.statusCode());
        assertEquals("before,onRequest,onGet,after", header(r, "X-Order"));
        assertEquals("done", header(r, "X-preprocess"));
        assertEquals("done", header(r, "X-postprocess"));
        assertEquals("hooked", r.body());
    }
}
