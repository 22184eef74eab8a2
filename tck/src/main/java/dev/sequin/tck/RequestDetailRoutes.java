package dev.sequin.tck;

import dev.sequin.Accepted;
import dev.sequin.Api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Routes that report content negotiation, the client's address, and request state. */
final class RequestDetailRoutes {

    private RequestDetailRoutes() {
    }

    static void register(Api api) {
        api.get("/detail/accept", (req, resp) -> {
            Map<String, Object> answers = new LinkedHashMap<>();
            for (String type : req.queries().getOrDefault("type", List.of())) {
                answers.put(type, req.accept(type).map(RequestDetailRoutes::accepted).orElse(null));
            }
            resp.setJson(answers);
        });
        api.get("/detail/client", (req, resp) -> resp.setJson(Map.of(
                "loopback", req.client().getAddress().isLoopbackAddress(),
                "port", req.client().getPort(),
                "scheme", req.scheme())));

        api.beforeRequest((req, resp) -> {
            if (req.path().equals("/detail/state")) {
                req.state().put("fresh", req.state().isEmpty());
                req.state().put("user", "alice");
            }
        });
        api.get("/detail/state", (req, resp) -> {
            resp.setJson(new TreeMap<>(req.state()));
            req.state().put("view", "was here");
        });
        api.afterRequest((req, resp) -> {
            if (req.path().equals("/detail/state")) {
                resp.setHeader("X-State-After", String.valueOf(req.state().get("view")));
            }
        });
    }

    private static Map<String, Object> accepted(Accepted accepted) {
        return Map.of("type", accepted.type(), "q", accepted.q());
    }
}
