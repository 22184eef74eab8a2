package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Lifecycle;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Views and what they are given: {@code onRequest} before {@code onX}, an explicit
 * {@code onHead}, and components injected into a view's constructor, started before serving.
 */
final class ViewRoutes {

    /** What {@link HeadView#onHead} puts in the body slot: its length is sent, not its bytes. */
    static final String HEAD_BODY = "the body of onHead, never sent";

    private ViewRoutes() {
    }

    static void register(Api api) {
        api.component(Greeter.class);
        api.component(Registry.class);
        api.onStart(() -> api.use(Registry.class).record("onStart"));
        api.route("/views/stages", Staged.class);
        api.route("/views/head", HeadView.class);
        api.route("/views/components", Injected.class);
    }

    /** A component with a lifecycle, recording its events in order. */
    static final class Registry implements Lifecycle {
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void start() {
            record("start");
        }

        @Override
        public void stop() {
            record("stop");
        }

        void record(String event) {
            events.add(event);
        }

        List<String> events() {
            return List.copyOf(events);
        }
    }

    /**
     * A component that takes another one.
     *
     * @param registry injected
     */
    record Greeter(Registry registry) {
        String greet(String name) {
            return "hello " + name;
        }
    }

    /** Marks each stage it runs in the {@code X-Stage} header, and passes state from onRequest. */
    static final class Staged implements View {
        @Override
        public void onRequest(Request req, Response resp) {
            resp.setHeader("X-Stage", "onRequest");
            req.state().put("stage", "set by onRequest");
        }

        @Override
        public void onGet(Request req, Response resp) {
            stage(req, resp, "onGet");
        }

        @Override
        public void onPost(Request req, Response resp) throws IOException {
            stage(req, resp, "onPost " + req.text());
        }

        private static void stage(Request req, Response resp, String stage) {
            resp.setHeader("X-Stage", resp.headers().get("X-Stage") + "," + stage.split(" ")[0]);
            resp.setText(stage + " saw: " + req.state().get("stage"));
        }
    }

    /** Answers GET and HEAD differently. */
    static final class HeadView implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setHeader("X-Method", "GET").setText("the body of onGet");
        }

        @Override
        public void onHead(Request req, Response resp) {
            resp.setHeader("X-Method", "HEAD").setText(HEAD_BODY);
        }
    }

    /** Built by the app with its component. */
    static final class Injected implements View {
        private final Greeter greeter;

        Injected(Greeter greeter) {
            this.greeter = greeter;
        }

        @Override
        public void onGet(Request req, Response resp) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("greeting", greeter.greet("tck"));
            report.put("sameGreeter", greeter == req.use(Greeter.class));
            report.put("sameRegistry", greeter.registry() == req.use(Registry.class));
            report.put("events", greeter.registry().events());
            resp.setJson(report);
        }
    }
}
