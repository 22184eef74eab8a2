package dev.sequin.netty;

import dev.sequin.spi.Backend;
import dev.sequin.tck.BackendTck;

/** The Sequin TCK, run against the Netty backend. */
class NettyTckTest extends BackendTck {

    @Override
    protected Backend backend() {
        return new NettyBackend();
    }
}
