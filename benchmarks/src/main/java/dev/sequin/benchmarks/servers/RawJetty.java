package dev.sequin.benchmarks.servers;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Jetty 12 on its own: a core {@link Handler.Abstract.NonBlocking} handler, which Jetty may run on
 * the selector thread that read the request, on the default {@code QueuedThreadPool}. Responses
 * carry a {@code Date} and no {@code Server} header, as Sequin's Jetty backend sends them.
 * {@code /stream} writes each chunk from the previous write's callback; {@code /upload} reads the
 * body's chunks as they arrive, asking Jetty to call back when it has none, and never blocks.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.servers.RawJetty 8080
 * }</pre>
 */
public final class RawJetty extends Handler.Abstract.NonBlocking {

    private RawJetty() {
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the port
     * @throws Exception if Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(Payloads.port(args));
        server.addConnector(connector);
        server.setHandler(new RawJetty());
        server.start();
        System.out.println("raw Jetty ready");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        switch (Request.getPathInContext(request)) {
            case "/plaintext" -> send(response, Payloads.TEXT_TYPE, Payloads.PLAINTEXT_BYTES, callback);
            case "/json" -> send(response, Payloads.JSON_TYPE, Payloads.json(), callback);
            case "/stream" -> {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                new Chunks(response, Payloads.streamBytes(), callback).iterate();
            }
            case "/upload" -> new Upload(request, response, callback).run();
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void send(Response response, String type, byte[] body, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Counts the body's bytes, reading while chunks are there; answers with the count after the last. */
    private static final class Upload implements Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private long bytes;

        Upload(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                bytes += chunk.remaining();
                chunk.release();
                if (chunk.isLast()) {
                    send(response, Payloads.TEXT_TYPE, Payloads.uploaded(bytes), callback);
                    return;
                }
            }
        }
    }

    /** Writes the stream one chunk per completed write. */
    private static final class Chunks extends IteratingCallback {

        private final Response response;
        private final Callback done;
        private long left;

        Chunks(Response response, long total, Callback done) {
            this.response = response;
            this.left = total;
            this.done = done;
        }

        @Override
        protected Action process() {
            if (left == 0) {
                return Action.SUCCEEDED;
            }
            int length = (int) Math.min(Payloads.CHUNK_BYTES, left);
            left -= length;
            response.write(left == 0, ByteBuffer.wrap(Payloads.CHUNK, 0, length), this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            done.failed(cause);
        }
    }
}
