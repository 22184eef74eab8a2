package dev.sequin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.Event;
import dev.sequin.TestClient;
import dev.sequin.TestWebSocket;
import dev.sequin.TestResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedAppTest {

    @Test
    void everySeedRouteAnswersAsTheSeedSays() {
        try (TestClient client = SeedApp.create("templates").client().followRedirects(false)) {
            TestResponse head = client.get("/resp-head");
            assertEquals(418, head.statusCode());
            assertEquals("bar", head.headers().get("X-Foo"));
            assertEquals("its=dict", head.headers().get("Set-Cookie"));

            assertEquals("hello!", client.get("/text").text());
            assertEquals("bytes!", client.get("/bytes").text());
            assertEquals("application/octet-stream", client.get("/bytes").headers().get("Content-Type"));
            assertEquals("{\"hello\":\"world!\"}", client.get("/json").text());

            TestResponse template = client.get("/template");
            assertEquals("text/html; charset=utf-8", template.headers().get("Content-Type"));
            assertTrue(template.text().contains("<p>var is foobar</p>"), template.text());
            assertTrue(template.text().contains("<a href=\"/\">"), template.text());

            TestResponse chain = client.get("/chain");
            assertEquals("long chain!", chain.text());
            assertEquals("value", chain.headers().get("X-somehead"));
            assertEquals("key=value; Path=/; Secure; HttpOnly; SameSite=Lax", chain.headers().get("Set-Cookie"));

            assertEquals("/", client.get("/redirect/internal").headers().get("Location"));
            assertEquals(307, client.get("/redirect/internal").statusCode());
            assertEquals("http://www.example.com", client.get("/redirect/external").headers().get("Location"));
        }
    }

    @Test
    void theGeneratorStreamsElevenChunks() {
        try (TestClient client = SeedApp.create("templates").client()) {
            List<String> chunks = client.get("/generator").textChunks();
            assertEquals(11, chunks.size());
            assertEquals("count: 0\n", chunks.getFirst());
            assertEquals("Completed!\n", chunks.getLast());
        }
    }

    @Test
    void theWebSocketEchoesAndTheEventsTick() throws Exception {
        try (TestClient client = SeedApp.create("templates").client()) {
            try (TestWebSocket ws = client.websocket("/ws/echo")) {
                assertEquals("connected: send me text", ws.receiveText());
                ws.send("hi");
                assertEquals("echo: hi", ws.receiveText());
            }
            TestResponse events = client.request("GET", "/events").header("Last-Event-ID", "10").send();
            assertEquals(List.of("tick 11", "tick 12", "tick 13", "tick 14", "tick 15"),
                    events.events().stream().map(Event::data).toList());
        }
    }
}
