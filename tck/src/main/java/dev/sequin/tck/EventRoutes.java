package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Event;

/** Server-sent events routes, reporting to {@link Probes} under their {@code {id}}. */
final class EventRoutes {

    private EventRoutes() {
    }

    static void register(Api api, Probes probes) {
        api.get("/events/gated/{id}", (req, resp) -> {
            String id = (String) req.param("id");
            resp.events(events -> {
                try {
                    events.send(Event.data("first").id("1").name("tick"));
                    events.send(Event.data(probes.await(id) ? "second after " + events.lastEventId() : "gate timed out").id("2"));
                    probes.writerEnd(id).complete(null);
                } catch (Exception e) {
                    probes.writerEnd(id).complete(e);
                    throw e;
                }
            });
        });
        api.get("/events/endless/{id}", (req, resp) -> {
            String id = (String) req.param("id");
            resp.events(events -> {
                try {
                    for (int i = 0; i < 10_000; i++) {
                        events.send(Event.data("tick " + i));
                        events.comment("keep-alive");
                        Thread.sleep(5);
                    }
                    probes.writerEnd(id).complete(null);
                } catch (Exception e) {
                    probes.writerEnd(id).complete(e);
                    throw e;
                }
            });
        });
    }
}
