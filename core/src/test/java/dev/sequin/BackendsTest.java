package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backend choice among the two fake backends this module's tests register with ServiceLoader. */
class BackendsTest {

    /** A backend that starts nothing. */
    public abstract static class FakeBackend implements Backend {
        @Override
        public Server start(HttpHandler handler, ServerOptions options) {
            return new Server() {
                @Override
                public int port() {
                    return 1;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The first fake. */
    public static final class Alpha extends FakeBackend {
        @Override
        public String name() {
            return "alpha";
        }
    }

    /** The second fake. */
    public static final class Beta extends FakeBackend {
        @Override
        public String name() {
            return "beta";
        }
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void severalBackendsWithoutAChoiceFailListingThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.choose(null));
        assertTrue(e.getMessage().contains("alpha, beta"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dsequin.backend"), e.getMessage());
    }

    @Test
    void theOptionsOrThePropertyChoose() {
        assertEquals("beta", Backends.choose("beta").name());
        assertEquals("alpha", Backends.choose("ALPHA").name());
        System.setProperty(Backends.PROPERTY, "beta");
        assertEquals("beta", Backends.choose(null).name());
        assertEquals("alpha", Backends.choose("alpha").name(), "the options win over the property");
    }

    @Test
    void anUnknownNameFailsListingTheKnownOnes() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.choose("gamma"));
        assertTrue(e.getMessage().contains("'gamma'") && e.getMessage().contains("alpha, beta"), e.getMessage());
    }

    @Test
    void apiStartUsesTheChosenBackendAndRunsTheApp() throws Exception {
        StringBuilder events = new StringBuilder();
        Api api = new Api();
        api.onStart(() -> events.append("start,"));
        api.onStop(() -> events.append("stop"));
        try (Server server = api.start(ServerOptions.port(0).withBackend("alpha"))) {
            assertEquals(1, server.port());
        }
        assertEquals("start,stop", events.toString());
    }
}
