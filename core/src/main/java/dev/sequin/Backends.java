package dev.sequin;

import dev.sequin.spi.Backend;
import java.util.List;
import java.util.ServiceLoader;

/** Chooses the backend to serve with among those on the classpath. */
final class Backends {

    /** The system property that names the backend to use among several. */
    static final String PROPERTY = "sequin.backend";

    private Backends() {
    }

    /**
     * @param requested the name asked for in {@code ServerOptions}, or {@code null}
     * @return the backend named by {@code requested}, else by {@value #PROPERTY}, else the only one
     * @throws IllegalStateException naming the backends found when none fits
     */
    static Backend choose(String requested) {
        List<Backend> found = ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get).toList();
        List<String> names = found.stream().map(Backend::name).toList();
        String wanted = requested != null ? requested : System.getProperty(PROPERTY);
        if (wanted != null && !wanted.isBlank()) {
            return found.stream().filter(backend -> backend.name().equalsIgnoreCase(wanted.trim())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Sequin backend named '" + wanted + "' on the classpath; found: "
                            + (names.isEmpty() ? "none" : String.join(", ", names))));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no Sequin backend on the classpath: add one of dev.sequin:sequin-backend-undertow, "
                    + "dev.sequin:sequin-backend-jetty or dev.sequin:sequin-backend-netty");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("several Sequin backends on the classpath (" + String.join(", ", names)
                    + "): choose one with -D" + PROPERTY + "=NAME or ServerOptions.backend(NAME)");
        }
        return found.getFirst();
    }
}
