package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.Route;
import dev.sequin.Trailing;
import dev.sequin.View;

/** One route per trailing-slash strategy, given to {@code api.route} or in {@code @Route}. */
final class TrailingSlashRoutes {

    private TrailingSlashRoutes() {
    }

    static void register(Api api) {
        api.route("/slash/no", new Named("no"), Trailing.NO_SLASH);
        api.route("/slash/yes", new Named("yes"), Trailing.SLASH);
        api.route("/slash/clone", new Named("clone"), Trailing.CLONE);
        api.add(Strict.class, StrictSlashed.class);
    }

    /** Answers its name and the path it was reached by. */
    record Named(String name) implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(name + " " + req.path());
        }
    }

    /** Declared without a trailing slash, and strict about it. */
    @Route(value = "/slash/strict", trailing = Trailing.STRICT)
    static final class Strict implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("strict " + req.path());
        }
    }

    /** Declared with a trailing slash, and strict about it. */
    @Route(value = "/slash/strict-dir/", trailing = Trailing.STRICT)
    static final class StrictSlashed implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("strict-dir " + req.path());
        }
    }
}
