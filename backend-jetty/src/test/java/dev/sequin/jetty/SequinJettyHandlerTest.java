package dev.sequin.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An SPI handler embedded under {@code /sequin} in a hand-built Jetty server (default platform
 * thread pool) next to a plain Jetty handler under {@code /plain}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SequinJettyHandlerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server jetty;
    private ServerConnector connector;

    @BeforeEach
    void startJetty() throws Exception {
        HttpHandler spi = (req, resp) -> {
            byte[] text = (req.rawPath() + "|" + req.rawQuery() + "|" + Thread.currentThread().isVirtual())
                    .getBytes(StandardCharsets.UTF_8);
            resp.headers().set("Content-Type", "text/plain; charset=utf-8");
            try (BodySink body = resp.open(text.length)) {
                body.write(text);
            }
        };
        Handler plain = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "plain " + Request.getPathInContext(request), callback);
                return true;
            }
        };
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new ContextHandlerCollection(
                new ContextHandler(plain, "/plain"),
                new ContextHandler(new SequinJettyHandler(spi), "/sequin")));
        jetty.start();
    }

    @AfterEach
    void stopJetty() throws Exception {
        jetty.stop();
        client.close();
    }

    @Test
    void servesThePlainJettyHandlerNextToSequin() throws Exception {
        HttpResponse<String> response = get("/plain/hello");
        assertEquals(200, response.statusCode());
        assertEquals("plain /hello", response.body());
    }

    @Test
    void givesTheSpiHandlerThePathInsideItsContextOnAVirtualThread() throws Exception {
        HttpResponse<String> response = get("/sequin/items/a%20b?q=1&r=%20");
        assertEquals(200, response.statusCode());
        assertEquals("/items/a%20b|q=1&r=%20|true", response.body());
    }

    @Test
    void givesTheSpiHandlerSlashForTheContextRoot() throws Exception {
        assertEquals("/|null|true", get("/sequin/").body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
