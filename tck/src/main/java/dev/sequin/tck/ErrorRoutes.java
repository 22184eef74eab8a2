package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.HttpError;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;

import java.util.ArrayList;
import java.util.List;

/** Routes that fail in chosen ways, the error handlers they meet, and the hooks of {@code /hooks}. */
final class ErrorRoutes {

    /** A message that must never reach a client. */
    static final String SECRET = "tck-secret-detail";

    private ErrorRoutes() {
    }

    static void register(Api api) {
        api.get("/error/http", (req, resp) -> {
            throw new HttpError(404, "no such user");
        });
        api.get("/error/teapot", (req, resp) -> {
            throw new HttpError(418, "short and stout");
        });
        api.get("/error/crash", (req, resp) -> {
            resp.setText("partial " + SECRET);
            throw new IllegalStateException(SECRET);
        });
        api.get("/error/handled", (req, resp) -> {
            resp.setText("should vanish");
            throw new TckException("bad input");
        });
        api.get("/error/handled-leaf", (req, resp) -> {
            throw new LeafException("deep");
        });
        api.get("/error/preset", (req, resp) -> {
            resp.json().put("should", "vanish");
            throw new QuietException();
        });

        api.handle(TckException.class, (req, resp, e) -> resp.setStatus(400).setText("Invalid: " + e.getMessage()));
        api.handle(SubException.class, (req, resp, e) -> resp.setStatus(409).setText("sub handler: " + e.getMessage()));
        api.handle(QuietException.class, (req, resp, e) -> resp.setHeader("X-Handled", "yes"));

        api.beforeRequest((req, resp) -> {
            if (req.path().startsWith("/hooks")) {
                req.state().put(Trace.KEY, new Trace(new ArrayList<>(List.of("before"))));
                resp.setHeader("X-preprocess", "done");
            }
        });
        api.route("/hooks", new Hooked());
        api.afterRequest((req, resp) -> {
            if (req.state().get(Trace.KEY) instanceof Trace trace) {
                trace.steps().add("after");
                resp.setHeader("X-Order", String.join(",", trace.steps()));
                resp.setHeader("X-postprocess", "done");
            }
        });
    }

    /** The steps a request of {@code /hooks} went through, kept in its state. */
    record Trace(List<String> steps) {
        static final String KEY = "tck.trace";
    }

    /** Records its two steps in the trace. */
    static final class Hooked implements View {
        @Override
        public void onRequest(Request req, Response resp) {
            ((Trace) req.state().get(Trace.KEY)).steps().add("onRequest");
        }

        @Override
        public void onGet(Request req, Response resp) {
            ((Trace) req.state().get(Trace.KEY)).steps().add("onGet");
            resp.setText("hooked");
        }
    }

    /** Handled by a handler that answers 400. */
    static class TckException extends RuntimeException {
        TckException(String message) {
            super(message);
        }
    }

    /** Handled by its own, more specific, handler. */
    static class SubException extends TckException {
        SubException(String message) {
            super(message);
        }
    }

    /** Has no handler of its own: the handler of {@link SubException} must run. */
    static final class LeafException extends SubException {
        LeafException(String message) {
            super(message);
        }
    }

    /** Handled by a handler that sets neither status nor body. */
    static final class QuietException extends RuntimeException {
        QuietException() {
            super("quiet");
        }
    }
}
