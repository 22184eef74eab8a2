package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Lifecycle;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes and a component for the graceful stop cases of {@link ShutdownContract}: a gated
 * request, a gated first template render, a paced stream, a stream that never ends, and {@link Steps}, which records in order
 * when a gated request finished, when the app's {@code onStop} ran and when the component stopped.
 */
final class ShutdownRoutes {

    /** How many chunks {@code /shutdown/paced} writes. */
    static final int PACED_CHUNKS = 20;

    /** The pause after each chunk of {@code /shutdown/paced}: it lasts about a second. */
    static final long PACE_MILLIS = 50;

    /** What {@link Steps} records when a gated request's handler finishes. */
    static final String REQUEST_FINISHED = "request finished";

    /** What {@link Steps} records when the app's {@code onStop} action runs. */
    static final String ON_STOP = "onStop";

    /** What {@link Steps} records when the component is stopped. */
    static final String COMPONENT_STOPPED = "component stopped";

    private ShutdownRoutes() {
    }

    static void register(Api api, Probes probes) {
        Steps steps = new Steps();
        api.component(steps);
        api.onStop(() -> steps.add(ON_STOP));
        api.get("/shutdown/gated/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            probes.counter(id).incrementAndGet();
            boolean opened = probes.await(id);
            steps.add(REQUEST_FINISHED);
            resp.setText(opened ? "finished" : "gate timed out");
        });
        api.get("/shutdown/gated-template/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            probes.counter(id).incrementAndGet();
            probes.await(id);
            resp.loadTemplate("example.html", Map.of("var", "in flight"));
        });
        api.get("/shutdown/paced", (req, resp) -> resp.streaming(out -> {
            for (int i = 0; i < PACED_CHUNKS; i++) {
                out.write("chunk " + i + "\n");
                Thread.sleep(PACE_MILLIS);
            }
        }));
        api.get("/shutdown/endless/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            resp.streaming(out -> {
                out.write("first");
                probes.await(id);
                out.write("released");
            });
        });
    }

    /**
     * A {@link Lifecycle} component of the TCK app that records the steps of a stop, in order.
     *
     * <pre>{@code
     * List<String> steps = app.api().use(ShutdownRoutes.Steps.class).list();
     * }</pre>
     */
    static final class Steps implements Lifecycle {

        private final List<String> steps = new CopyOnWriteArrayList<>();

        @Override
        public void start() {
            // nothing to open: the component only records its stop
        }

        @Override
        public void stop() {
            add(COMPONENT_STOPPED);
        }

        void add(String step) {
            steps.add(step);
        }

        /** @return a copy of the steps so far, in order */
        List<String> list() {
            return List.copyOf(steps);
        }
    }
}
