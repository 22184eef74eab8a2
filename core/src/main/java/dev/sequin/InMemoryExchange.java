package dev.sequin;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** One exchange of the {@link TestClient}: the SPI's request and response, in memory. */
final class InMemoryExchange {

    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    private final ServerRequest request;
    private final Headers responseHeaders = new Headers();
    private final List<byte[]> chunks = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final boolean head;
    private final java.util.concurrent.CompletableFuture<InMemoryWebSocket> upgraded = new java.util.concurrent.CompletableFuture<>();
    private int status = 200;
    private boolean committed;

    InMemoryExchange(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        InputStream stream = new ByteArrayInputStream(body);
        this.head = method.equals("HEAD");
        this.request = new InMemoryRequest(method, path, rawQuery, headers, stream);
    }

    /** @return the request side */
    ServerRequest request() {
        return request;
    }

    /** @return the response side */
    ServerResponse response() {
        return new InMemoryResponse();
    }

    /** @return completed with the client end once the app accepts a WebSocket upgrade */
    java.util.concurrent.CompletableFuture<InMemoryWebSocket> upgraded() {
        return upgraded;
    }

    /** @return the response headers */
    Headers responseHeaders() {
        return responseHeaders;
    }

    /** @return what the app answered, chunk by chunk */
    TestResponse toResponse() {
        if (!committed) {
            committed = true;
            responseHeaders.set("Content-Length", "0");
        }
        return new TestResponse(status, responseHeaders, List.copyOf(chunks));
    }

    private record InMemoryRequest(String method, String rawPath, String rawQuery, Headers headers, InputStream body)
            implements ServerRequest {
        @Override
        public String protocol() {
            return "HTTP/1.1";
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return CLIENT;
        }
    }

    private final class InMemoryResponse implements ServerResponse {
        @Override
        public Headers headers() {
            return responseHeaders;
        }

        @Override
        public void setStatus(int newStatus) {
            if (committed) {
                throw new IllegalStateException("the response is committed");
            }
            status = newStatus;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public BodySink open(long contentLength) {
            if (committed) {
                throw new IllegalStateException("the body was opened before");
            }
            committed = true;
            if (contentLength >= 0 && status != 204 && status != 304) {
                responseHeaders.set("Content-Length", Long.toString(contentLength));
            } else if (contentLength < 0) {
                responseHeaders.set("Transfer-Encoding", "chunked");
            }
            return new ChunkCollector();
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        @Override
        public dev.sequin.spi.WebSocketConnection upgradeToWebSocket(String subprotocol) {
            if (committed) {
                throw new IllegalStateException("the response is committed");
            }
            committed = true;
            status = 101;
            if (subprotocol != null) {
                responseHeaders.set("Sec-WebSocket-Protocol", subprotocol);
            }
            InMemoryWebSocket[] ends = InMemoryWebSocket.pair(subprotocol);
            upgraded.complete(ends[1]);
            return ends[0];
        }
    }

    /** Collects the body; each flush ends a chunk. For HEAD it discards what is written. */
    private final class ChunkCollector implements BodySink {
        @Override
        public void write(ByteBuffer data) {
            if (head) {
                data.position(data.limit());
                return;
            }
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            pending.writeBytes(bytes);
        }

        @Override
        public void flush() {
            if (pending.size() > 0) {
                chunks.add(pending.toByteArray());
                pending.reset();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
