package dev.sequin.tck;

import dev.sequin.spi.Server;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * What every contract of the TCK works with: the running {@link TckApp}, where it listens (a
 * host, a port and an optional path prefix every request target is sent under), a shared
 * {@link HttpClient} (HTTP/1.1, redirects not followed) and raw connections.
 * {@link BackendTck} and {@link RemoteTck} implement it; the contracts extend it.
 *
 * <pre>{@code
 * interface MyContract extends TckContext {
 *     @Test
 *     default void textArrives() throws Exception {
 *         HttpResponse<String> r = get("/text");
 *         assertEquals("hello!", r.body());
 *     }
 * }
 * }</pre>
 */
public interface TckContext {

    /** How long any request through {@link #http()} may take. */
    Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Parses JSON bodies in assertions. */
    JsonMapper JSON = JsonMapper.builder().build();

    /**
     * @return the application being served; only in the test's own JVM, so a case calling it
     *         is annotated {@code @Requires(Capability.IN_PROCESS)}
     */
    TckApp app();

    /** @return what this run can check beyond the HTTP/1.1 core: the other cases are skipped */
    Set<Capability> capabilities();

    /** @return the address to connect to */
    String host();

    /** @return the port the server listens on */
    int port();

    /**
     * @return where the app is mounted, like {@code /tck}, or {@code ""} when it is served at the
     *         root; the app sees request paths without it
     */
    default String prefix() {
        return "";
    }

    /** @return the shared client: HTTP/1.1, never follows redirects */
    HttpClient http();

    /**
     * Starts another server, with the backend and options under test, for cases that need
     * their own (stopping one, for example); only with {@link Capability#IN_PROCESS}. The
     * caller closes it. A case calling it is annotated
     * {@code @Requires({Capability.IN_PROCESS, Capability.SOCKET})}.
     *
     * @param app the application to serve
     * @return the running server
     * @throws IOException if it cannot start
     */
    Server start(TckApp app) throws IOException;

    /**
     * @param target a path as the app sees it, with an optional query, for example {@code /text?a=1}
     * @return the request target as sent: the target under {@link #prefix()}
     */
    default String path(String target) {
        return prefix() + target;
    }

    /**
     * @param request a raw request written for the app, like {@code "GET /text HTTP/1.1\r\n…"}
     * @return the same request with its target under {@link #prefix()}
     */
    default String prefixed(String request) {
        int target = request.indexOf(' ') + 1;
        return request.substring(0, target) + prefix() + request.substring(target);
    }

    /**
     * @param target a path as the app sees it, with an optional query, for example {@code /text?a=1}
     * @return the absolute URI of that target on the server
     */
    default URI uri(String target) {
        return URI.create("http://" + host() + ":" + port() + path(target));
    }

    /**
     * @param target a path with an optional query
     * @return a request builder for that target, with the TCK's timeout
     */
    default HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(uri(target)).timeout(REQUEST_TIMEOUT);
    }

    /**
     * Sends a request and reads the body as UTF-8 text.
     *
     * @param request the request
     * @return the response
     * @throws IOException          if the exchange fails
     * @throws InterruptedException if interrupted while waiting
     */
    default HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code GET}s a target and reads the body as UTF-8 text.
     *
     * @param target a path with an optional query
     * @return the response
     * @throws IOException          if the exchange fails
     * @throws InterruptedException if interrupted while waiting
     */
    default HttpResponse<String> get(String target) throws IOException, InterruptedException {
        return send(request(target).GET().build());
    }

    /**
     * {@code GET}s a target and reads the body as bytes.
     *
     * @param target a path with an optional query
     * @return the response
     * @throws IOException          if the exchange fails
     * @throws InterruptedException if interrupted while waiting
     */
    default HttpResponse<byte[]> getBytes(String target) throws IOException, InterruptedException {
        return http().send(request(target).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Opens a raw connection; a case calling it is annotated {@code @Requires(Capability.SOCKET)}.
     *
     * @return a new connection to the server, reads timing out after
     *         {@link RawConnection#READ_TIMEOUT_MILLIS}
     * @throws IOException if it cannot connect
     */
    default RawConnection connect() throws IOException {
        if (!capabilities().contains(Capability.SOCKET)) {
            throw new IllegalStateException("this case opens a connection: annotate it @Requires(Capability.SOCKET)");
        }
        return RawConnection.open(host(), port());
    }

    /**
     * Writes a request head for a raw connection.
     *
     * @param method  the method
     * @param target  the request target as the app sees it, for example {@code /text}; sent
     *                under {@link #prefix()}, otherwise as is
     * @param headers further header lines, like {@code "Connection: close"}
     * @return the request line, a Host header, the given lines and the blank line
     */
    default String head(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path(target)).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host()).append(':').append(port()).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /**
     * @param response a response from {@link #http()}
     * @param name     a header name, in any case
     * @return the header's first value, or {@code null}
     */
    default String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** @return a fresh id for the {@link Probes} of one test */
    default String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * @param json a JSON document
     * @return its tree, for comparisons that ignore object key order
     */
    default JsonNode json(String json) {
        return JSON.readTree(json);
    }
}
