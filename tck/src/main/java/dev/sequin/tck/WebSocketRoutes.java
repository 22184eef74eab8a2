package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;
import dev.sequin.WebSocket;
import dev.sequin.WebSocketError;
import dev.sequin.spi.WebSocketMessage;
import java.nio.ByteBuffer;

/** WebSocket routes: an echo, a closer, failures, subprotocols and hooks. */
final class WebSocketRoutes {

    private WebSocketRoutes() {
    }

    /**
     * Echoes text as {@code echo: …} and binary as it is, until the client closes; records the
     * client's close code in the counter {@code {id}-close}, and the after-hook counts in {@code {id}}.
     */
    static final class Echo implements View {
        private final Probes probes;

        Echo(Probes probes) {
            this.probes = probes;
        }

        @Override
        public void onWs(WebSocket ws) throws Exception {
            String id = (String) ws.param("id");
            ws.accept(ws.subprotocols().contains("tck.v2") ? "tck.v2" : null);
            ws.send("hello " + ws.state().get("ws-hook"));
            while (true) {
                switch (ws.receive(null)) {
                    case WebSocketMessage.Text(String text) -> {
                        if (text.equals("bad data")) {
                            throw new WebSocketError(1007, "bad data");
                        }
                        if (text.equals("bug")) {
                            throw new IllegalStateException("a bug in a WebSocket view");
                        }
                        if (text.equals("close")) {
                            ws.close(4001, "closed by the view");
                            return;
                        }
                        ws.send(text.length() > 1000 ? "length " + text.length() : "echo: " + text);
                    }
                    case WebSocketMessage.Binary(ByteBuffer data) -> {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        ws.send(bytes);
                    }
                    case WebSocketMessage.Close(int code, String reason) -> {
                        probes.counter(id + "-close").set(code);
                        return;
                    }
                }
            }
        }

        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("a WebSocket route");
        }
    }

    static void register(Api api, Probes probes) {
        api.route("/ws/echo/{id}", new Echo(probes));
        api.get("/ws/plain", (req, resp) -> resp.setText("not a WebSocket route"));
        api.beforeRequest((req, resp) -> {
            if (req.path().startsWith("/ws/")) {
                req.state().put("ws-hook", "before");
            }
        });
        api.afterRequest((req, resp) -> {
            if (req.path().startsWith("/ws/echo/")) {
                probes.counter((String) req.param("id")).incrementAndGet();
            }
        });
    }
}
