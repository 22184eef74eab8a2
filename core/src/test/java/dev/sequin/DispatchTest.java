package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Headers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchTest {

    static final class GetOnly implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("got");
        }
    }

    static final class Poster implements View {
        @Override
        public void onRequest(Request req, Response resp) {
            resp.setHeader("X-On-Request", "yes");
        }

        @Override
        public void onPost(Request req, Response resp) throws Exception {
            resp.setText("posted " + req.text());
        }
    }

    @AllowedMethods({"PUT", "delete"})
    static final class Any implements View {
        @Override
        public void onRequest(Request req, Response resp) {
            resp.setText(req.method());
        }
    }

    static final class Failing implements View {
        @Override
        public void onGet(Request req, Response resp) {
            throw new IllegalStateException("secret detail");
        }
    }

    static final class Clock {
    }

    static final class Greeter {
        final Clock clock;

        Greeter(Clock clock) {
            this.clock = clock;
        }
    }

    static final class Injected implements View {
        private final Greeter greeter;

        Injected(Greeter greeter) {
            this.greeter = greeter;
        }

        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(req.use(Greeter.class) == greeter ? "same" : "different");
        }
    }

    static final class Recorder implements Lifecycle {
        final List<String> events;

        Recorder(List<String> events) {
            this.events = events;
        }

        @Override
        public void start() {
            events.add("start");
        }

        @Override
        public void stop() {
            events.add("stop");
        }
    }

    @Test
    void methodsAreAllowedByOverrideOrAnnotation() {
        Api api = new Api();
        api.route("/get", GetOnly.class);
        api.route("/post", Poster.class);
        api.route("/any", Any.class);
        try (TestClient client = api.client()) {
            TestResponse denied = client.post("/get", "x");
            assertEquals(405, denied.statusCode());
            assertEquals("GET, HEAD, OPTIONS", denied.headers().get("Allow"));
            assertEquals("Method Not Allowed", denied.text());
            TestResponse posted = client.post("/post", "body");
            assertEquals("posted body", posted.text());
            assertEquals("yes", posted.headers().get("X-On-Request"));
            assertEquals("PUT", client.put("/any", "").text());
            assertEquals("DELETE", client.delete("/any").text());
            assertEquals(405, client.patch("/any", "").statusCode());
            TestResponse options = client.options("/any");
            assertEquals(204, options.statusCode());
            assertEquals("GET, HEAD, PUT, DELETE, OPTIONS", options.headers().get("Allow"));
            assertEquals("", options.text());
            TestResponse brew = client.request("BREW", "/get", new Headers(), new byte[0]);
            assertEquals(501, brew.statusCode());
            assertEquals("Not Implemented", brew.text());
        }
    }

    @Test
    void headRunsGetAndSendsNoBody() {
        Api api = new Api();
        api.route("/get", GetOnly.class);
        try (TestClient client = api.client()) {
            TestResponse head = client.head("/get");
            assertEquals(200, head.statusCode());
            assertEquals("3", head.headers().get("Content-Length"));
            assertEquals("text/plain; charset=utf-8", head.headers().get("Content-Type"));
            assertEquals(0, head.content().length);
        }
    }

    @Test
    void errorsWithoutHandlersHideTheirDetail() {
        Api api = new Api();
        api.route("/fail", Failing.class);
        api.get("/missing", (req, resp) -> {
            throw new HttpError(404, "no such user");
        });
        try (TestClient client = api.client()) {
            TestResponse fail = client.get("/fail");
            assertEquals(500, fail.statusCode());
            assertEquals("Internal Server Error", fail.text());
            TestResponse missing = client.get("/missing");
            assertEquals(404, missing.statusCode());
            assertEquals("no such user", missing.text());
            assertEquals("Not Found", client.get("/nowhere").text());
        }
        Api debug = Api.builder().debug(true).build();
        debug.route("/fail", Failing.class);
        try (TestClient client = debug.client()) {
            assertTrue(client.get("/fail").text().contains("secret detail"));
        }
    }

    @Test
    void theMostSpecificErrorHandlerRunsOnAClearedResponse() {
        Api api = new Api();
        api.get("/", (req, resp) -> {
            resp.setText("partial").setStatus(201);
            throw new NumberFormatException("x");
        });
        api.handle(RuntimeException.class, (req, resp, e) -> resp.setText("runtime"));
        api.handle(IllegalArgumentException.class, (req, resp, e) -> resp.setText("illegal " + resp.statusCode()));
        try (TestClient client = api.client()) {
            TestResponse r = client.get("/");
            assertEquals(500, r.statusCode());
            assertEquals("illegal 500", r.text());
        }
    }

    @Test
    void aFailingErrorHandlerGivesAGeneric500() {
        Api api = new Api();
        api.get("/", (req, resp) -> {
            throw new IllegalStateException("first");
        });
        api.handle(IllegalStateException.class, (req, resp, e) -> {
            throw new IllegalArgumentException("second");
        });
        try (TestClient client = api.client()) {
            TestResponse r = client.get("/");
            assertEquals(500, r.statusCode());
            assertEquals("Internal Server Error", r.text());
        }
    }

    @Test
    void hooksRunAroundTheViewInOrderEvenOnErrors() {
        List<String> order = new ArrayList<>();
        Api api = new Api();
        api.beforeRequest((req, resp) -> order.add("before1"));
        api.beforeRequest((req, resp) -> {
            order.add("before2");
            req.state().put("user", "ann");
        });
        api.get("/", (req, resp) -> order.add("view " + req.state().get("user")));
        api.get("/boom", (req, resp) -> {
            throw new HttpError(418, "teapot");
        });
        api.afterRequest((req, resp) -> {
            order.add("after");
            resp.setHeader("X-postprocess", "done");
        });
        try (TestClient client = api.client()) {
            assertEquals("done", client.get("/").headers().get("X-postprocess"));
            TestResponse boom = client.get("/boom");
            assertEquals(418, boom.statusCode());
            assertEquals("done", boom.headers().get("X-postprocess"));
        }
        assertEquals(List.of("before1", "before2", "view ann", "after", "before1", "before2", "after"), order);
    }

    @Test
    void componentsAreInjectedAndStartAndStopInOrder() {
        List<String> events = new ArrayList<>();
        Api api = new Api();
        api.route("/", Injected.class);
        api.component(Greeter.class);
        api.component(Clock.class);
        api.component(new Recorder(events));
        api.onStart(() -> events.add("onStart"));
        api.onStop(() -> events.add("onStop"));
        try (TestClient client = api.client()) {
            assertEquals("same", client.get("/").text());
            assertSame(api.use(Clock.class), api.use(Greeter.class).clock);
            assertEquals(List.of("start", "onStart"), events);
        }
        assertEquals(List.of("start", "onStart", "onStop", "stop"), events);
    }

    @Test
    void missingComponentsFailAtStartNamingThem() {
        Api api = new Api();
        api.route("/", Injected.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, api::client);
        assertTrue(e.getMessage().contains("Greeter"), e.getMessage());
    }

    static final class Chicken {
        Chicken(Egg egg) {
        }
    }

    static final class Egg {
        Egg(Chicken chicken) {
        }
    }

    static final class Broken implements Lifecycle {
        final List<String> events;

        Broken(List<String> events) {
            this.events = events;
        }

        @Override
        public void start() {
            throw new IllegalStateException("database unreachable");
        }

        @Override
        public void stop() {
            events.add("broken stopped");
        }
    }

    @Test
    void componentCyclesFailAtStartNamingTheCycle() {
        Api api = new Api();
        api.component(Chicken.class);
        api.component(Egg.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, api::client);
        assertTrue(e.getMessage().contains("Chicken -> Egg -> Chicken"), e.getMessage());
    }

    @Test
    void aFailingStartStopsWhatStartedAndSaysWhy() {
        List<String> events = new ArrayList<>();
        Api api = new Api();
        api.component(new Recorder(events));
        api.component(new Broken(events));
        IllegalStateException e = assertThrows(IllegalStateException.class, api::client);
        assertTrue(e.getMessage().contains("database unreachable"), e.getMessage());
        assertEquals(List.of("start", "stop"), events);
    }

    @Test
    void registrationAfterStartFails() {
        Api api = new Api();
        try (TestClient client = api.client()) {
            assertThrows(IllegalStateException.class, () -> api.get("/late", (req, resp) -> { }));
        }
    }

    @Test
    void requestExposesQueryCookiesAndBody() {
        Api api = Api.builder().maxUploadBytes(10).build();
        api.post("/", (req, resp) -> resp.json()
                .put("q", req.queries().toString())
                .put("first", req.query("a"))
                .put("cookie", req.cookies().get("c"))
                .put("text", req.text())
                .put("url", req.url()));
        api.post("/json", (req, resp) -> resp.setJson(req.json()));
        try (TestClient client = api.client()) {
            client.cookies().put("c", "v");
            TestResponse r = client.post("/?a=1&a=2&b=x%20y", "hé");
            assertEquals("{a=[1, 2], b=[x y]}", r.json().get("q").asText());
            assertEquals("1", r.json().get("first").asText());
            assertEquals("v", r.json().get("cookie").asText());
            assertEquals("hé", r.json().get("text").asText());
            assertEquals("http://testclient/?a=1&a=2&b=x%20y", r.json().get("url").asText());
            TestResponse tooBig = client.post("/", "12345678901");
            assertEquals(413, tooBig.statusCode());
            TestResponse malformed = client.post("/json", "{nope");
            assertEquals(400, malformed.statusCode());
            assertTrue(malformed.text().startsWith("Malformed JSON"), malformed.text());
            assertEquals("{\"a\":1}", client.post("/json", "{\"a\":1}").text());
        }
    }

    @Test
    void theClientKeepsCookiesAndForgetsDeletedOnes() {
        Api api = new Api();
        api.get("/set", (req, resp) -> resp.setCookie("session", "abc"));
        api.get("/show", (req, resp) -> resp.setText(String.valueOf(req.cookies().get("session"))));
        api.get("/clear", (req, resp) -> resp.deleteCookie("session"));
        try (TestClient client = api.client()) {
            client.get("/set");
            assertEquals("abc", client.get("/show").text());
            client.get("/clear");
            assertEquals("null", client.get("/show").text());
            assertFalse(client.cookies().containsKey("session"));
        }
    }
}
