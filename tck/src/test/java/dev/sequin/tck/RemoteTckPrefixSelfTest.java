package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.time.Duration;

/**
 * Runs the remote suite as a user would, through the system properties, against the
 * {@link TckApp} mounted under {@code /tck} in another Sequin app served by the JDK stand-in: every
 * request target goes under the prefix. The capabilities property is empty (none declared).
 */
class RemoteTckPrefixSelfTest extends RemoteTck {

    private TckApp app;
    private Server server;

    @BeforeAll
    void serve() throws IOException {
        app = TckApp.create();
        Api outer = Api.builder().templatesDir(null).staticDir(null).build().mount("/tck", app.api());
        server = outer.start(new JdkBackend(), ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2)));
        System.setProperty(URL_PROPERTY, "http://127.0.0.1:" + server.port() + "/tck/");
        System.setProperty(CAPABILITIES_PROPERTY, "");
    }

    @AfterAll
    void stop() {
        System.clearProperty(URL_PROPERTY);
        System.clearProperty(CAPABILITIES_PROPERTY);
        try {
            server.close();
        } finally {
            app.close();
        }
    }
}
