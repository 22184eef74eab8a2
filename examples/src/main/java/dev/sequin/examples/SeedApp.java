package dev.sequin.examples;

import dev.sequin.Api;
import dev.sequin.Cookie;
import dev.sequin.Event;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.Route;
import dev.sequin.View;
import dev.sequin.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The seed's routes: every Response feature of spangle's "Response" page, in Java. Run it with
 * {@code ./sequin example} (or {@code ./sequin example jetty}); it prints the URL it listens on.
 *
 * <pre>{@code
 * curl -i http://127.0.0.1:8000/chain
 * }</pre>
 */
public final class SeedApp {

    private SeedApp() {
    }

    /** The index, target of {@code /redirect/internal}. */
    @Route("/")
    public static final class Index implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("Sequin seed app: /resp-head /text /bytes /json /template /chain "
                    + "/redirect/internal /redirect/external /generator");
        }
    }

    /** Headers, status and a plain cookie. */
    @Route("/resp-head")
    public static final class Head implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.headers().set("X-Foo", "bar");
            resp.setStatus(418);
            resp.cookies().put("its", "dict");
        }
    }

    /** A text body. */
    @Route("/text")
    public static final class Text implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText("hello!");
        }
    }

    /** A binary body. */
    @Route("/bytes")
    public static final class Bytes implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setContent("bytes!".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A JSON body built in place. */
    @Route("/json")
    public static final class Json implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.json().put("hello", "world!");
        }
    }

    /** A Jinja template. */
    @Route("/template")
    public static final class Template implements View {
        @Override
        public void onGet(Request req, Response resp) throws Exception {
            resp.loadTemplate("example.html", Map.of("var", "foobar"));
        }
    }

    /** Chained setters. */
    @Route("/chain")
    public static final class Chain implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setStatus(200).setCookie(Cookie.of("key", "value").secure(true))
                    .setText("long chain!").setHeader("X-somehead", "value");
        }
    }

    /** A redirect to a view. */
    @Route("/redirect/internal")
    public static final class InternalRedirect implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.redirect(Index.class);
        }
    }

    /** A redirect to a URL. */
    @Route("/redirect/external")
    public static final class ExternalRedirect implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.redirect("http://www.example.com");
        }
    }

    /** A streamed body: each count reaches the client as it is written. */
    @Route("/generator")
    public static final class Generator implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.streaming(out -> {
                for (int i = 0; i < 10; i++) {
                    Thread.sleep(500);
                    out.write("count: " + i + "\n");
                }
                out.write("Completed!\n");
            });
        }
    }

    /** Beyond the seed: a WebSocket echo. Try it with any WebSocket client on {@code ws://127.0.0.1:8000/ws/echo}. */
    @Route("/ws/echo")
    public static final class Echo implements View {
        @Override
        public void onWs(WebSocket ws) throws Exception {
            ws.accept();
            ws.send("connected: send me text");
            while (true) {
                ws.send("echo: " + ws.receiveText());     // WebSocketClosed ends the loop when the client leaves
            }
        }
    }

    /** Beyond the seed: server-sent events, one tick a second: {@code curl -N http://127.0.0.1:8000/events}. */
    @Route("/events")
    public static final class Ticks implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.events(events -> {
                String last = events.lastEventId();
                int first = last == null ? 0 : Integer.parseInt(last) + 1;
                for (int i = first; i < first + 5; i++) {
                    events.send(Event.data("tick " + i).id(Integer.toString(i)).name("tick"));
                    Thread.sleep(1000);
                }
            });
        }
    }

    /**
     * @param templatesDir where {@code example.html} lives
     * @return the app with the seed's routes
     */
    public static Api create(String templatesDir) {
        Api api = Api.builder().templatesDir(templatesDir).build();
        api.add(Index.class, Head.class, Text.class, Bytes.class, Json.class, Template.class, Chain.class,
                InternalRedirect.class, ExternalRedirect.class, Generator.class, Echo.class, Ticks.class);
        return api;
    }

    /**
     * Serves the seed app on 127.0.0.1:8000 (or {@code $PORT}) until stopped.
     *
     * @param args ignored
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        create("templates").serve();
    }
}
