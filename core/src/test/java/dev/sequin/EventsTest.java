package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsTest {

    @Test
    void eventsAreFormattedAndFlushedOneByOne() {
        Api api = new Api();
        api.get("/events", (req, resp) -> resp.events(events -> {
            events.comment("hello");
            events.send(Event.data("a\nb").id("1").name("tick").retry(Duration.ofSeconds(3)));
            events.send(Event.data("after " + events.lastEventId()));
        }));
        try (TestClient client = api.client()) {
            TestResponse r = client.request("GET", "/events").header("Last-Event-ID", "41").send();
            assertEquals("text/event-stream; charset=utf-8", r.headers().get("Content-Type"));
            assertEquals("no-cache", r.headers().get("Cache-Control"));
            assertEquals(List.of(": hello\n\n", "id: 1\nevent: tick\nretry: 3000\ndata: a\ndata: b\n\n", "data: after 41\n\n"),
                    r.textChunks());
            assertEquals(List.of(new Event("a\nb", "1", "tick", Duration.ofSeconds(3)), Event.data("after 41")), r.events());
        }
    }

    @Test
    void idsAndNamesMustBeOneLine() {
        assertThrows(IllegalArgumentException.class, () -> Event.data("x").id("1\n2"));
        assertThrows(IllegalArgumentException.class, () -> Event.data("x").name("a\rb"));
    }
}
