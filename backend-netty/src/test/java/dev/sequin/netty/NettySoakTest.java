package dev.sequin.netty;

import dev.sequin.spi.Backend;
import dev.sequin.tck.BackendSoak;

/** The soak test (tagged {@code soak}), run against the Netty backend. */
class NettySoakTest extends BackendSoak {

    @Override
    protected Backend backend() {
        return new NettyBackend();
    }
}
