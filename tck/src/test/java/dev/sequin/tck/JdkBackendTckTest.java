package dev.sequin.tck;

import dev.sequin.spi.Backend;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** Runs the TCK on the JDK's HTTP server, to prove the kit itself. */
class JdkBackendTckTest extends BackendTck {

    @Override
    protected Backend backend() {
        return new JdkBackend();
    }

    /** The JDK's HTTP server has no WebSocket support, and is deliberately minimal: no limits, no hardening, no non-blocking mode. */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.complementOf(EnumSet.of(Capability.WEBSOCKET, Capability.LIMITS, Capability.NON_BLOCKING));
    }

    @Override
    @Test
    @Disabled("the JDK server's stop() closes idle connections only once the exchanges in flight are over")
    public void idleKeepAliveConnectionIsClosedCleanlyWithoutWaitingForOthers() {
    }

    /** The JDK server's stop waits out the grace period after an aborted exchange: keep it short. */
    @Override
    protected ServerOptions options() {
        return ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(2));
    }
}
