package dev.sequin;

import dev.sequin.spi.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drives an {@link Api} in memory, through the same SPI a server uses but without a socket.
 * Creating one starts the app (components and start actions); closing it stops the app. Keeps
 * cookies between requests, and follows redirects to paths of the app unless told not to.
 *
 * <p>Each request runs on a virtual thread, as on a server. A request that a {@link NonBlocking}
 * view may serve on the I/O thread runs on a platform thread instead, and fails with an
 * {@link AssertionError} if the view sleeps, parks or waits, or spends longer than the
 * {@linkplain #stallBudget stall budget} off the CPU.
 *
 * <pre>{@code
 * try (TestClient client = api.client()) {
 *     TestResponse r = client.get("/json");
 *     assertEquals(200, r.statusCode());
 *     assertEquals("world!", r.json().get("hello").asText());
 * }
 * }</pre>
 */
public final class TestClient implements AutoCloseable {

    private static final int MAX_REDIRECTS = 10;

    private final Api api;
    private final Map<String, String> cookieJar = Collections.synchronizedMap(new LinkedHashMap<>());
    private boolean followRedirects = true;
    private Duration stallBudget = Duration.ofMillis(100);
    private boolean closed;

    TestClient(Api api) {
        this.api = api;
        api.startApp();
    }

    /**
     * @param follow whether to follow redirects to paths of the app; default {@code true}
     * @return this
     */
    public TestClient followRedirects(boolean follow) {
        this.followRedirects = follow;
        return this;
    }

    /**
     * @param budget how long a {@link NonBlocking} view may spend off the CPU (in blocking I/O,
     *               say) before its request fails; default 100 ms
     * @return this
     */
    public TestClient stallBudget(Duration budget) {
        this.stallBudget = java.util.Objects.requireNonNull(budget, "budget");
        return this;
    }

    /** @return the cookies the client holds, by name; mutable, and safe to share between threads */
    public Map<String, String> cookies() {
        return cookieJar;
    }

    /** @param target a path, with a query if any @return the response */
    public TestResponse get(String target) {
        return request("GET", target, new Headers(), new byte[0]);
    }

    /** @param target a path, with a query if any @return the response, without a body */
    public TestResponse head(String target) {
        return request("HEAD", target, new Headers(), new byte[0]);
    }

    /** @param target a path @return the response */
    public TestResponse options(String target) {
        return request("OPTIONS", target, new Headers(), new byte[0]);
    }

    /** @param target a path @return the response */
    public TestResponse delete(String target) {
        return request("DELETE", target, new Headers(), new byte[0]);
    }

    /** @param target a path @param body sent as UTF-8 text @return the response */
    public TestResponse post(String target, String body) {
        return request("POST", target, textHeaders(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** @param target a path @param body sent as UTF-8 text @return the response */
    public TestResponse put(String target, String body) {
        return request("PUT", target, textHeaders(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** @param target a path @param body sent as UTF-8 text @return the response */
    public TestResponse patch(String target, String body) {
        return request("PATCH", target, textHeaders(), body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts a request with headers, query parameters or a body of any kind.
     *
     * @param method the method
     * @param target a path, with a query if any
     * @return the request to complete and {@link TestRequest#send()}
     */
    public TestRequest request(String method, String target) {
        return new TestRequest(this, method, target);
    }

    /**
     * Sends any request.
     *
     * @param method  the method
     * @param target  a path, with a query if any
     * @param headers the request headers; the client adds {@code Content-Length}, and {@code Cookie}
     *                and {@code Host: testclient} unless given
     * @param body    the body
     * @return the response, after redirects when following them
     */
    public TestResponse request(String method, String target, Headers headers, byte[] body) {
        if (closed) {
            throw new IllegalStateException("this TestClient is closed");
        }
        TestResponse response = send(method, target, headers, body);
        for (int hops = 0; followRedirects && isRedirect(response.statusCode()) && hops < MAX_REDIRECTS; hops++) {
            String location = response.headers().get("Location");
            if (location == null || !location.startsWith("/")) {
                break;
            }
            boolean keepMethod = response.statusCode() == 307 || response.statusCode() == 308;
            response = keepMethod ? send(method, location, headers, body) : send("GET", location, new Headers(), new byte[0]);
        }
        return response;
    }

    private TestResponse send(String method, String target, Headers given, byte[] body) {
        URI uri = URI.create(target.startsWith("/") ? target : "/" + target);
        Headers headers = new Headers();
        given.forEach(headers::add);
        if (!headers.contains("Host")) {
            headers.set("Host", "testclient");
        }
        headers.set("Content-Length", Integer.toString(body.length));
        StringBuilder cookie = new StringBuilder();
        cookieJar.forEach((name, value) -> cookie.append(cookie.isEmpty() ? "" : "; ").append(name).append('=').append(value));
        if (!cookie.isEmpty() && !headers.contains("Cookie")) {
            headers.set("Cookie", cookie.toString());
        }
        InMemoryExchange exchange = new InMemoryExchange(method, uri.getRawPath(), uri.getRawQuery(), headers, body);
        try {
            InMemoryDispatch.serve(api, exchange, method + " " + target, stallBudget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + method + " " + target + " was served", e);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + target + " failed with an exception the app did not handle", e);
        }
        TestResponse response = exchange.toResponse();
        response.cookies().forEach((name, value) -> {
            if (response.expiredCookies().contains(name)) {
                cookieJar.remove(name);
            } else {
                cookieJar.put(name, value);
            }
        });
        return response;
    }

    /**
     * Opens a WebSocket to a path of the app, in memory: the view's {@code onWs} runs on its own
     * virtual thread.
     *
     * @param target a path, with a query if any
     * @return the client end, once the view accepted
     * @throws IllegalStateException with the status if the app refused the upgrade
     */
    public TestWebSocket websocket(String target) {
        return websocket(target, new Headers());
    }

    /**
     * Opens a WebSocket with extra handshake headers (for example {@code Sec-WebSocket-Protocol}).
     *
     * @param target  a path, with a query if any
     * @param headers extra request headers
     * @return the client end, once the view accepted
     * @throws IllegalStateException with the status if the app refused the upgrade
     */
    public TestWebSocket websocket(String target, Headers headers) {
        URI uri = URI.create(target.startsWith("/") ? target : "/" + target);
        Headers all = new Headers();
        headers.forEach(all::add);
        all.set("Host", "testclient").set("Upgrade", "websocket").set("Connection", "Upgrade")
                .set("Sec-WebSocket-Version", "13").set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        InMemoryExchange exchange = new InMemoryExchange("GET", uri.getRawPath(), uri.getRawQuery(), all, new byte[0]);
        Thread server = Thread.ofVirtual().name("sequin-test-websocket").start(() -> {
            try {
                api.handle(exchange.request(), exchange.response());
            } catch (Exception e) {
                exchange.upgraded().completeExceptionally(e);
            }
            exchange.upgraded().completeExceptionally(new IllegalStateException("refused"));
        });
        try {
            return new TestWebSocket(exchange.upgraded().get(5, java.util.concurrent.TimeUnit.SECONDS), exchange.responseHeaders(), server);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            server.interrupt();
            TestResponse refused = exchange.toResponse();
            throw new IllegalStateException("the app refused the WebSocket on " + target + " with " + refused.statusCode()
                    + ": " + refused.text(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening a WebSocket", e);
        }
    }

    private static Headers textHeaders() {
        return new Headers().set("Content-Type", Response.PLAIN_TEXT);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Stops the app. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            api.stopApp();
        }
    }
}
