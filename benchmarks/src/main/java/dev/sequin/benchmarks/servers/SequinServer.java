package dev.sequin.benchmarks.servers;

import dev.sequin.Api;
import dev.sequin.spi.ServerOptions;
import java.util.Arrays;

/**
 * The load-test endpoints through Sequin, on the backend named by the first argument, in Sequin's
 * default mode (each request on a virtual thread). {@code /stream} goes through
 * {@code resp.streaming}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.servers.SequinServer netty 8080
 * }</pre>
 */
public final class SequinServer {

    private SequinServer() {
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the backend name ({@code undertow}, {@code jetty} or {@code netty}) and the port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SequinServer BACKEND PORT");
        }
        app().start(ServerOptions.backend(args[0]).withPort(Payloads.port(args)));
    }

    /** @return the app serving {@code /plaintext}, {@code /json} and {@code /stream} */
    static Api app() {
        long streamBytes = Payloads.streamBytes();
        Api api = Api.builder().staticDir(null).templatesDir(null).build();
        api.get("/plaintext", (req, resp) -> resp.setText(Payloads.PLAINTEXT));
        api.get("/json", (req, resp) -> resp.json().put("message", Payloads.PLAINTEXT));
        api.get("/stream", (req, resp) -> resp.streaming(out -> {
            for (long left = streamBytes; left > 0; left -= Payloads.CHUNK_BYTES) {
                out.write(left >= Payloads.CHUNK_BYTES ? Payloads.CHUNK
                        : Arrays.copyOf(Payloads.CHUNK, (int) left));
            }
        }));
        return api;
    }
}
