package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;

/**
 * The application {@link BackendSoak} serves: a small Sequin {@link Api} on one server of the
 * backend under test, on port 0, with the default {@link ServerOptions}. Its handlers keep no
 * state per request, so whatever a soak leaves behind belongs to the backend or core. Routes:
 * <ul>
 * <li>{@code GET /soak/text}: {@value #TEXT};</li>
 * <li>{@code POST /soak/digest}: reads the body as a stream and answers {@link #digest}, or
 *     {@code 400} if the body ends early;</li>
 * <li>{@code GET /soak/stream?chunks=N&size=S}: a streamed body of {@code N} flushed writes of
 *     {@code S} bytes each, byte {@code i} of the body being {@link #patternAt(long, int)}.</li>
 * </ul>
 * It starts as {@code api.start(backend, options)} would, with a counter of the handlers in
 * flight in front of the app (from the moment the backend calls it to the moment it returns), so
 * a test can tell that no handler is left blocked; and it counts the requests whose client went
 * away mid-body.
 *
 * <pre>{@code
 * try (SoakApp app = SoakApp.start(new UndertowBackend())) {
 *     // GET http://{app.host()}:{app.port()}/soak/text answers "soak"
 *     boolean idle = app.awaitIdle(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
final class SoakApp implements AutoCloseable {

    /** The body of {@code GET /soak/text}. */
    static final String TEXT = "soak";

    private final Api api;
    private final Server server;
    private final AtomicInteger inFlight;
    private final LongAdder clientsGone;

    private SoakApp(Api api, Server server, AtomicInteger inFlight, LongAdder clientsGone) {
        this.api = api;
        this.server = server;
        this.inFlight = inFlight;
        this.clientsGone = clientsGone;
    }

    /**
     * Starts the app on a server of the backend.
     *
     * @param backend the backend under test
     * @return the running app
     * @throws IOException if the server cannot start
     */
    static SoakApp start(Backend backend) throws IOException {
        LongAdder clientsGone = new LongAdder();
        Api api = routes(clientsGone);
        AtomicInteger inFlight = new AtomicInteger();
        HttpHandler counted = (request, response) -> {
            inFlight.incrementAndGet();
            try {
                api.handle(request, response);
            } finally {
                inFlight.decrementAndGet();
            }
        };
        api.startApp();
        try {
            return new SoakApp(api, backend.start(counted, ServerOptions.port(0)), inFlight, clientsGone);
        } catch (IOException | RuntimeException e) {
            api.stopApp();
            throw e;
        }
    }

    private static Api routes(LongAdder clientsGone) {
        Api api = new Api();
        api.get("/soak/text", (req, resp) -> resp.setText(TEXT));
        api.post("/soak/digest", (req, resp) -> {
            try {
                resp.setText(digest(req.body()));
            } catch (IOException clientGone) {
                clientsGone.increment();
                resp.setStatus(400).setText("request body ended early");
            }
        });
        api.get("/soak/stream", (req, resp) -> {
            int chunks = Integer.parseInt(req.query("chunks"));
            int size = Integer.parseInt(req.query("size"));
            resp.streaming(out -> {
                byte[] block = new byte[size];
                for (int i = 0; i < size; i++) {
                    block[i] = patternAt(i, size);
                }
                try {
                    for (int i = 0; i < chunks; i++) {
                        out.write(block);
                    }
                } catch (IOException clientGone) {
                    clientsGone.increment();
                    throw clientGone;
                }
            });
        });
        return api;
    }

    /**
     * Reads a stream to its end and sums it up.
     *
     * @param body the bytes
     * @return {@code "<length>:<CRC-32 in hex>"}
     * @throws IOException if reading fails
     */
    static String digest(InputStream body) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[8192];
        long length = 0;
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            crc.update(buffer, 0, n);
            length += n;
        }
        return length + ":" + Long.toHexString(crc.getValue());
    }

    /**
     * @param offset a position in the body of {@code /soak/stream}
     * @param size   the size of each write
     * @return the byte at that position
     */
    static byte patternAt(long offset, int size) {
        return (byte) (offset % size % 251);
    }

    /** @return the address the server listens on: the default, a loopback one */
    String host() {
        return ServerOptions.defaults().host();
    }

    /** @return the port the server listens on */
    int port() {
        return server.port();
    }

    /** @return how many handlers are running now */
    int inFlight() {
        return inFlight.get();
    }

    /** @return how many requests so far found their client gone, reading the body or writing the response */
    long clientsGone() {
        return clientsGone.sum();
    }

    /**
     * Waits until no handler runs.
     *
     * @param patience the longest wait
     * @return whether no handler runs
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitIdle(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return inFlight.get() == 0;
    }

    /** Stops the server, then the app. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            api.stopApp();
        }
    }
}
