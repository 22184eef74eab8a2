package dev.sequin.tck;

import dev.sequin.spi.Backend;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The Sequin TCK: every contract a backend must meet ({@link TckContracts}), run against one
 * server of that backend, in the test's JVM. A backend's test is a subclass naming its
 * {@link Backend}; JUnit runs every case of the contracts. To run them against a server that is
 * already running, see {@link RemoteTck}. The {@link TckApp} is started once per class on port 0 (see
 * {@link #options()}) and stopped after the last case. Cases time out after 30 seconds unless
 * they say otherwise, and the slowest are tagged {@code slow}.
 *
 * <pre>{@code
 * package dev.sequin.undertow;
 *
 * import dev.sequin.spi.Backend;
 * import dev.sequin.tck.BackendTck;
 * import org.junit.jupiter.api.Disabled;
 * import org.junit.jupiter.api.Test;
 *
 * class UndertowTckTest extends BackendTck {
 *
 *     @Override
 *     protected Backend backend() {
 *         return new UndertowBackend();
 *     }
 *
 *     // An exclusion is explicit and reasoned, never silent (keep @Test, or the case vanishes):
 *     @Override
 *     @Test
 *     @Disabled("Undertow answers a header line without a colon by closing the connection")
 *     public void malformedRequestsAre400AndTheServerGoesOn() {
 *     }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
public abstract class BackendTck implements TckContracts {

    private TckApp app;
    private Server server;
    private HttpClient http;

    /** For subclasses, one per backend. */
    protected BackendTck() {
    }

    /** @return the backend under test; called once per test class, and again for extra servers */
    protected abstract Backend backend();

    /**
     * Declares what the backend can do beyond HTTP/1.1; the cases needing a capability it lacks
     * are reported as skipped, naming it. Keep {@link Capability#IN_PROCESS}: this class serves
     * the app in the test's JVM.
     *
     * @return the capabilities; by default all of them
     */
    @Override
    public java.util.Set<Capability> capabilities() {
        return java.util.EnumSet.allOf(Capability.class);
    }

    /** @return the options the server starts with; by default {@code ServerOptions.port(0)} */
    protected ServerOptions options() {
        return ServerOptions.port(0);
    }

    /**
     * Starts the {@link TckApp} on {@link #backend()} with {@link #options()}.
     *
     * @throws IOException if the server cannot start
     */
    @BeforeAll
    protected final void startTckApp() throws IOException {
        app = TckApp.create();
        server = start(app);
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Opens every gate, then stops the client, the server and the app. */
    @AfterAll
    protected final void stopTckApp() {
        if (app == null) {
            return;
        }
        app.probes().releaseAll();
        try {
            if (http != null) {
                http.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                app.close();
            }
        }
    }

    @Override
    public final TckApp app() {
        return app;
    }

    @Override
    public final String host() {
        String host = options().host();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    @Override
    public final int port() {
        return server.port();
    }

    @Override
    public final HttpClient http() {
        return http;
    }

    @Override
    public final Server start(TckApp tckApp, UnaryOperator<ServerOptions> change) throws IOException {
        return tckApp.api().start(backend(), change.apply(options()));
    }

    @Override
    public final Server start(TckApp tckApp) throws IOException {
        return tckApp.api().start(backend(), options());
    }
}
