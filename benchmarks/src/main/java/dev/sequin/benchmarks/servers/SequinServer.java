package dev.sequin.benchmarks.servers;

import dev.sequin.Api;
import dev.sequin.NonBlocking;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;
import dev.sequin.spi.ServerOptions;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The load-test endpoints through Sequin, on the backend named by the first argument: in Sequin's
 * default mode (each request on a virtual thread), or, with {@code nonblocking} before the port,
 * with {@code /plaintext} and {@code /json} served by {@link NonBlocking} views on the server's
 * I/O thread. {@code /stream} goes through {@code resp.streaming}, and {@code /upload} reads
 * {@code req.body()} in {@link Payloads#CHUNK_BYTES}-byte reads, both on a virtual thread. The
 * app's upload limit ({@code maxUploadBytes}, 10 MiB) does not apply to {@code req.body()}, so a
 * 1 GiB upload needs no setting.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.servers.SequinServer netty 8080
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.servers.SequinServer netty nonblocking 8080
 * }</pre>
 */
public final class SequinServer {

    private SequinServer() {
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the backend name ({@code undertow}, {@code jetty} or {@code netty}), optionally
     *             {@code nonblocking}, and the port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        boolean nonBlocking = args.length == 3 && args[1].equals("nonblocking");
        if (args.length != 2 && !nonBlocking) {
            throw new IllegalArgumentException("usage: SequinServer BACKEND [nonblocking] PORT");
        }
        app(nonBlocking).start(ServerOptions.backend(args[0]).withPort(Payloads.port(args)));
    }

    /**
     * @param nonBlocking whether {@code /plaintext} and {@code /json} are {@link NonBlocking} views
     * @return the app serving {@code /plaintext}, {@code /json}, {@code /stream} and {@code /upload}
     */
    static Api app(boolean nonBlocking) {
        long streamBytes = Payloads.streamBytes();
        Api api = Api.builder().staticDir(null).templatesDir(null).build();
        if (nonBlocking) {
            api.route("/plaintext", Plaintext.class);
            api.route("/json", Json.class);
        } else {
            api.get("/plaintext", (req, resp) -> resp.setText(Payloads.PLAINTEXT));
            api.get("/json", (req, resp) -> resp.json().put("message", Payloads.PLAINTEXT));
        }
        api.get("/stream", (req, resp) -> resp.streaming(out -> {
            for (long left = streamBytes; left > 0; left -= Payloads.CHUNK_BYTES) {
                out.write(left >= Payloads.CHUNK_BYTES ? Payloads.CHUNK
                        : Arrays.copyOf(Payloads.CHUNK, (int) left));
            }
        }));
        api.post("/upload", (req, resp) -> {
            byte[] buffer = new byte[Payloads.CHUNK_BYTES];
            long bytes = 0;
            try (InputStream body = req.body()) {
                int read;
                while ((read = body.read(buffer)) != -1) {
                    bytes += read;
                }
            }
            resp.setText(Long.toString(bytes));
        });
        return api;
    }

    /** {@code /plaintext} on the I/O thread. */
    @NonBlocking
    static final class Plaintext implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(Payloads.PLAINTEXT);
        }
    }

    /** {@code /json} on the I/O thread, serialized per request. */
    @NonBlocking
    static final class Json implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.json().put("message", Payloads.PLAINTEXT);
        }
    }
}
