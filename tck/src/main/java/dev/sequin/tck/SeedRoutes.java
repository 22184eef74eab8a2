package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Cookie;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;

import java.util.Map;

/** The seed's routes, as API.md section 4 writes them (the generator sleeps 50 ms, not 500). */
final class SeedRoutes {

    /** The bytes {@code /bytes} answers: every kind of octet, not text. */
    static final byte[] BYTES = {0, 1, 2, 127, (byte) 128, (byte) 254, (byte) 255, '\r', '\n'};

    /** How long the generator sleeps before each count. */
    static final long GENERATOR_SLEEP_MILLIS = 50;

    private SeedRoutes() {
    }

    static void register(Api api) {
        api.route("/", new Index());
        api.get("/resp-head", (req, resp) -> {
            resp.headers().set("X-Foo", "bar");
            resp.setStatus(418);
            resp.cookies().put("its", "dict");
        });
        api.get("/text", (req, resp) -> resp.setText("hello!"));
        api.get("/bytes", (req, resp) -> resp.setContent(BYTES.clone()));
        api.get("/json", (req, resp) -> resp.json().put("hello", "world!"));
        api.get("/template", (req, resp) -> resp.loadTemplate("example.html", Map.of("var", "foobar")));
        api.get("/chain", (req, resp) -> resp.setStatus(200)
                .setCookie(Cookie.of("key", "value").secure(true))
                .setText("long chain!")
                .setHeader("X-somehead", "value"));
        api.get("/redirect/internal", (req, resp) -> resp.redirect(Index.class));
        api.get("/redirect/external", (req, resp) -> resp.redirect("http://www.example.com"));
        api.get("/generator", (req, resp) -> resp.streaming(out -> {
            for (int i = 0; i < 10; i++) {
                Thread.sleep(GENERATOR_SLEEP_MILLIS);
                out.write("count: " + i);
            }
            out.write("Completed!");
        }));
    }

    /** The view {@code /redirect/internal} redirects to. */
    static final class Index implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("Sequin TCK");
        }
    }
}
