package dev.sequin.tck;

import dev.sequin.TestClient;
import dev.sequin.TestResponse;
import dev.sequin.TestWebSocket;
import dev.sequin.spi.Headers;
import dev.sequin.spi.WebSocketMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The JDK's {@link WebSocket.Builder} answered by {@link TestClient#websocket(String, Headers)}:
 * the in-memory run's WebSockets. A fragmented message is sent once its last part is given; pings
 * and pongs have nothing to cross and complete at once; {@link WebSocket#request(long)} is not
 * needed, as messages reach the listener one at a time from one reader thread.
 *
 * <pre>{@code
 * WebSocket ws = new InMemoryHttpClient(api.client()).newWebSocketBuilder()
 *         .buildAsync(URI.create("ws://testclient/ws/echo"), listener).get();
 * }</pre>
 */
final class InMemoryWebSocketBuilder implements WebSocket.Builder {

    private final TestClient client;
    private final Executor executor;
    private final Headers headers = new Headers();

    InMemoryWebSocketBuilder(TestClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    @Override
    public WebSocket.Builder header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    @Override
    public WebSocket.Builder connectTimeout(Duration timeout) {
        return this;
    }

    @Override
    public WebSocket.Builder subprotocols(String mostPreferred, String... lesserPreferred) {
        List<String> all = new ArrayList<>(List.of(mostPreferred));
        all.addAll(List.of(lesserPreferred));
        headers.set("Sec-WebSocket-Protocol", String.join(", ", all));
        return this;
    }

    @Override
    public CompletableFuture<WebSocket> buildAsync(URI uri, WebSocket.Listener listener) {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return CompletableFuture.supplyAsync(() -> {
            TestWebSocket ws;
            try {
                ws = client.websocket(target, headers);
            } catch (IllegalStateException refused) {
                throw new CompletionException(new WebSocketHandshakeException(refusal(uri, target)));
            }
            ClientEnd end = new ClientEnd(ws);
            Thread.ofVirtual().name("tck-in-memory-websocket").start(() -> end.deliver(listener));
            return end;
        }, executor);
    }

    /** Sends the refused handshake again as a plain request, to read the status the app answers it with. */
    private HttpResponse<String> refusal(URI uri, String target) {
        Headers handshake = new Headers();
        headers.forEach(handshake::add);
        handshake.set("Upgrade", "websocket").set("Connection", "Upgrade").set("Sec-WebSocket-Version", "13")
                .set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        TestResponse answer = client.request("GET", target, handshake, new byte[0]);
        URI plain = URI.create("http://" + uri.getRawAuthority() + target);
        return new InMemoryHttpClient.InMemoryResponse<>(HttpRequest.newBuilder(plain).build(), answer.statusCode(),
                InMemoryHttpClient.headersOf(answer.headers()), answer.text());
    }

    /** The client end: sends through the {@link TestWebSocket}, and hands what arrives to the listener. */
    private static final class ClientEnd implements WebSocket {

        private final TestWebSocket ws;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private volatile boolean outputClosed;
        private volatile boolean inputClosed;

        ClientEnd(TestWebSocket ws) {
            this.ws = ws;
        }

        void deliver(Listener listener) {
            listener.onOpen(this);
            while (!inputClosed) {
                WebSocketMessage message;
                try {
                    message = ws.receive(Duration.ofMillis(200));
                } catch (SocketTimeoutException quiet) {
                    continue;
                } catch (IOException e) {
                    inputClosed = true;
                    listener.onError(this, e);
                    return;
                }
                switch (message) {
                    case WebSocketMessage.Text(String data) -> listener.onText(this, data, true);
                    case WebSocketMessage.Binary(ByteBuffer data) -> listener.onBinary(this, data, true);
                    case WebSocketMessage.Close(int code, String reason) -> {
                        inputClosed = true;
                        listener.onClose(this, code, reason);
                    }
                }
            }
        }

        @Override
        public synchronized CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            text.append(data);
            if (!last) {
                return CompletableFuture.completedFuture(this);
            }
            String message = text.toString();
            text.setLength(0);
            return sent(() -> ws.send(message));
        }

        @Override
        public synchronized CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (!last) {
                return CompletableFuture.completedFuture(this);
            }
            byte[] message = binary.toByteArray();
            binary.reset();
            return sent(() -> ws.send(message));
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            outputClosed = true;
            return sent(() -> ws.close(statusCode, reason));
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return ws.subprotocol() == null ? "" : ws.subprotocol();
        }

        @Override
        public boolean isOutputClosed() {
            return outputClosed;
        }

        @Override
        public boolean isInputClosed() {
            return inputClosed;
        }

        @Override
        public void abort() {
            outputClosed = true;
            inputClosed = true;
            ws.abort();
        }

        private CompletableFuture<WebSocket> sent(Send send) {
            try {
                send.run();
                return CompletableFuture.completedFuture(this);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private interface Send {
            void run() throws IOException;
        }
    }
}
