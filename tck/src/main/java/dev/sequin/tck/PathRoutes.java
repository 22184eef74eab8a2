package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Converter;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.Route;
import dev.sequin.View;

import java.time.Month;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Routes for path matching: the built-in converters, custom ones (one that throws, one that
 * spans slashes), the precedence of static, dynamic and {@code *rest} segments, and a view
 * with several {@code @Route}s.
 */
final class PathRoutes {

    private PathRoutes() {
    }

    static void register(Api api) {
        api.converter("month", Converter.of("[0-9]{1,2}", text -> Month.of(Integer.parseInt(text))));
        api.converter("dotted", Converter.of("[a-z]+(/[a-z]+)*", text -> text.replace('/', '.')));

        api.get("/path/long/{n:long}", PathRoutes::typed);
        api.get("/path/float/{x:float}", PathRoutes::typed);
        api.get("/path/rest/{p:*rest}", PathRoutes::typed);
        api.get("/path/month/{m:month}", PathRoutes::typed);
        api.get("/path/dotted/{p:*dotted}", PathRoutes::typed);
        api.get("/path/params/{name}/{n:int}/{x:float}/{tail:*rest}", (req, resp) -> resp.setJson(req.params()));

        // Registered from the weakest to the strongest: the precedence must not follow this order.
        api.get("/path/prec/{p:*rest}", (req, resp) -> resp.setText("rest " + req.param("p")));
        api.get("/path/prec/{name}", (req, resp) -> resp.setText("dynamic " + req.param("name")));
        api.get("/path/prec/fixed", (req, resp) -> resp.setText("static"));
        api.get("/path/fall/{p:*rest}", (req, resp) -> resp.setText("rest " + req.param("p")));
        api.get("/path/fall/{n:int}", (req, resp) -> resp.setText("int " + req.param("n")));

        api.add(Several.class);
    }

    /** Answers each parameter's value, as {@code toString()} gives it, and the simple name of its Java type. */
    private static void typed(Request req, Response resp) {
        Map<String, Object> typed = new LinkedHashMap<>();
        req.params().forEach((name, value) -> typed.put(name, Map.of("value", value.toString(), "type", value.getClass().getSimpleName())));
        resp.setJson(typed);
    }

    /** One view, two routes: it is created once, so both answer the same instance id. */
    @Route("/path/several/one")
    @Route("/path/several/two/{n:int}")
    static final class Several implements View {
        private final String instance = UUID.randomUUID().toString();

        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(req.path() + " " + instance);
        }
    }
}
