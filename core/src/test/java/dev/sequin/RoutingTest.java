package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTest {

    @Route("/json")
    @Route("/api/json")
    static final class Json implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.json().put("path", req.path());
        }
    }

    static final class Echo implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(req.params().toString());
        }
    }

    private static Handler echoParams() {
        return (req, resp) -> resp.setText(req.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() + ":" + e.getValue().getClass().getSimpleName())
                .reduce((a, b) -> a + "," + b).orElse("static"));
    }

    @Test
    void typedParametersConvertOrDoNotMatch() {
        Api api = new Api();
        api.get("/n/{n:int}", echoParams());
        api.get("/l/{n:long}", echoParams());
        api.get("/f/{x:float}", echoParams());
        api.get("/s/{name}", echoParams());
        api.get("/r/{p:*rest}", echoParams());
        try (TestClient client = api.client()) {
            assertEquals("n=42:Integer", client.get("/n/42").text());
            assertEquals(404, client.get("/n/abc").statusCode());
            assertEquals(404, client.get("/n/99999999999").statusCode());
            assertEquals("n=99999999999:Long", client.get("/l/99999999999").text());
            assertEquals("x=1.5:Double", client.get("/f/1.5").text());
            assertEquals("name=a b:String", client.get("/s/a%20b").text());
            assertEquals("name=a%20b:String", client.get("/s/a%2520b").text());
            assertEquals("p=a/b/c.txt:String", client.get("/r/a/b/c.txt").text());
            assertEquals(404, client.get("/r").statusCode());
        }
    }

    @Test
    void staticBeatsDynamicBeatsRest() {
        Api api = new Api();
        api.get("/x/{p:*rest}", (req, resp) -> resp.setText("rest"));
        api.get("/x/{name}", (req, resp) -> resp.setText("dynamic"));
        api.get("/x/static", (req, resp) -> resp.setText("static"));
        api.get("/x/{name}/deep", (req, resp) -> resp.setText("deep"));
        try (TestClient client = api.client()) {
            assertEquals("static", client.get("/x/static").text());
            assertEquals("dynamic", client.get("/x/other").text());
            assertEquals("rest", client.get("/x/a/b").text());
            assertEquals("deep", client.get("/x/static/deep").text());
        }
    }

    @Test
    void customConvertersFailAsNonMatches() {
        Api api = new Api();
        api.converter("month", Converter.of("[0-9]{1,2}", s -> {
            int month = Integer.parseInt(s);
            if (month < 1 || month > 12) {
                throw new IllegalArgumentException("no month " + s);
            }
            return java.time.Month.of(month);
        }));
        api.get("/archive/{m:month}", echoParams());
        try (TestClient client = api.client()) {
            assertEquals("m=MARCH:Month", client.get("/archive/3").text());
            assertEquals(404, client.get("/archive/13").statusCode());
        }
    }

    @Test
    void repeatableRoutesAndUrlFor() {
        Api api = new Api();
        api.add(Json.class);
        api.route("/users/{id:int}/files/{p:*rest}", Echo.class);
        try (TestClient client = api.client()) {
            assertEquals("{\"path\":\"/json\"}", client.get("/json").text());
            assertEquals("{\"path\":\"/api/json\"}", client.get("/api/json").text());
        }
        assertEquals("/json", api.urlFor(Json.class));
        assertEquals("/json", api.urlFor("Json"));
        assertEquals("/users/7/files/a%20b/c", api.urlFor(Echo.class, Map.of("id", 7, "p", "a b/c")));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> api.urlFor(Echo.class, Map.of("p", "x")));
        assertTrue(missing.getMessage().contains("'id'"), missing.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> api.urlFor(Echo.class, Map.of("id", "seven", "p", "x")));
        assertTrue(wrong.getMessage().contains("'id'"), wrong.getMessage());
    }

    @Test
    void badAndDuplicatePatternsAreRefusedNamingThePattern() {
        Api api = new Api();
        api.get("/a/{id:int}", (req, resp) -> { });
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> api.route("/a/{other:int}", Echo.class));
        assertTrue(dup.getMessage().contains("/a/{other:int}"), dup.getMessage());
        for (String bad : new String[] {"nope", "/a//b", "/x{id}", "/{id:nosuch}", "/{p:*rest}/more", "/{a}/{a}", "/{1x}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> api.route(bad, Echo.class), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> api.get("/a/{id:int}", (req, resp) -> { }));
    }

    @Test
    void trailingSlashStrategies() {
        Api api = new Api();
        api.get("/plain", (req, resp) -> resp.setText("plain"));
        api.route("/slash", new Echo(), Trailing.SLASH);
        api.route("/strict/", new Echo(), Trailing.STRICT);
        api.route("/clone", new Echo(), Trailing.CLONE);
        try (TestClient client = api.client().followRedirects(false)) {
            TestResponse r = client.get("/plain/?q=1");
            assertEquals(308, r.statusCode());
            assertEquals("/plain?q=1", r.headers().get("Location"));
            assertEquals(308, client.get("/slash").statusCode());
            assertEquals("/slash/", client.get("/slash").headers().get("Location"));
            assertEquals(200, client.get("/slash/").statusCode());
            assertEquals(200, client.get("/strict/").statusCode());
            assertEquals(404, client.get("/strict").statusCode());
            assertEquals(200, client.get("/clone").statusCode());
            assertEquals(200, client.get("/clone/").statusCode());
            assertEquals(404, client.get("/").statusCode());
        }
    }

    @Test
    void defaultRouteServesInsteadOf404() {
        Api api = Api.builder().defaultRoute("/default").build();
        api.get("/default", (req, resp) -> resp.setText("fallback for " + req.path()));
        try (TestClient client = api.client()) {
            TestResponse r = client.get("/nothing/here");
            assertEquals(200, r.statusCode());
            assertEquals("fallback for /nothing/here", r.text());
        }
    }
}
