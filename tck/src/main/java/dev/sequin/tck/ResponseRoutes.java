package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Routes for headers, statuses, body setters, templates and redirects. */
final class ResponseRoutes {

    /** A PNG signature: what {@code /content/png} answers. */
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A value that would inject a header if it reached the wire. */
    static final String INJECTION = "a\r\nX-Injected: yes";

    private ResponseRoutes() {
    }

    static void register(Api api) {
        api.get("/headers", (req, resp) -> {
            resp.setHeader("X-Set", "first");
            resp.setHeader("X-Set", "second");
            resp.addHeader("X-Dup", "one");
            resp.headers().add("x-dup", "two");
            resp.headers().set("X-Gone", "soon");
            resp.headers().remove("x-gone");
            resp.setText("headers");
        });
        api.get("/empty", (req, resp) -> { });
        api.get("/status/{code:int}", (req, resp) -> resp.setStatus((Integer) req.params().get("code")));

        api.get("/text/html", (req, resp) -> resp.setText("<p>x</p>", "text/html"));
        api.get("/text/charset", (req, resp) -> resp.setText("a,b", "text/csv; charset=us-ascii"));
        api.get("/text/unicode", (req, resp) -> resp.setText("h\u00e9llo \u2713"));
        api.get("/content/png", (req, resp) -> resp.setContent(PNG.clone(), "image/png"));
        api.get("/json/pojo", (req, resp) -> resp.setJson(new Point(3, 4)));
        api.get("/json/map", (req, resp) -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("a", 1);
            map.put("b", Arrays.asList(true, null));
            resp.setJson(map);
        });
        api.get("/json/list", (req, resp) -> resp.setJson(List.of("a", 1, true)));

        api.get("/last-wins/text", (req, resp) -> {
            resp.json().put("a", 1);
            resp.setText("text wins");
        });
        api.get("/last-wins/json", (req, resp) -> {
            resp.setText("text loses", "text/html");
            resp.setJson(List.of(1, 2));
        });
        api.get("/last-wins/content", (req, resp) -> {
            resp.loadTemplate("example.html", Map.of("var", "loses"));
            resp.setContent(new byte[] {1, 2, 3});
        });
        api.get("/last-wins/redirect", (req, resp) -> {
            resp.setText("redirect wins");
            resp.redirect("/text");
        });

        api.get("/template/escaped", (req, resp) -> resp.loadTemplate("escaped.html", Map.of("var", "<b>&</b>")));
        api.get("/template/missing", (req, resp) -> resp.loadTemplate("no-such-template.html", Map.of()));

        api.get("/redirect/moved", (req, resp) -> resp.redirect("/text", 301));
        api.get("/redirect/user", (req, resp) -> resp.redirect(User.class, Map.of("id", 42)));
        api.get("/redirect/bad-status", (req, resp) -> resp.redirect("/text", 200));
        api.route("/users/{id:int}", new User());
        api.get("/users/me", (req, resp) -> resp.setText("me"));

        api.get("/crlf/set", (req, resp) -> resp.setHeader("X-Evil", INJECTION).setText("escaped"));
        api.get("/crlf/add", (req, resp) -> resp.addHeader("X-Evil", INJECTION).setText("escaped"));
        api.get("/crlf/headers", (req, resp) -> {
            resp.headers().set("X-Evil", INJECTION);
            resp.setText("escaped");
        });
        api.get("/crlf/lf", (req, resp) -> resp.setHeader("X-Evil", "a\nX-Injected: yes").setText("escaped"));
    }

    /** A value {@code setJson} serializes. */
    record Point(int x, int y) {
    }

    /** A view with a typed path parameter, the target of {@code redirect(User.class, …)}. */
    static final class User implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setJson(Map.of("id", req.params().get("id")));
        }
    }
}
