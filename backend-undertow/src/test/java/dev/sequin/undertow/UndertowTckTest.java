package dev.sequin.undertow;

import dev.sequin.spi.Backend;
import dev.sequin.tck.BackendTck;

/** The Sequin TCK against {@link UndertowBackend}, with no exclusions. */
class UndertowTckTest extends BackendTck {

    @Override
    protected Backend backend() {
        return new UndertowBackend();
    }
}
