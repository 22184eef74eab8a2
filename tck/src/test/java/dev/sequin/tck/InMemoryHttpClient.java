package dev.sequin.tck;

import dev.sequin.TestClient;
import dev.sequin.TestResponse;
import dev.sequin.spi.Headers;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JDK's {@link HttpClient} API answered by a {@link TestClient}: every request the TCK's
 * cases send goes in memory through the same SPI a server uses, so the kit runs against the
 * test client as against a backend. No cookie jar and no redirects, like the client the other
 * runs share; the request's method, target, headers and body are passed on as they are, with
 * the {@code Host} header the JDK's client would send.
 *
 * <pre>{@code
 * HttpClient http = new InMemoryHttpClient(api.client());
 * http.send(HttpRequest.newBuilder(URI.create("http://testclient/text")).build(), BodyHandlers.ofString());
 * }</pre>
 */
final class InMemoryHttpClient extends HttpClient {

    private final TestClient client;
    private final Executor executor = Executors.newVirtualThreadPerTaskExecutor();

    InMemoryHttpClient(TestClient client) {
        this.client = client.followRedirects(false);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        Headers headers = new Headers();
        request.headers().map().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
        URI uri = request.uri();
        headers.set("Host", uri.getRawAuthority());
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        client.cookies().clear();
        TestResponse answer = client.request(request.method(), target, headers, body(request));
        return new InMemoryResponse<>(request, answer.statusCode(), headersOf(answer.headers()),
                bodyOf(answer.statusCode(), headersOf(answer.headers()), answer.content(), handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(request, handler);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, executor);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromises) {
        return sendAsync(request, handler);
    }

    private static byte[] body(HttpRequest request) throws IOException {
        if (request.bodyPublisher().isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                synchronized (bytes) {
                    bytes.writeBytes(chunk);
                }
            }

            @Override
            public void onError(Throwable failure) {
                done.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        await(done);
        return bytes.toByteArray();
    }

    private static <T> T bodyOf(int status, HttpHeaders headers, byte[] content, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        if (content.length > 0) {
            subscriber.onNext(List.of(ByteBuffer.wrap(content)));
        }
        subscriber.onComplete();
        return await(subscriber.getBody().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("a body took over 10 s in memory", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static HttpHeaders headersOf(Headers headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        headers.forEach((name, value) -> map.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return new InMemoryWebSocketBuilder(client, executor);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        throw new UnsupportedOperationException("the in-memory client has no TLS");
    }

    @Override
    public SSLParameters sslParameters() {
        throw new UnsupportedOperationException("the in-memory client has no TLS");
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.of(executor);
    }

    /** A response as the JDK client would return it. */
    record InMemoryResponse<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body)
            implements HttpResponse<T> {

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }
}
