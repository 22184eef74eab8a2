package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Serves {@link TckApp} in a process of its own, for a {@link RemoteTck} run in another process
 * or outside a container. It listens on {@code 127.0.0.1}, port {@code -Dport}, else
 * {@code $PORT}, else 8000 ({@code 0} picks a free one), with the backend on the classpath or the
 * one {@code -Dsequin.backend} names among several, and serves the app at the root or, given
 * {@code -Dprefix=/tck}, mounted under that prefix. Once the app answers it prints one line,
 * {@code READY} and the base URL to give {@code -Dsequin.tck.url}. SIGTERM (or Ctrl+C) stops the
 * server gracefully, then removes the app's temporary folder, and prints {@code STOPPED}; if the
 * app does not answer its first request, the process exits with status 1.
 *
 * <pre>{@code
 * java -cp "$CLASSPATH" -Dsequin.backend=jetty -Dport=0 -Dprefix=/tck dev.sequin.tck.TckServer
 * # READY http://127.0.0.1:41234/tck
 * mvn test -Dtest=DeployedTckTest -Dsequin.tck.url=http://127.0.0.1:41234/tck
 * }</pre>
 */
public final class TckServer {

    /** The system property naming the port; it wins over the environment variable {@code PORT}. */
    public static final String PORT_PROPERTY = "port";

    /** The system property naming the prefix the app is mounted under, such as {@code /tck}. */
    public static final String PREFIX_PROPERTY = "prefix";

    /** The start of the line printed once the app answers, followed by a space and the base URL. */
    public static final String READY = "READY";

    private static final String HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 8000;

    private TckServer() {
    }

    /**
     * Serves the app until the process is stopped.
     *
     * @param args none
     * @throws IOException              if the server cannot start
     * @throws InterruptedException     if the waiting thread is interrupted
     * @throws IllegalArgumentException if the port is not a number from 0 to 65535, or the prefix
     *                                  does not start with {@code /}
     * @throws IllegalStateException    if no backend, or several without a choice, are found
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String prefix = prefix();
        TckApp tck = TckApp.create();
        Server server;
        try {
            Api served = prefix.isEmpty() ? tck.api()
                    : Api.builder().templatesDir(null).staticDir(null).build().mount(prefix, tck.api());
            server = served.start(ServerOptions.port(port()).withHost(HOST));
        } catch (IOException | RuntimeException e) {
            tck.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tck.probes().releaseAll(); // nobody will open a gate now: let gated requests finish
            try {
                server.close();
            } finally {
                tck.close();
                System.out.println("STOPPED");
                stopped.countDown();
            }
        }, "sequin-tck-shutdown"));
        String url = "http://" + HOST + ":" + server.port() + prefix;
        try {
            awaitAnswer(URI.create(url + "/text"));
        } catch (IOException e) {
            System.err.println("sequin-tck: " + e.getMessage());
            System.exit(1); // the hook stops the server, whose threads would keep this JVM alive
        }
        System.out.println(READY + " " + url);
        stopped.await();
    }

    /** Sends one request to the app, so that READY is printed only once it answers. */
    private static void awaitAnswer(URI text) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(text).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException("the app answers GET " + text + " with " + answer.statusCode() + ", not 200");
            }
        }
    }

    private static int port() {
        String port = System.getProperty(PORT_PROPERTY, System.getenv("PORT"));
        if (port == null || port.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number, not '" + port + "'", e);
        }
    }

    /** @return the prefix without a trailing slash, or {@code ""} for the root */
    private static String prefix() {
        String prefix = System.getProperty(PREFIX_PROPERTY, "").strip();
        if (!prefix.isEmpty() && !prefix.startsWith("/")) {
            throw new IllegalArgumentException("the prefix must start with '/', not '" + prefix + "'");
        }
        return prefix.replaceAll("/+$", "");
    }
}
