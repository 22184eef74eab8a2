package dev.sequin.jetty;

import dev.sequin.spi.Backend;
import dev.sequin.tck.BackendTck;

/** The Sequin TCK, run against the Jetty backend. */
class JettyTckTest extends BackendTck {

    @Override
    protected Backend backend() {
        return new JettyBackend();
    }
}
