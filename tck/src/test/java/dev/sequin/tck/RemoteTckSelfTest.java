package dev.sequin.tck;

import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runs the remote suite against the {@link TckApp} served at the root by the JDK stand-in in this
 * JVM, as if it ran elsewhere: the URL and the capabilities come from overrides.
 */
class RemoteTckSelfTest extends RemoteTck {

    private TckApp app;
    private Server server;

    @BeforeAll
    void serve() throws IOException {
        app = TckApp.create();
        server = app.api().start(new JdkBackend(), ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2)));
    }

    @AfterAll
    void stop() {
        try {
            server.close();
        } finally {
            app.close();
        }
    }

    @Override
    protected String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The JDK stand-in has no WebSocket support and no limits (see {@link JdkBackendTckTest}). */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.complementOf(EnumSet.of(Capability.IN_PROCESS, Capability.WEBSOCKET, Capability.LIMITS, Capability.NON_BLOCKING));
    }
}
