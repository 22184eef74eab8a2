package dev.sequin.undertow;

import dev.sequin.spi.Backend;
import dev.sequin.tck.BackendSoak;

/** The soak test (tagged {@code soak}), run against the Undertow backend. */
class UndertowSoakTest extends BackendSoak {

    @Override
    protected Backend backend() {
        return new UndertowBackend();
    }
}
