package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResponseTest {

    static final class Index implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("index");
        }
    }

    static final class User implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("user " + req.param("id"));
        }
    }

    record Point(int x, int y) {
    }

    private static TestResponse get(Handler handler) {
        Api api = new Api();
        api.get("/", handler);
        try (TestClient client = api.client()) {
            return client.followRedirects(false).get("/?q=1");
        }
    }

    @Test
    void textBytesAndJsonSetTheirContentTypes() {
        TestResponse text = get((req, resp) -> resp.setText("hello!"));
        assertEquals("text/plain; charset=utf-8", text.headers().get("Content-Type"));
        assertEquals("6", text.headers().get("Content-Length"));
        assertEquals("hello!", text.text());

        TestResponse html = get((req, resp) -> resp.setText("<p>x</p>", "text/html"));
        assertEquals("text/html; charset=utf-8", html.headers().get("Content-Type"));
        TestResponse latin = get((req, resp) -> resp.setText("x", "text/csv; charset=ISO-8859-1"));
        assertEquals("text/csv; charset=ISO-8859-1", latin.headers().get("Content-Type"));

        TestResponse bytes = get((req, resp) -> resp.setContent(new byte[] {1, 2, 3}));
        assertEquals("application/octet-stream", bytes.headers().get("Content-Type"));
        assertArrayEquals(new byte[] {1, 2, 3}, bytes.content());
        assertEquals("image/png", get((req, resp) -> resp.setContent(new byte[] {1}, "image/png")).headers().get("Content-Type"));

        TestResponse json = get((req, resp) -> resp.json().put("hello", "world!"));
        assertEquals("application/json", json.headers().get("Content-Type"));
        assertEquals("{\"hello\":\"world!\"}", json.text());
        assertEquals("{\"x\":1,\"y\":2}", get((req, resp) -> resp.setJson(new Point(1, 2))).text());
        assertEquals("[1,\"a\"]", get((req, resp) -> resp.setJson(List.of(1, "a"))).text());
    }

    @Test
    void theLastBodySetterWins() {
        TestResponse r = get((req, resp) -> {
            resp.json().put("a", 1);
            resp.setText("text wins");
        });
        assertEquals("text wins", r.text());
        assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));

        TestResponse j = get((req, resp) -> {
            resp.setText("lost");
            resp.json().put("a", 1);
            resp.json().put("b", 2);
        });
        assertEquals("{\"a\":1,\"b\":2}", j.text());
        assertEquals("application/json", j.headers().get("Content-Type"));
    }

    @Test
    void aViewThatSetsNothingAnswersAnEmptyOk() {
        TestResponse r = get((req, resp) -> { });
        assertEquals(200, r.statusCode());
        assertEquals("0", r.headers().get("Content-Length"));
        assertNull(r.headers().get("Content-Type"));
    }

    @Test
    void cookiesCarryEveryAttributeInOrder() {
        TestResponse r = get((req, resp) -> {
            resp.cookies().put("its", "dict");
            resp.setCookie("key", "value");
            resp.setCookie(Cookie.of("all", "x").secure(true).domain("example.com").path("/p")
                    .maxAge(Duration.ofHours(1)).expires(Instant.parse("2030-01-02T03:04:05Z")).sameSite(Cookie.SameSite.STRICT));
            resp.setCookie(Cookie.of("loose", "y").httpOnly(false).sameSite(null).path(null));
            resp.deleteCookie("old");
        });
        assertEquals(List.of(
                "its=dict",
                "key=value; Path=/; HttpOnly; SameSite=Lax",
                "all=x; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Max-Age=3600; Domain=example.com; Path=/p; Secure; HttpOnly; SameSite=Strict",
                "loose=y",
                "old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"), r.headers().getAll("Set-Cookie"));
    }

    @Test
    void cookieNamesAndValuesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a b", "v"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "v;w"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "v\r\n"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("a", "v").path("/;x"));
    }

    @Test
    void chainedSettersReturnTheResponse() {
        TestResponse r = get((req, resp) -> resp.setStatus(201).setCookie(Cookie.of("key", "value").secure(true))
                .setText("long chain!").setHeader("X-somehead", "value").addHeader("Vary", "A").addHeader("Vary", "B"));
        assertEquals(201, r.statusCode());
        assertEquals("long chain!", r.text());
        assertEquals("value", r.headers().get("X-somehead"));
        assertEquals(List.of("A", "B"), r.headers().getAll("Vary"));
        assertEquals("key=value; Path=/; Secure; HttpOnly; SameSite=Lax", r.headers().get("Set-Cookie"));
    }

    @Test
    void redirectsToViewsKeepTheQueryAndToUrlsAsGiven() {
        Api api = new Api();
        api.route("/", Index.class);
        api.route("/users/{id:int}", User.class);
        api.get("/to-index", (req, resp) -> resp.redirect(Index.class));
        api.get("/to-user", (req, resp) -> resp.redirect(User.class, Map.of("id", 1)));
        api.get("/away", (req, resp) -> resp.setText("dropped").redirect("http://www.example.com"));
        api.get("/moved", (req, resp) -> resp.redirect("/elsewhere", 301));
        api.get("/bad", (req, resp) -> resp.redirect("/x", 200));
        try (TestClient client = api.client().followRedirects(false)) {
            TestResponse internal = client.get("/to-index?a=1&b=2");
            assertEquals(307, internal.statusCode());
            assertEquals("/?a=1&b=2", internal.headers().get("Location"));
            assertEquals("0", internal.headers().get("Content-Length"));
            assertNull(internal.headers().get("Content-Type"));
            assertEquals("/users/1", client.get("/to-user").headers().get("Location"));
            TestResponse external = client.get("/away?x=1");
            assertEquals("http://www.example.com", external.headers().get("Location"));
            assertEquals("", external.text());
            assertEquals(301, client.get("/moved").statusCode());
            assertEquals(500, client.get("/bad").statusCode());
        }
        try (TestClient client = api.client()) {
            assertEquals("user 1", client.get("/to-user").text());
        }
    }

    @Test
    void headerInjectionIsRefused() {
        AtomicReference<Exception> seen = new AtomicReference<>();
        Api api = new Api();
        api.get("/", (req, resp) -> resp.setHeader("X", "a\r\nSet-Cookie: evil=1"));
        api.handle(IllegalArgumentException.class, (req, resp, e) -> {
            seen.set(e);
            resp.setStatus(400).setText("refused");
        });
        try (TestClient client = api.client()) {
            TestResponse r = client.get("/");
            assertEquals(400, r.statusCode());
            assertNull(r.headers().get("Set-Cookie"));
            assertTrue(seen.get().getMessage().contains("CR, LF"));
        }
    }

    @Test
    void streamingSendsEachWriteAsAChunk() {
        TestResponse r = get((req, resp) -> resp.streaming(out -> {
            for (int i = 0; i < 3; i++) {
                out.write("count: " + i);
            }
            out.write(new byte[] {'!'});
        }));
        assertEquals(List.of("count: 0", "count: 1", "count: 2", "!"), r.textChunks());
        assertEquals("chunked", r.headers().get("Transfer-Encoding"));
        assertEquals("application/octet-stream", r.headers().get("Content-Type"));

        TestResponse typed = get((req, resp) -> resp.setHeader("Content-Type", "text/event-stream").streaming(Stream.of("a", "b")));
        assertEquals(List.of("a", "b"), typed.textChunks());
        assertEquals("text/event-stream", typed.headers().get("Content-Type"));
    }

    @Test
    void streamingRunsAfterTheAfterHooks() {
        StringBuilder order = new StringBuilder();
        Api api = new Api();
        api.get("/", (req, resp) -> {
            order.append("view,");
            resp.streaming(out -> order.append("writer,"));
        });
        api.afterRequest((req, resp) -> order.append("after,"));
        try (TestClient client = api.client()) {
            client.get("/");
        }
        assertEquals("view,after,writer,", order.toString());
    }

    @Test
    void loadTemplateWithoutAnEngineSaysWhichModuleToAdd() {
        AtomicReference<Exception> seen = new AtomicReference<>();
        Api api = new Api();
        api.get("/", (req, resp) -> resp.loadTemplate("example.html", Map.of()));
        api.handle(IllegalStateException.class, (req, resp, e) -> seen.set(e));
        try (TestClient client = api.client()) {
            assertEquals(500, client.get("/").statusCode());
        }
        assertTrue(seen.get().getMessage().contains("dev.sequin:sequin-templates-jinjava"), seen.get().getMessage());
    }

    @Test
    void statusOutsideTheRangeIsRefused() {
        Response resp = new Response(new Api(), null, false);
        assertThrows(IllegalArgumentException.class, () -> resp.setStatus(99));
        assertThrows(IllegalArgumentException.class, () -> resp.setStatus(1000));
        assertFalse(resp.reraise());
    }
}
