package dev.sequin.tck;

import dev.sequin.spi.Backend;
import dev.sequin.spi.ServerOptions;

import java.time.Duration;

/** Runs the TCK on the JDK's HTTP server, to prove the kit itself. */
class JdkBackendTckTest extends BackendTck {

    @Override
    protected Backend backend() {
        return new JdkBackend();
    }

    /** The JDK server's stop waits out the grace period after an aborted exchange: keep it short. */
    @Override
    protected ServerOptions options() {
        return ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2));
    }
}
