package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Headers;
import dev.sequin.spi.WebSocketMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class WebSocketTest {

    static final class Echo implements View {
        @Override
        public void onWs(WebSocket ws) throws Exception {
            ws.accept(ws.subprotocols().contains("chat") ? "chat" : null);
            ws.send("hello " + ws.param("name") + " " + ws.state().get("hooked"));
            while (true) {
                switch (ws.receive(null)) {
                    case WebSocketMessage.Text(String text) -> {
                        if (text.equals("bad")) {
                            throw new WebSocketError(1007, "bad data");
                        }
                        if (text.equals("boom")) {
                            throw new IllegalStateException("bug");
                        }
                        ws.send("echo: " + text);
                    }
                    case WebSocketMessage.Binary binary -> ws.send(ws.receiveBytes());
                    case WebSocketMessage.Close close -> {
                        return;
                    }
                }
            }
        }

        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("plain GET");
        }
    }

    static final class Refuser implements View {
        @Override
        public void onWs(WebSocket ws) {
            // does not accept
        }
    }

    private static Api app(List<String> events) {
        Api api = new Api();
        api.route("/ws/{name}", Echo.class);
        api.route("/refuse", Refuser.class);
        api.get("/http", (req, resp) -> resp.setText("http"));
        api.beforeRequest((req, resp) -> {
            events.add("before " + req.path());
            req.state().put("hooked", "yes");
        });
        api.afterRequest((req, resp) -> events.add("after " + req.path()));
        return api;
    }

    @Test
    void echoesTextAndBinaryBetweenHooks() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestClient client = app(events).client()) {
            try (TestWebSocket ws = client.websocket("/ws/ann", new Headers().set("Sec-WebSocket-Protocol", "chat, other"))) {
                assertEquals("chat", ws.subprotocol());
                assertEquals("hello ann yes", ws.receiveText());
                ws.send("hi");
                assertEquals("echo: hi", ws.receiveText());
                ws.send(new byte[] {1, 2});
                ws.send(new byte[] {3, 4});
                assertArrayEquals(new byte[] {3, 4}, ws.receiveBytes());
                ws.close(1000, "done");
                assertEquals(new WebSocketMessage.Close(1000, "done"), ws.receive());
            }
            assertEquals("plain GET", client.get("/ws/ann").text());
        }
        assertTrue(events.containsAll(List.of("before /ws/ann", "after /ws/ann")), events.toString());
    }

    @Test
    void errorsCloseWithTheirCode() throws Exception {
        try (TestClient client = app(new CopyOnWriteArrayList<>()).client()) {
            try (TestWebSocket ws = client.websocket("/ws/bob")) {
                ws.receiveText();
                ws.send("bad");
                assertEquals(new WebSocketMessage.Close(1007, "bad data"), ws.receive());
            }
            try (TestWebSocket ws = client.websocket("/ws/bob")) {
                ws.receiveText();
                ws.send("boom");
                assertEquals(new WebSocketMessage.Close(1011, "Internal Error"), ws.receive());
            }
        }
    }

    @Test
    void anErrorHandlerMayAnswerOnTheSocket() throws Exception {
        Api api = app(new CopyOnWriteArrayList<>());
        api.handle(IllegalStateException.class, new ErrorHandler<>() {
            @Override
            public void handle(Request req, Response resp, IllegalStateException error) {
                resp.setText("http");
            }

            @Override
            public void onWsError(Request req, WebSocket ws, IllegalStateException error) throws Exception {
                ws.send("sorry: " + error.getMessage());
                ws.close(4000, "handled");
            }
        });
        try (TestClient client = api.client(); TestWebSocket ws = client.websocket("/ws/cy")) {
            ws.receiveText();
            ws.send("boom");
            assertEquals("sorry: bug", ws.receiveText());
            assertEquals(new WebSocketMessage.Close(4000, "handled"), ws.receive());
        }
    }

    @Test
    void nonWebSocketRoutesAndRefusalsAreHttpErrors() {
        try (TestClient client = app(new CopyOnWriteArrayList<>()).client()) {
            IllegalStateException plain = assertThrows(IllegalStateException.class, () -> client.websocket("/http"));
            assertTrue(plain.getMessage().contains("403"), plain.getMessage());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> client.websocket("/refuse"));
            assertTrue(refused.getMessage().contains("403"), refused.getMessage());
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> client.websocket("/nowhere"));
            assertTrue(missing.getMessage().contains("404"), missing.getMessage());
        }
    }
}
