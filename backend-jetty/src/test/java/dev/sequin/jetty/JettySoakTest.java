package dev.sequin.jetty;

import dev.sequin.spi.Backend;
import dev.sequin.tck.BackendSoak;

/** The soak test (tagged {@code soak}), run against the Jetty backend. */
class JettySoakTest extends BackendSoak {

    @Override
    protected Backend backend() {
        return new JettyBackend();
    }
}
