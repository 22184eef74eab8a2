package dev.sequin.tck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Response headers, statuses, body setters, templates and redirects, as they arrive.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface ResponseContract extends TckContext {

    @Test
    @Requires(Capability.SOCKET)
    default void headersAreSetAddedAndRemovedInOrder() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/headers"), "GET");
            assertEquals(200, r.status());
            assertEquals(List.of("second"), r.headers("X-Set"));
            assertEquals(List.of("one", "two"), r.headers("X-Dup"));
            assertEquals(List.of(), r.headers("X-Gone"));
            assertEquals("headers", r.text());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 400, 403, 404, 418, 451, 500, 503})
    default void statusCodeArrivesAsSet(int status) throws Exception {
        HttpResponse<String> r = get("/status/" + status);
        assertEquals(status, r.statusCode());
        assertEquals("0", header(r, "Content-Length"));
        assertEquals("", r.body());
    }

    @Test
    default void viewThatSetsNothingIsEmpty200() throws Exception {
        HttpResponse<String> r = get("/empty");
        assertEquals(200, r.statusCode());
        assertEquals("0", header(r, "Content-Length"));
        assertNull(header(r, "Content-Type"));
        assertEquals("", r.body());
    }

    @Test
    default void textWithTypeGetsUtf8Charset() throws Exception {
        HttpResponse<String> r = get("/text/html");
        assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
        assertEquals("<p>x</p>", r.body());
    }

    @Test
    default void textWithTypeAndCharsetIsKeptAsIs() throws Exception {
        HttpResponse<String> r = get("/text/charset");
        assertEquals("text/csv; charset=us-ascii", header(r, "Content-Type"));
        assertEquals("a,b", r.body());
    }

    @Test
    default void textContentLengthCountsUtf8Bytes() throws Exception {
        HttpResponse<byte[]> r = getBytes("/text/unicode");
        byte[] expected = "h\u00e9llo \u2713".getBytes(StandardCharsets.UTF_8);
        assertEquals(String.valueOf(expected.length), header(r, "Content-Length"));
        assertArrayEquals(expected, r.body());
    }

    @Test
    default void contentWithType() throws Exception {
        HttpResponse<byte[]> r = getBytes("/content/png");
        assertEquals("image/png", header(r, "Content-Type"));
        assertEquals(String.valueOf(ResponseRoutes.PNG.length), header(r, "Content-Length"));
        assertArrayEquals(ResponseRoutes.PNG, r.body());
    }

    @Test
    default void setJsonSerializesARecord() throws Exception {
        HttpResponse<String> r = get("/json/pojo");
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("{\"x\":3,\"y\":4}", r.body());
    }

    @Test
    default void setJsonSerializesAMap() throws Exception {
        HttpResponse<String> r = get("/json/map");
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("{\"a\":1,\"b\":[true,null]}", r.body());
    }

    @Test
    default void setJsonSerializesAList() throws Exception {
        HttpResponse<String> r = get("/json/list");
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("[\"a\",1,true]", r.body());
    }

    @Test
    default void lastBodySetterWinsText() throws Exception {
        HttpResponse<String> r = get("/last-wins/text");
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("text wins", r.body());
    }

    @Test
    default void lastBodySetterWinsJson() throws Exception {
        HttpResponse<String> r = get("/last-wins/json");
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("[1,2]", r.body());
    }

    @Test
    default void lastBodySetterWinsContent() throws Exception {
        HttpResponse<byte[]> r = getBytes("/last-wins/content");
        assertEquals("application/octet-stream", header(r, "Content-Type"));
        assertArrayEquals(new byte[] {1, 2, 3}, r.body());
    }

    @Test
    default void lastBodySetterWinsRedirect() throws Exception {
        HttpResponse<String> r = get("/last-wins/redirect");
        assertEquals(307, r.statusCode());
        assertEquals("/text", header(r, "Location"), "a literal redirect target is sent as written");
        assertEquals("0", header(r, "Content-Length"));
        assertNull(header(r, "Content-Type"));
        assertEquals("", r.body());
    }

    @Test
    default void templateEscapesHtml() throws Exception {
        HttpResponse<String> r = get("/template/escaped");
        assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
        assertEquals("<p>&lt;b&gt;&amp;&lt;/b&gt;</p>", r.body());
    }

    @Test
    default void missingTemplateIs404() throws Exception {
        assertEquals(404, get("/template/missing").statusCode());
    }

    @Test
    default void redirectWithStatus301() throws Exception {
        HttpResponse<String> r = get("/redirect/moved");
        assertEquals(301, r.statusCode());
        assertEquals("/text", header(r, "Location"), "a literal redirect target is sent as written");
        assertEquals("", r.body());
    }

    @Test
    default void redirectToViewWithParams() throws Exception {
        HttpResponse<String> r = get("/redirect/user");
        assertEquals(307, r.statusCode());
        assertEquals(path("/users/42"), header(r, "Location"));
    }

    @Test
    default void redirectWithNonRedirectStatusIs500() throws Exception {
        HttpResponse<String> r = get("/redirect/bad-status");
        assertEquals(500, r.statusCode());
        assertNull(header(r, "Location"));
        assertEquals("Internal Server Error", r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"set", "add", "headers", "lf"})
    @Requires(Capability.SOCKET)
    default void crlfInHeaderValueIs500WithoutInjection(String how) throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/crlf/" + how), "GET");
            assertEquals(500, r.status());
            assertEquals(List.of(), r.headers("X-Injected"));
            assertEquals(List.of(), r.headers("X-Evil"));
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertEquals("Internal Server Error", r.text());
        }
    }
}
