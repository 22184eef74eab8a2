package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The seed's routes (API.md section 4), each checked for its exact status, headers and body.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface SeedContract extends TckContext {

    @Test
    default void respHeadSetsHeaderStatusAndPlainCookie() throws Exception {
        HttpResponse<String> r = get("/resp-head");
        assertEquals(418, r.statusCode());
        assertEquals("bar", header(r, "X-Foo"));
        assertEquals(List.of("its=dict"), r.headers().allValues("Set-Cookie"));
        assertEquals("0", header(r, "Content-Length"));
        assertNull(header(r, "Content-Type"));
        assertEquals("", r.body());
    }

    @Test
    default void textIsPlainUtf8() throws Exception {
        HttpResponse<String> r = get("/text");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("6", header(r, "Content-Length"));
        assertEquals("hello!", r.body());
    }

    @Test
    default void bytesAreOctetStream() throws Exception {
        HttpResponse<byte[]> r = getBytes("/bytes");
        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", header(r, "Content-Type"));
        assertEquals(String.valueOf(SeedRoutes.BYTES.length), header(r, "Content-Length"));
        assertArrayEquals(SeedRoutes.BYTES, r.body());
    }

    @Test
    default void jsonIsCompact() throws Exception {
        HttpResponse<String> r = get("/json");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("{\"hello\":\"world!\"}", r.body());
        assertEquals(String.valueOf(r.body().length()), header(r, "Content-Length"));
    }

    @Test
    default void templateIsRendered() throws Exception {
        HttpResponse<String> r = get("/template");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
        assertEquals("<p>Hello, foobar!</p>", r.body());
    }

    @Test
    default void chainedSettersAllApply() throws Exception {
        HttpResponse<String> r = get("/chain");
        assertEquals(200, r.statusCode());
        assertEquals(List.of("key=value; Path=/; Secure; HttpOnly; SameSite=Lax"), r.headers().allValues("Set-Cookie"));
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("value", header(r, "X-somehead"));
        assertEquals("long chain!", r.body());
    }

    @Test
    default void indexAnswers() throws Exception {
        HttpResponse<String> r = get("/");
        assertEquals(200, r.statusCode());
        assertEquals("Sequin TCK", r.body());
    }

    @Test
    default void internalRedirectIs307ToTheView() throws Exception {
        HttpResponse<String> r = get("/redirect/internal");
        assertEquals(307, r.statusCode());
        assertEquals(path("/"), header(r, "Location"));
        assertEquals("0", header(r, "Content-Length"));
        assertNull(header(r, "Content-Type"));
        assertEquals("", r.body());
    }

    @Test
    default void internalRedirectKeepsTheRawQuery() throws Exception {
        HttpResponse<String> r = get("/redirect/internal?x=1&y=a%20b&x=2");
        assertEquals(307, r.statusCode());
        assertEquals(path("/?x=1&y=a%20b&x=2"), header(r, "Location"));
    }

    @Test
    default void externalRedirectKeepsTheUrlAsGiven() throws Exception {
        HttpResponse<String> r = get("/redirect/external");
        assertEquals(307, r.statusCode());
        assertEquals("http://www.example.com", header(r, "Location"));
        assertEquals("", r.body());
    }

    @Test
    default void generatorSendsEveryCount() throws Exception {
        HttpResponse<String> r = get("/generator");
        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", header(r, "Content-Type"));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            expected.append("count: ").append(i);
        }
        assertEquals(expected.append("Completed!").toString(), r.body());
    }
}
