package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;

import java.io.UncheckedIOException;

/**
 * The application the TCK serves: a Sequin {@link Api} with the seed's routes (API.md section 4)
 * and every route the TCK's cases need, including a mounted SPI handler and a mounted second
 * {@code Api}. It is a ready {@link HttpHandler}, so it can also be mounted into another server
 * to check an embedding (its components then do not start: only {@code api().start(…)} starts
 * them). Its templates and static files live in a temporary folder, removed by {@link #close()}.
 *
 * <pre>{@code
 * try (TckApp app = TckApp.create();
 *      Server server = app.api().start(backend, ServerOptions.port(0))) {
 *     // GET http://127.0.0.1:{server.port()}/text answers "hello!"
 * }
 * }</pre>
 */
public final class TckApp implements HttpHandler, AutoCloseable {

    private final Api api;
    private final Probes probes;
    private final TckFolder folder;

    private TckApp(Api api, Probes probes, TckFolder folder) {
        this.api = api;
        this.probes = probes;
        this.folder = folder;
    }

    /**
     * Builds the application, with its templates and static files in a new temporary folder.
     *
     * @return the application, ready to serve
     * @throws UncheckedIOException if the folder cannot be written
     */
    public static TckApp create() {
        TckFolder folder = TckFolder.create();
        Api api = Api.builder()
                .templatesDir(folder.templates().toString())
                .staticDir(folder.staticDir().toString())
                .favicon(TckFolder.FAVICON)
                .build();
        Probes probes = new Probes();
        SeedRoutes.register(api);
        ResponseRoutes.register(api);
        CookieRoutes.register(api);
        StreamingRoutes.register(api, probes);
        RequestRoutes.register(api, probes);
        ErrorRoutes.register(api);
        PathRoutes.register(api);
        TrailingSlashRoutes.register(api);
        ViewRoutes.register(api);
        RequestDetailRoutes.register(api);
        FormRoutes.register(api, probes);
        CompositionRoutes.register(api, folder);
        LimitsRoutes.register(api, probes);
        EventRoutes.register(api, probes);
        WebSocketRoutes.register(api, probes);
        NonBlockingRoutes.register(api);
        api.get(TckFolder.LINKS_ROUTE, (req, resp) -> resp.setText(String.valueOf(folder.symlinks())));
        ShutdownRoutes.register(api, probes);
        return new TckApp(api, probes, folder);
    }

    /** @return the Sequin application, to start on a backend */
    public Api api() {
        return api;
    }

    /** @return what the app's views and the tests share */
    public Probes probes() {
        return probes;
    }

    /** @return the temporary folder of templates and static files */
    TckFolder folder() {
        return folder;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) throws Exception {
        api.handle(request, response);
    }

    /** Opens every gate and removes the temporary folder. */
    @Override
    public void close() {
        probes.releaseAll();
        folder.delete();
    }
}
