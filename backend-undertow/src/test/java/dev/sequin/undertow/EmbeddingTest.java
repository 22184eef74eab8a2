package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequin.spi.BodySink;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.PathHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A user's own Undertow server with a plain handler and an SPI handler side by side. */
@Timeout(20)
class EmbeddingTest {

    private Undertow undertow;
    private HttpClient client;
    private int port;

    @BeforeEach
    void startUsersServer() {
        dev.sequin.spi.HttpHandler echo = (req, resp) -> {
            req.body().transferTo(java.io.OutputStream.nullOutputStream());
            byte[] seen = (req.rawPath() + " " + req.rawQuery()).getBytes(StandardCharsets.UTF_8);
            try (BodySink body = resp.open(seen.length)) {
                body.write(seen);
            }
        };
        PathHandler paths = Handlers.path()
                .addPrefixPath("/plain", exchange -> exchange.getResponseSender().send("plain " + exchange.getRelativePath()))
                .addPrefixPath("/sequin", new SequinHandler(echo))
                .addPrefixPath("/worker", new BlockingHandler(new SequinHandler(echo)));
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setByteBufferPool(new DefaultByteBufferPool(true, 16 * 1024, 1024, 0))
                .setHandler(paths)
                .build();
        undertow.start();
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        undertow.stop();
    }

    @Test
    void bodyOverTheServersEntityLimitIs413() throws Exception {
        // Only the head is sent: the declared length is over the limit, so the answer comes before any body byte,
        // and no unread body makes the server's close reset the connection under the answer.
        try (java.net.Socket socket = RawHttp.connect(port)) {
            RawHttp.send(socket, "POST /sequin/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + 3 * 1024 * 1024 + "\r\n\r\n");
            assertEquals(413, RawHttp.status(RawHttp.readHead(socket.getInputStream())));
        }
    }

    private String get(String pathAndQuery) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), pathAndQuery);
        return response.body();
    }

    @Test
    void aHandlerCalledOffTheIoThreadStillAnswersOnEveryRequestOfAConnection() throws Exception {
        // BlockingHandler calls SequinHandler on one of the server's worker threads, not on an I/O thread.
        for (int i = 0; i < 3; i++) {
            assertEquals("/r" + i + " null", get("/worker/r" + i));
        }
    }

    @Test
    void plainAndSequinHandlersBothAnswer() throws Exception {
        assertEquals("plain /x", get("/plain/x"));
        assertEquals("/users/a%20b x=1", get("/sequin/users/a%20b?x=1"));
    }

    @Test
    void sequinSeesThePathBelowItsPrefixStillEncoded() throws Exception {
        assertEquals("/ null", get("/sequin"));
        assertEquals("/ null", get("/sequin/"));
        assertEquals("/a%2Fb/%C3%A9 null", get("/sequin/a%2Fb/%C3%A9"));
        assertEquals("/x y=%20", get("/se%71uin/x?y=%20"));
    }
}
