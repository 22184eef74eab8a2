package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Blueprint;
import dev.sequin.HttpError;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.Route;
import dev.sequin.View;
import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Composition: error handlers and after-hooks, a blueprint with a nested one, a mounted SPI
 * handler and a mounted second {@code Api} with a default route. Requests under {@code /shop}
 * and to {@code /compose/outside} record the hooks they meet, sent back in {@code X-Trace}.
 */
final class CompositionRoutes {

    /** The upload limit of the mounted second app. */
    static final long OTHER_UPLOAD_LIMIT = 16;

    /** The message of the exception the mounted second app, in debug mode, shows in its 500. */
    static final String OTHER_CRASH = "other app crashed on purpose";

    private static final String TRACE = "tck.composition.trace";

    private CompositionRoutes() {
    }

    static void register(Api api, TckFolder folder) {
        api.get("/compose/handled", (req, resp) -> {
            throw new ErrorRoutes.TckException("composed");
        });
        api.get("/compose/http-error", (req, resp) -> {
            throw new HttpError(410, "gone");
        });
        api.get("/compose/reraise", (req, resp) -> {
            resp.setText("should vanish");
            throw new Reraised("reraised");
        });
        api.handle(Reraised.class, (req, resp, e) -> resp.setStatus(503).setText("sorry: " + e.getMessage()).reraise(true));
        api.afterRequest((req, resp) -> {
            if (req.path().startsWith("/compose/")) {
                resp.setHeader("X-After", "saw " + resp.statusCode());
            }
        });

        api.addBlueprint("/shop", shop());
        api.get("/compose/outside", (req, resp) -> trace(req, resp, "view").setText("outside"));
        api.beforeRequest((req, resp) -> {
            if (traced(req)) {
                req.state().put(TRACE, new ArrayList<>(List.of("app-before")));
            }
        });
        api.afterRequest((req, resp) -> {
            if (traced(req)) {
                trace(req, resp, "app-after");
                resp.setHeader("X-Trace", String.join(",", steps(req)));
            }
        });

        api.mount("/raw", rawHandler());
        api.mount("/raw-headers", headerLookups());
        api.mount("/other", other(folder));
    }

    private static Blueprint shop() {
        AtomicBoolean started = new AtomicBoolean();
        Blueprint admin = new Blueprint()
                .get("/", (req, resp) -> trace(req, resp, "view").setText("admin index " + req.path()))
                .get("/fail", (req, resp) -> {
                    throw new ErrorRoutes.TckException("from admin");
                })
                .beforeRequest((req, resp) -> trace(req, resp, "admin-before").setHeader("X-Admin", "yes"))
                .afterRequest((req, resp) -> trace(req, resp, "admin-after"));
        return new Blueprint()
                .get("/", (req, resp) -> trace(req, resp, "view").setText("shop index " + req.path()))
                .add(Item.class)
                .get("/fail", (req, resp) -> {
                    throw new ErrorRoutes.TckException("from shop");
                })
                .get("/quiet", (req, resp) -> {
                    throw new ErrorRoutes.QuietException();
                })
                .handle(ErrorRoutes.TckException.class, (req, resp, e) -> resp.setStatus(422).setText("shop handler: " + e.getMessage()))
                .beforeRequest((req, resp) -> trace(req, resp, "shop-before").setHeader("X-Shop", "yes"))
                .afterRequest((req, resp) -> trace(req, resp, "shop-after"))
                .get("/started", (req, resp) -> resp.setText("shop started " + started.get()))
                .onStart(() -> started.set(true))
                .addBlueprint("/admin", admin);
    }

    /**
     * Answers, one line per name, what {@code header(name)} and {@code headers().get(name)} give a
     * mounted handler: the backend's own lookup, through the mount, against the copy of them all.
     */
    private static HttpHandler headerLookups() {
        return (request, response) -> {
            StringBuilder lines = new StringBuilder();
            for (String name : List.of("X-Dup", "x-dup", "X-EMPTY", "Absent", "x-forwarded-prefix")) {
                lines.append(name).append(": ").append(request.header(name)).append(" | ")
                        .append(request.headers().get(name)).append('\n');
            }
            byte[] text = lines.toString().getBytes(StandardCharsets.UTF_8);
            response.headers().set("Content-Type", "text/plain; charset=utf-8");
            try (BodySink sink = response.open(text.length)) {
                sink.write(text);
            }
        };
    }

    /** Answers what a mounted handler sees: method, raw path, raw query, prefix header, body size. */
    private static HttpHandler rawHandler() {
        return (request, response) -> {
            int bodyBytes = request.body().readAllBytes().length;
            byte[] text = (request.method() + " " + request.rawPath() + " " + request.rawQuery() + " "
                    + request.headers().get("X-Forwarded-Prefix") + " " + bodyBytes).getBytes(StandardCharsets.UTF_8);
            response.headers().set("Content-Type", "text/plain; charset=utf-8");
            try (BodySink sink = response.open(text.length)) {
                sink.write(text);
            }
        };
    }

    /**
     * A second app with settings of its own (a default route, static files under {@code /assets},
     * a small upload limit, debug mode), that records whether it was started with this one.
     */
    private static Api other(TckFolder folder) {
        AtomicBoolean started = new AtomicBoolean();
        Api other = Api.builder()
                .templatesDir(null)
                .staticDir(folder.staticDir().toString())
                .staticRoot("/assets")
                .defaultRoute("/fallback")
                .maxUploadBytes(OTHER_UPLOAD_LIMIT)
                .debug(true)
                .build();
        other.onStart(() -> started.set(true));
        other.post("/echo", (req, resp) -> resp.setContent(req.content()));
        other.get("/crash", (req, resp) -> {
            throw new IllegalStateException(OTHER_CRASH);
        });
        other.get("/hello", (req, resp) -> resp.setText("other " + req.path() + " under "
                + req.headers().get("X-Forwarded-Prefix") + ", started " + started.get()));
        other.get("/fallback", (req, resp) -> resp.setText("fallback for " + req.path()));
        return other;
    }

    private static boolean traced(Request req) {
        return req.path().startsWith("/shop") || req.path().equals("/compose/outside");
    }

    @SuppressWarnings("unchecked")
    private static List<String> steps(Request req) {
        return (List<String>) req.state().get(TRACE);
    }

    private static Response trace(Request req, Response resp, String step) {
        steps(req).add(step);
        return resp;
    }

    /** A blueprint view registered by its {@code @Route}. */
    @Route("/items/{id:int}")
    static final class Item implements View {
        @Override
        public void onGet(Request req, Response resp) {
            trace(req, resp, "view").setText("item " + req.param("id"));
        }
    }

    /** Handled by a handler that asks for the exception to be propagated after sending. */
    static final class Reraised extends RuntimeException {
        Reraised(String message) {
            super(message);
        }
    }
}
