package dev.sequin;

import dev.sequin.spi.Backend;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import dev.sequin.spi.TemplateEngine;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * A Sequin application: routes, hooks, error handlers and components, served by whichever
 * backend is on the classpath. An {@code Api} is itself an SPI {@link HttpHandler}, so it can be
 * mounted in another app or embedded in a server through a backend's adapter.
 *
 * <p>Register everything before the app starts serving; registration is not thread-safe and
 * fails once the app has started.
 *
 * <pre>{@code
 * Api api = new Api();
 * api.route("/text", Text.class);
 * api.get("/hi", (req, resp) -> resp.setText("hi"));
 * api.serve();                       // 127.0.0.1:8000, or $PORT
 * }</pre>
 */
public final class Api implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(Api.class.getName());

    /** A start or stop callback, which may throw. */
    @FunctionalInterface
    public interface Action {
        /** Runs the callback. @throws Exception to fail the start (or to be logged at stop) */
        void run() throws Exception;
    }

    private final Path templatesDir;
    private final Trailing trailing;
    private final String defaultRoute;
    private final long maxUploadBytes;
    private final boolean debug;

    private final Router router;
    private final Map<String, Converter<?>> converters = new LinkedHashMap<>(BuiltinConverters.ALL);
    private final Map<Class<?>, RoutePattern> routesByView = new HashMap<>();
    private final Map<String, Endpoint> functional = new HashMap<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Handler> beforeHooks = new ArrayList<>();
    private final List<Handler> afterHooks = new ArrayList<>();
    private final Map<Class<? extends Throwable>, ErrorHandler<Throwable>> errorHandlers = new LinkedHashMap<>();
    private final Components components = new Components();
    private final List<Action> startActions = new ArrayList<>();
    private final List<Action> stopActions = new ArrayList<>();
    private final Dispatcher dispatcher;
    private final List<Api> mountedApps = new ArrayList<>();
    private final Map<Class<?>, Endpoint> classEndpoints = new HashMap<>();

    private volatile boolean prepared;
    private boolean running;
    private TemplateEngine templateEngine;

    /** Creates an app with every default. */
    public Api() {
        this(builder());
    }

    private Api(Builder builder) {
        this.templatesDir = builder.templatesDir == null ? null : Path.of(builder.templatesDir);
        this.trailing = builder.trailing;
        this.defaultRoute = builder.defaultRoute;
        this.maxUploadBytes = builder.maxUploadBytes;
        this.debug = builder.debug;
        this.router = new Router(trailing);
        this.dispatcher = new Dispatcher(this, router, beforeHooks, afterHooks, errorHandlers);
        if (builder.staticDir != null && builder.staticRoot != null) {
            String root = builder.staticRoot.endsWith("/") ? builder.staticRoot.substring(0, builder.staticRoot.length() - 1) : builder.staticRoot;
            route(root + "/{path:*rest}", StaticFiles.folder(builder.staticDir));
            if (builder.favicon != null) {
                route("/favicon.ico", StaticFiles.file(builder.staticDir, builder.favicon));
            }
        }
    }

    /** @return a builder for an app with non-default settings */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Routes a path pattern to a view class, created once when the app starts.
     *
     * @param pattern  for example {@code /users/{id:int}}
     * @param viewClass the view
     * @return this
     * @throws IllegalArgumentException naming the pattern if it is malformed or taken
     */
    public Api route(String pattern, Class<? extends View> viewClass) {
        return route(pattern, viewClass, Trailing.DEFAULT);
    }

    /**
     * Routes a path pattern to a view class with its own trailing-slash strategy.
     *
     * @param pattern   the path pattern
     * @param viewClass the view
     * @param trailing  what to do with a trailing slash
     * @return this
     */
    public Api route(String pattern, Class<? extends View> viewClass, Trailing trailing) {
        return addRoute(pattern, endpointFor(Objects.requireNonNull(viewClass, "viewClass")), trailing);
    }

    /**
     * Routes a path pattern to a view object.
     *
     * @param pattern the path pattern
     * @param view    the view
     * @return this
     */
    public Api route(String pattern, View view) {
        return route(pattern, view, Trailing.DEFAULT);
    }

    /**
     * Routes a path pattern to a view object with its own trailing-slash strategy.
     *
     * @param pattern  the path pattern
     * @param view     the view
     * @param trailing what to do with a trailing slash
     * @return this
     */
    public Api route(String pattern, View view, Trailing trailing) {
        return addRoute(pattern, Endpoint.of(Objects.requireNonNull(view, "view")), trailing);
    }

    /**
     * Registers views by their {@link Route} annotations.
     *
     * @param viewClasses the views
     * @return this
     * @throws IllegalArgumentException if a class has no {@code @Route}
     */
    @SafeVarargs
    public final Api add(Class<? extends View>... viewClasses) {
        for (Class<? extends View> viewClass : viewClasses) {
            Route[] routes = viewClass.getAnnotationsByType(Route.class);
            if (routes.length == 0) {
                throw new IllegalArgumentException(viewClass.getName() + " has no @Route; use api.route(pattern, view) instead");
            }
            Endpoint endpoint = endpointFor(viewClass);
            for (Route route : routes) {
                addRoute(route.value(), endpoint, route.trailing());
            }
        }
        return this;
    }

    /** @param pattern the path pattern @param handler answers GET (and HEAD) @return this */
    public Api get(String pattern, Handler handler) {
        return addHandler(HttpMethod.GET, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers POST @return this */
    public Api post(String pattern, Handler handler) {
        return addHandler(HttpMethod.POST, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers PUT @return this */
    public Api put(String pattern, Handler handler) {
        return addHandler(HttpMethod.PUT, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers PATCH @return this */
    public Api patch(String pattern, Handler handler) {
        return addHandler(HttpMethod.PATCH, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers DELETE @return this */
    public Api delete(String pattern, Handler handler) {
        return addHandler(HttpMethod.DELETE, pattern, handler);
    }

    /**
     * Registers a path converter, for patterns such as {@code {m:month}}; register it before the
     * routes that use it.
     *
     * @param name      the name used in patterns
     * @param converter the converter
     * @return this
     */
    public Api converter(String name, Converter<?> converter) {
        requireNotStarted();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("converter name '" + name + "' is not an identifier");
        }
        converters.put(name, Objects.requireNonNull(converter, "converter"));
        return this;
    }

    /**
     * Returns the path of a view's first route.
     *
     * @param viewClass a registered view
     * @return its path
     * @throws IllegalArgumentException if the view is not registered or its route needs parameters
     */
    public String urlFor(Class<? extends View> viewClass) {
        return urlFor(viewClass, Map.of());
    }

    /**
     * Returns the path of a view's first route with parameters filled in, percent-encoded.
     *
     * @param viewClass a registered view
     * @param params    the route's parameters
     * @return its path
     * @throws IllegalArgumentException if the view is not registered, or a parameter is missing
     *                                  or does not fit its converter
     */
    public String urlFor(Class<? extends View> viewClass, Map<String, ?> params) {
        RoutePattern pattern = routesByView.get(viewClass);
        if (pattern == null) {
            throw new IllegalArgumentException("view " + viewClass.getName() + " has no route");
        }
        return pattern.build(params);
    }

    /**
     * Returns the path of a view's first route, the view named by its class's simple or full
     * name: the form templates use, as {@code {{ api.urlFor('Index') }}}.
     *
     * @param viewName for example {@code "Index"} or {@code "com.example.Index"}
     * @param params   the route's parameters
     * @return its path
     * @throws IllegalArgumentException if no registered view, or several, have that name
     */
    public String urlFor(String viewName, Map<String, ?> params) {
        List<Class<?>> named = routesByView.keySet().stream()
                .filter(view -> view.getName().equals(viewName) || view.getSimpleName().equals(viewName))
                .toList();
        if (named.size() != 1) {
            throw new IllegalArgumentException(named.isEmpty() ? "no view named '" + viewName + "' has a route"
                    : "several views are named '" + viewName + "': " + named + "; use the full class name");
        }
        return routesByView.get(named.getFirst()).build(params);
    }

    /**
     * Returns the path of a view's first route, by name; see {@link #urlFor(String, Map)}.
     *
     * @param viewName the view class's simple or full name
     * @return its path
     */
    public String urlFor(String viewName) {
        return urlFor(viewName, Map.of());
    }

    /**
     * Registers an error handler for an exception type and its subclasses; the handler of the
     * most specific registered superclass of a thrown exception runs.
     *
     * @param type    the exception type
     * @param handler fills in the response
     * @param <E>     the exception type
     * @return this
     */
    @SuppressWarnings("unchecked")
    public <E extends Throwable> Api handle(Class<E> type, ErrorHandler<? super E> handler) {
        requireNotStarted();
        errorHandlers.put(type, (ErrorHandler<Throwable>) (ErrorHandler<?>) handler);
        return this;
    }

    /**
     * Registers a blueprint's routes, hooks, error handlers and callbacks under a prefix.
     *
     * @param prefix    for example {@code /images}; the blueprint's {@code /} is served there
     * @param blueprint the blueprint
     * @return this
     * @throws IllegalArgumentException naming the pattern if a route is malformed or taken
     */
    public Api addBlueprint(String prefix, Blueprint blueprint) {
        requireNotStarted();
        addBlueprint(Prefixes.normalize(prefix), Objects.requireNonNull(blueprint, "blueprint"), null);
        return this;
    }

    private void addBlueprint(String prefix, Blueprint blueprint, Scope parent) {
        Scope scope = new Scope(parent, List.copyOf(blueprint.beforeHooks), List.copyOf(blueprint.afterHooks),
                Map.copyOf(blueprint.errorHandlers));
        for (Blueprint.RouteRegistration route : blueprint.routes) {
            String pattern = Prefixes.join(prefix, route.pattern());
            switch (route.target()) {
                case Handler handler when route.method() != null -> addHandler(route.method(), pattern, handler, scope);
                case View view -> addRoute(pattern, Endpoint.of(view), route.trailing(), scope);
                case Class<?> viewClass -> addRoute(pattern, endpointFor(viewClass), route.trailing(), scope);
                default -> throw new IllegalStateException("unknown route target " + route.target());
            }
        }
        startActions.addAll(blueprint.startActions);
        stopActions.addAll(blueprint.stopActions);
        for (Blueprint.Nested child : blueprint.children) {
            addBlueprint(prefix + child.prefix(), child.blueprint(), scope);
        }
    }

    /**
     * Mounts any SPI handler, another {@code Api} included, under a prefix: requests to the
     * prefix and below go to it, with the prefix stripped from the path it sees and given in the
     * {@code X-Forwarded-Prefix} header. A mounted {@code Api} starts and stops with this one.
     *
     * @param prefix  for example {@code /legacy}
     * @param handler the handler
     * @return this
     */
    public Api mount(String prefix, HttpHandler handler) {
        requireNotStarted();
        String normalized = Prefixes.normalize(prefix);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("mount a handler under a prefix, not at '/'");
        }
        if (handler == this) {
            throw new IllegalArgumentException("an app cannot mount itself");
        }
        dispatcher.mount(normalized, Objects.requireNonNull(handler, "handler"));
        if (handler instanceof Api mounted) {
            mountedApps.add(mounted);
        }
        return this;
    }

    /** @param hook runs before every view, in registration order @return this */
    public Api beforeRequest(Handler hook) {
        requireNotStarted();
        beforeHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /** @param hook runs after every view and error handler, in registration order @return this */
    public Api afterRequest(Handler hook) {
        requireNotStarted();
        afterHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Registers a singleton component, created when the app starts; its constructor may take
     * other components.
     *
     * @param type the component class
     * @return this
     */
    public Api component(Class<?> type) {
        requireNotStarted();
        components.register(type);
        return this;
    }

    /**
     * Registers a ready component instance under its class.
     *
     * @param instance the component
     * @return this
     */
    public Api component(Object instance) {
        requireNotStarted();
        components.register(Objects.requireNonNull(instance, "instance"));
        return this;
    }

    /**
     * @param type a registered component class
     * @param <T>  its type
     * @return the component
     */
    public <T> T use(Class<T> type) {
        return components.use(type);
    }

    /** @param action runs when the app starts, after components start @return this */
    public Api onStart(Action action) {
        requireNotStarted();
        startActions.add(Objects.requireNonNull(action, "action"));
        return this;
    }

    /** @param action runs when the app stops, before components stop @return this */
    public Api onStop(Action action) {
        requireNotStarted();
        stopActions.add(Objects.requireNonNull(action, "action"));
        return this;
    }

    /**
     * Serves the app and blocks until the process is stopped (Ctrl+C or SIGTERM stop it
     * gracefully). Listens on 127.0.0.1, port {@code $PORT} or 8000, with the backend on the
     * classpath (or the one named by {@code -Dsequin.backend}).
     *
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IOException          if the server cannot start
     */
    public void serve() throws IOException, InterruptedException {
        String port = System.getenv("PORT");
        Server server = start(ServerOptions.port(port == null || port.isBlank() ? 8000 : Integer.parseInt(port.trim())));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sequin-shutdown"));
        stopped.await();
    }

    /**
     * Starts the app on the backend found on the classpath and returns once it listens.
     *
     * @param options where to listen; {@link ServerOptions#backend()} or
     *                {@code -Dsequin.backend} picks among several backends
     * @return the running server; {@code close()} stops it gracefully, then the app
     * @throws IOException if the server cannot start
     * @throws IllegalStateException if no backend, or several without a choice, are found
     */
    public Server start(ServerOptions options) throws IOException {
        return start(Backends.choose(options.backend()), options);
    }

    /**
     * Starts the app on a given backend and returns once it listens.
     *
     * @param backend the backend
     * @param options where to listen
     * @return the running server; {@code close()} stops it gracefully, then the app
     * @throws IOException if the server cannot start
     */
    public Server start(Backend backend, ServerOptions options) throws IOException {
        startApp();
        Server server;
        try {
            server = backend.start(this, options);
        } catch (IOException | RuntimeException e) {
            stopApp();
            throw e;
        }
        System.out.println("Sequin serving on http://" + options.host() + ":" + server.port() + " (" + backend.name() + ")");
        return new AppServer(server);
    }

    /**
     * Starts the app in memory, for tests: no socket, same behaviour. Closing the client stops
     * the app.
     *
     * @return the client
     */
    public TestClient client() {
        return new TestClient(this);
    }

    /** Serves one exchange: the SPI entry point, called by backends and by mounting apps. */
    @Override
    public void handle(ServerRequest request, ServerResponse response) throws Exception {
        if (!prepared) {
            prepare();
        }
        dispatcher.dispatch(request, response);
    }

    /**
     * Answers backends: {@code true} when the request may be served on the server's I/O thread,
     * because it has no body, is not an upgrade, and its route's view is {@link NonBlocking}.
     */
    @Override
    public boolean isNonBlocking(ServerRequest request) {
        if (!prepared) {
            prepare();
        }
        return dispatcher.isNonBlocking(request);
    }

    /** Creates components and views, once; later registration fails. */
    synchronized void prepare() {
        if (prepared) {
            return;
        }
        components.createAll();
        for (Endpoint endpoint : endpoints) {
            endpoint.resolve(components::instantiate);
        }
        prepared = true;
    }

    /**
     * Starts the app without a server: creates components and views, starts {@link Lifecycle}
     * components (dependencies first), then runs the start actions. {@link #start} and
     * {@link #client()} call it; call it yourself when you embed the app in a server through a
     * backend's adapter, before that server accepts requests, and {@link #stopApp()} after it stops.
     *
     * @throws IllegalStateException if the app is running, or a component or action fails to start
     */
    public synchronized void startApp() {
        if (running) {
            throw new IllegalStateException("this app is already running");
        }
        prepare();
        List<Lifecycle> started = new ArrayList<>();
        List<Api> startedApps = new ArrayList<>();
        try {
            for (Object component : components.inCreationOrder()) {
                if (component instanceof Lifecycle lifecycle) {
                    lifecycle.start();
                    started.add(lifecycle);
                }
            }
            for (Action action : startActions) {
                action.run();
            }
            for (Api mounted : mountedApps) {
                mounted.startApp();
                startedApps.add(mounted);
            }
        } catch (Exception e) {
            startedApps.reversed().forEach(Api::stopApp);
            stopAll(started);
            throw new IllegalStateException("the app failed to start: " + e, e);
        }
        running = true;
    }

    /**
     * Stops the app: runs the stop actions, then stops components in reverse order, logging
     * failures. The counterpart of {@link #startApp()}.
     */
    public synchronized void stopApp() {
        mountedApps.reversed().forEach(Api::stopApp);
        for (Action action : stopActions) {
            try {
                action.run();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "an onStop action failed", e);
            }
        }
        List<Lifecycle> lifecycles = new ArrayList<>();
        for (Object component : components.inCreationOrder()) {
            if (component instanceof Lifecycle lifecycle) {
                lifecycles.add(lifecycle);
            }
        }
        stopAll(lifecycles);
        running = false;
    }

    private static void stopAll(List<Lifecycle> started) {
        for (Lifecycle lifecycle : started.reversed()) {
            try {
                lifecycle.stop();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "stopping " + lifecycle.getClass().getName() + " failed", e);
            }
        }
    }

    String render(String name, Map<String, ?> variables) throws IOException {
        if (templatesDir == null) {
            throw new IllegalStateException("templates are disabled: set Api.builder().templatesDir(...)");
        }
        Map<String, Object> all = new HashMap<>();
        all.put("api", this);
        all.putAll(variables);
        try {
            return templateEngine().render(templatesDir, name, all);
        } catch (NoSuchFileException e) {
            throw new HttpError(404, "Template not found: " + name);
        }
    }

    private synchronized TemplateEngine templateEngine() {
        if (templateEngine == null) {
            Optional<TemplateEngine> found = ServiceLoader.load(TemplateEngine.class).findFirst();
            templateEngine = found.orElseThrow(() -> new IllegalStateException(
                    "loadTemplate needs a template engine: add the dependency dev.sequin:sequin-templates-jinjava"));
        }
        return templateEngine;
    }

    long maxUploadBytes() {
        return maxUploadBytes;
    }

    boolean debug() {
        return debug;
    }

    String defaultRoute() {
        return defaultRoute;
    }

    private Api addRoute(String pattern, Endpoint endpoint, Trailing trailing) {
        return addRoute(pattern, endpoint, trailing, null);
    }

    private Api addRoute(String pattern, Endpoint endpoint, Trailing trailing, Scope scope) {
        requireNotStarted();
        RoutePattern parsed = RoutePattern.parse(pattern, converters);
        router.add(new RouteEntry(parsed, Objects.requireNonNull(trailing, "trailing"), endpoint, scope));
        if (!endpoints.contains(endpoint)) {
            endpoints.add(endpoint);
        }
        if (endpoint.viewClass() != null) {
            routesByView.putIfAbsent(endpoint.viewClass(), parsed);
        }
        return this;
    }

    private Api addHandler(HttpMethod method, String pattern, Handler handler) {
        return addHandler(method, pattern, handler, null);
    }

    private Api addHandler(HttpMethod method, String pattern, Handler handler, Scope scope) {
        Objects.requireNonNull(handler, "handler");
        Endpoint endpoint = functional.get(pattern);
        if (endpoint == null) {
            endpoint = Endpoint.functional();
            addRoute(pattern, endpoint, Trailing.DEFAULT, scope);
            functional.put(pattern, endpoint);
        }
        endpoint.add(method, handler, pattern);
        return this;
    }

    /** @return the endpoint of a view class: one per class, so the view is created once per app */
    @SuppressWarnings("unchecked")
    private Endpoint endpointFor(Class<?> viewClass) {
        if (!View.class.isAssignableFrom(viewClass)) {
            throw new IllegalArgumentException(viewClass.getName() + " does not implement dev.sequin.View");
        }
        return classEndpoints.computeIfAbsent(viewClass, type -> Endpoint.of((Class<? extends View>) type));
    }

    private void requireNotStarted() {
        if (prepared) {
            throw new IllegalStateException("the app has started serving: register routes, hooks and components before");
        }
    }

    /**
     * The server returned by {@link #start}: closing it stops the server, then the app. The
     * server stops outside the app's lock, which requests still in flight may need.
     */
    private final class AppServer implements Server {
        private final Server server;
        private boolean closed;

        AppServer(Server server) {
            this.server = server;
        }

        @Override
        public int port() {
            return server.port();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            server.close();
            synchronized (Api.this) {
                if (running) {
                    stopApp();
                }
            }
        }
    }

    /**
     * Settings of an {@link Api}.
     *
     * <pre>{@code
     * Api api = Api.builder().templatesDir("templates/here").debug(true).build();
     * }</pre>
     */
    public static final class Builder {
        private String templatesDir = "templates";
        private String staticDir = "static";
        private String staticRoot = "/static";
        private String favicon;
        private Trailing trailing = Trailing.NO_SLASH;
        private String defaultRoute;
        private long maxUploadBytes = 10L * 1024 * 1024;
        private boolean debug;

        private Builder() {
        }

        /** @param dir where templates are loaded from; {@code null} disables templates @return this */
        public Builder templatesDir(String dir) {
            this.templatesDir = dir;
            return this;
        }

        /** @param dir the folder static files are served from; default {@code static}; {@code null} disables @return this */
        public Builder staticDir(String dir) {
            this.staticDir = dir;
            return this;
        }

        /** @param root the path static files are served under; default {@code /static}; {@code null} disables @return this */
        public Builder staticRoot(String root) {
            if (root != null && !root.startsWith("/")) {
                throw new IllegalArgumentException("staticRoot must start with '/', not '" + root + "'");
            }
            this.staticRoot = root;
            return this;
        }

        /** @param file a file in the static folder served at {@code /favicon.ico} @return this */
        public Builder favicon(String file) {
            this.favicon = file;
            return this;
        }

        /** @param trailing the app's trailing-slash strategy; default {@link Trailing#NO_SLASH} @return this */
        public Builder routing(Trailing trailing) {
            if (trailing == null || trailing == Trailing.DEFAULT) {
                throw new IllegalArgumentException("the app's trailing-slash strategy must be NO_SLASH, SLASH, STRICT or CLONE");
            }
            this.trailing = trailing;
            return this;
        }

        /** @param path a registered path served instead of 404 when nothing matches @return this */
        public Builder defaultRoute(String path) {
            this.defaultRoute = path;
            return this;
        }

        /** @param bytes the largest request body accepted; default 10 MiB @return this */
        public Builder maxUploadBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxUploadBytes must not be negative");
            }
            this.maxUploadBytes = bytes;
            return this;
        }

        /** @param debug whether error responses show stack traces; never in production @return this */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** @return the app */
        public Api build() {
            return new Api(this);
        }
    }
}
