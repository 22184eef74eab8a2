package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The application the TCK serves: a Sequin {@link Api} with the seed's routes (API.md section 4)
 * and every route the TCK's cases need. It is a ready {@link HttpHandler}, so it can also be
 * mounted into another server to check an embedding. Its templates are copied to a temporary
 * folder, removed by {@link #close()}.
 *
 * <pre>{@code
 * try (TckApp app = TckApp.create();
 *      Server server = app.api().start(backend, ServerOptions.port(0))) {
 *     // GET http://127.0.0.1:{server.port()}/text answers "hello!"
 * }
 * }</pre>
 */
public final class TckApp implements HttpHandler, AutoCloseable {

    /** The templates shipped under {@code dev/sequin/tck/templates/}. */
    static final List<String> TEMPLATES = List.of("example.html", "escaped.html");

    private final Api api;
    private final Probes probes;
    private final Path templates;

    private TckApp(Api api, Probes probes, Path templates) {
        this.api = api;
        this.probes = probes;
        this.templates = templates;
    }

    /**
     * Builds the application, with its templates copied to a new temporary folder.
     *
     * @return the application, ready to serve
     * @throws UncheckedIOException if the templates cannot be copied
     */
    public static TckApp create() {
        Path templates = copyTemplates();
        Api api = Api.builder().templatesDir(templates.toString()).build();
        Probes probes = new Probes();
        SeedRoutes.register(api);
        ResponseRoutes.register(api);
        CookieRoutes.register(api);
        StreamingRoutes.register(api, probes);
        RequestRoutes.register(api, probes);
        ErrorRoutes.register(api);
        return new TckApp(api, probes, templates);
    }

    /** @return the Sequin application, to start on a backend */
    public Api api() {
        return api;
    }

    /** @return what the app's views and the tests share */
    public Probes probes() {
        return probes;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) throws Exception {
        api.handle(request, response);
    }

    /** Opens every gate and removes the temporary templates folder. */
    @Override
    public void close() {
        probes.releaseAll();
        try {
            for (String name : TEMPLATES) {
                Files.deleteIfExists(templates.resolve(name));
            }
            Files.deleteIfExists(templates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyTemplates() {
        try {
            Path dir = Files.createTempDirectory("sequin-tck-templates");
            for (String name : TEMPLATES) {
                try (InputStream in = TckApp.class.getResourceAsStream("templates/" + name)) {
                    if (in == null) {
                        throw new IOException("template resource missing from sequin-tck: " + name);
                    }
                    Files.copy(in, dir.resolve(name));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
