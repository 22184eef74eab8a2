package dev.sequin.tck;

import dev.sequin.AllowedMethods;
import dev.sequin.Api;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Routes that echo what the request carried, and views with chosen methods. */
final class RequestRoutes {

    private RequestRoutes() {
    }

    static void register(Api api, Probes probes) {
        api.get("/echo/{name}", (req, resp) -> resp.setText(req.params().get("name") + "|" + req.path()));
        api.get("/echo/static", (req, resp) -> resp.setText("static route"));
        api.get("/request/info", (req, resp) -> resp.setJson(info(req)));
        api.post("/echo/body", (req, resp) -> resp.setContent(req.content()));
        api.post("/echo/text", (req, resp) -> resp.setText(req.text()));
        api.post("/echo/json", (req, resp) -> {
            ResponseRoutes.Point point = req.json(ResponseRoutes.Point.class);
            resp.setJson(new ResponseRoutes.Point(point.y(), point.x()));
        });
        api.post("/echo/tree", (req, resp) -> resp.setJson(req.json()));
        api.post("/upload/digest", (req, resp) -> resp.setJson(digest(req.body())));
        api.get("/slow/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            probes.counter(id).incrementAndGet();
            resp.setText(probes.await(id) ? "finished" : "gate timed out");
        });

        api.route("/methods/post", new PostView());
        api.route("/methods/allowed", new AllowedView());
        api.get("/fn/get", (req, resp) -> resp.setText(req.method()));
        api.post("/fn/post", (req, resp) -> resp.setText(req.method()));
        api.put("/fn/put", (req, resp) -> resp.setText(req.method()));
        api.patch("/fn/patch", (req, resp) -> resp.setText(req.method()));
        api.delete("/fn/delete", (req, resp) -> resp.setText(req.method()));
    }

    private static Map<String, Object> info(Request req) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", req.method());
        info.put("path", req.path());
        info.put("url", req.url());
        info.put("version", req.version());
        info.put("scheme", req.scheme());
        info.put("loopback", req.client().getAddress().isLoopbackAddress());
        info.put("xTest", req.headers().getAll("X-Test"));
        info.put("cookies", req.cookies());
        info.put("first", req.query("a"));
        info.put("queries", req.queries());
        return info;
    }

    private static Map<String, Object> digest(InputStream body) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            sha256.update(buffer, 0, n);
            total += n;
        }
        return Map.of("bytes", total, "sha256", HexFormat.of().formatHex(sha256.digest()));
    }

    /** A view that accepts POST by overriding {@code onPost}. */
    static final class PostView implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("got");
        }

        @Override
        public void onPost(Request req, Response resp) throws IOException {
            resp.setText("posted " + req.text());
        }
    }

    /** A view that accepts POST and DELETE by naming them, and answers in {@code onRequest}. */
    @AllowedMethods({"POST", "DELETE"})
    static final class AllowedView implements View {
        @Override
        public void onRequest(Request req, Response resp) {
            resp.setText("via " + req.method());
        }
    }
}
