package dev.sequin.undertow;

import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;

/** Starts backends on port 0 and stops every one of them, and the client, after each test. */
abstract class ServerTestSupport {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final List<Server> servers = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    Server start(HttpHandler handler) throws IOException {
        return start(handler, ServerOptions.port(0));
    }

    Server start(HttpHandler handler, ServerOptions options) throws IOException {
        Server server = new UndertowBackend().start(handler, options);
        servers.add(server);
        return server;
    }

    static URI uri(Server server, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    static HttpRequest.Builder request(Server server, String pathAndQuery) {
        return HttpRequest.newBuilder(uri(server, pathAndQuery)).timeout(REQUEST_TIMEOUT);
    }

    HttpResponse<String> get(Server server, String pathAndQuery) throws IOException, InterruptedException {
        return client.send(request(server, pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void stopServers() {
        servers.forEach(Server::close);
        client.close();
    }

    /** Collects what the backend logs while open. */
    static final class CapturedLog extends Handler implements AutoCloseable {

        private final Logger logger = Logger.getLogger(SequinHandler.class.getName());
        final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();

        CapturedLog() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
