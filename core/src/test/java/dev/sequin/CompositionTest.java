package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompositionTest {

    static final class Tag implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("tag " + req.param("tag"));
        }
    }

    static final class Gallery implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("gallery");
        }
    }

    static final class Target implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("target");
        }
    }

    @Test
    void blueprintsServeUnderTheirPrefixWithTheirOwnHooksAndHandlers() {
        List<String> events = new ArrayList<>();
        Blueprint images = new Blueprint();
        images.route("/", Gallery.class);
        images.route("/{tag}", Tag.class);
        images.get("/fail/now", (req, resp) -> {
            throw new IllegalStateException("blueprint failure");
        });
        images.beforeRequest((req, resp) -> events.add("bp-before " + req.path()));
        images.afterRequest((req, resp) -> events.add("bp-after"));
        images.handle(IllegalStateException.class, (req, resp, e) -> resp.setStatus(409).setText("handled by blueprint"));
        images.onStart(() -> events.add("bp-start"));
        Blueprint nested = new Blueprint();
        nested.get("/deep", (req, resp) -> resp.setText("deep"));
        nested.beforeRequest((req, resp) -> events.add("nested-before"));
        images.addBlueprint("/more", nested);

        Api api = new Api();
        api.beforeRequest((req, resp) -> events.add("app-before"));
        api.afterRequest((req, resp) -> events.add("app-after"));
        api.get("/other", (req, resp) -> resp.setText("other"));
        api.addBlueprint("/images", images);
        try (TestClient client = api.client()) {
            assertEquals(List.of("bp-start"), events);
            events.clear();
            assertEquals("gallery", client.get("/images").text());
            assertEquals(List.of("app-before", "bp-before /images", "bp-after", "app-after"), events);
            assertEquals("tag cats", client.get("/images/cats").text());
            events.clear();
            assertEquals("other", client.get("/other").text());
            assertEquals(List.of("app-before", "app-after"), events);
            events.clear();
            assertEquals("deep", client.get("/images/more/deep").text());
            assertEquals(List.of("app-before", "bp-before /images/more/deep", "nested-before", "bp-after", "app-after"), events);
            TestResponse failed = client.get("/images/fail/now");
            assertEquals(409, failed.statusCode());
            assertEquals("handled by blueprint", failed.text());
        }
        assertEquals("/images/cats", api.urlFor(Tag.class, Map.of("tag", "cats")));
        assertEquals("/images", api.urlFor(Gallery.class));
    }

    @Test
    void mountedHandlersSeeTheirPathWithoutThePrefix() {
        HttpHandler raw = (req, resp) -> {
            String text = req.rawPath() + " " + req.headers().get("X-Forwarded-Prefix") + " " + req.rawQuery();
            resp.headers().set("Content-Type", "text/plain");
            try (BodySink sink = resp.open(text.length())) {
                sink.write(text);
            }
        };
        List<String> events = new ArrayList<>();
        Api inner = new Api();
        inner.get("/back", (req, resp) -> resp.redirect(Target.class));
        inner.route("/target", Target.class);
        inner.get("/hello", (req, resp) -> resp.setText("inner " + req.path() + " under " + req.headers().get("X-Forwarded-Prefix")));
        inner.onStart(() -> events.add("inner-start"));
        inner.onStop(() -> events.add("inner-stop"));
        Api api = new Api();
        api.mount("/legacy", raw);
        api.mount("/legacy/v2", inner);
        api.get("/legacyish", (req, resp) -> resp.setText("not mounted"));
        try (TestClient client = api.client()) {
            assertEquals(List.of("inner-start"), events);
            assertEquals("/a/b /legacy q=1", client.get("/legacy/a/b?q=1").text());
            assertEquals("/ /legacy null", client.get("/legacy").text());
            assertEquals("inner /hello under /legacy/v2", client.get("/legacy/v2/hello").text());
            assertEquals(404, client.get("/legacy/v2/nothing").statusCode());
            assertEquals("not mounted", client.get("/legacyish").text());
            TestResponse redirect = client.followRedirects(false).get("/legacy/v2/back?x=1");
            assertEquals("/legacy/v2/target?x=1", redirect.headers().get("Location"));
            assertEquals("/legacy/v2/hello?y=2", client.get("/legacy/v2/hello/?y=2").headers().get("Location"));
            client.followRedirects(true);
        }
        assertEquals(List.of("inner-start", "inner-stop"), events);
        assertThrows(IllegalArgumentException.class, () -> new Api().mount("/", raw));
    }

    @Test
    void reraisePropagatesAfterTheResponseIsBuilt() {
        Api api = new Api();
        api.get("/", (req, resp) -> {
            throw new IllegalStateException("boom");
        });
        api.handle(IllegalStateException.class, (req, resp, e) -> resp.setStatus(503).setText("sorry").reraise(true));
        try (TestClient client = api.client()) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> client.get("/"));
            assertEquals("boom", thrown.getCause().getMessage());
        }
    }
}
