package dev.sequin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A part of an app, registered under a path prefix with {@link Api#addBlueprint}: routes, hooks,
 * error handlers and start/stop callbacks, with the registration methods of {@link Api}.
 * Blueprints nest. A blueprint's hooks run only for its own routes (after the app's before-hooks,
 * before the app's after-hooks), and its error handlers are tried before the app's.
 *
 * <pre>{@code
 * Blueprint images = new Blueprint();
 * images.route("/", Gallery.class);            // served at /images
 * images.route("/{tag}", Tag.class);           // served at /images/{tag}
 * images.beforeRequest((req, resp) -> resp.setHeader("Cache-Control", "max-age=60"));
 * api.addBlueprint("/images", images);
 * }</pre>
 */
public final class Blueprint {

    /** One route registration, replayed under the prefix. */
    record RouteRegistration(String pattern, Object target, Trailing trailing, HttpMethod method) {
    }

    /** A nested blueprint and its prefix. */
    record Nested(String prefix, Blueprint blueprint) {
    }

    final List<RouteRegistration> routes = new ArrayList<>();
    final List<Handler> beforeHooks = new ArrayList<>();
    final List<Handler> afterHooks = new ArrayList<>();
    final Map<Class<? extends Throwable>, ErrorHandler<Throwable>> errorHandlers = new LinkedHashMap<>();
    final List<Api.Action> startActions = new ArrayList<>();
    final List<Api.Action> stopActions = new ArrayList<>();
    final List<Nested> children = new ArrayList<>();

    /** Creates an empty blueprint. */
    public Blueprint() {
    }

    /** @param pattern the path pattern, under the prefix @param viewClass the view @return this */
    public Blueprint route(String pattern, Class<? extends View> viewClass) {
        return route(pattern, viewClass, Trailing.DEFAULT);
    }

    /** @param pattern the path pattern @param viewClass the view @param trailing the trailing-slash strategy @return this */
    public Blueprint route(String pattern, Class<? extends View> viewClass, Trailing trailing) {
        routes.add(new RouteRegistration(pattern, Objects.requireNonNull(viewClass, "viewClass"), trailing, null));
        return this;
    }

    /** @param pattern the path pattern @param view the view @return this */
    public Blueprint route(String pattern, View view) {
        return route(pattern, view, Trailing.DEFAULT);
    }

    /** @param pattern the path pattern @param view the view @param trailing the trailing-slash strategy @return this */
    public Blueprint route(String pattern, View view, Trailing trailing) {
        routes.add(new RouteRegistration(pattern, Objects.requireNonNull(view, "view"), trailing, null));
        return this;
    }

    /** @param viewClasses views with {@link Route} annotations @return this */
    @SafeVarargs
    public final Blueprint add(Class<? extends View>... viewClasses) {
        for (Class<? extends View> viewClass : viewClasses) {
            Route[] declared = viewClass.getAnnotationsByType(Route.class);
            if (declared.length == 0) {
                throw new IllegalArgumentException(viewClass.getName() + " has no @Route; use blueprint.route(pattern, view) instead");
            }
            for (Route route : declared) {
                route(route.value(), viewClass, route.trailing());
            }
        }
        return this;
    }

    /** @param pattern the path pattern @param handler answers GET (and HEAD) @return this */
    public Blueprint get(String pattern, Handler handler) {
        return handler(HttpMethod.GET, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers POST @return this */
    public Blueprint post(String pattern, Handler handler) {
        return handler(HttpMethod.POST, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers PUT @return this */
    public Blueprint put(String pattern, Handler handler) {
        return handler(HttpMethod.PUT, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers PATCH @return this */
    public Blueprint patch(String pattern, Handler handler) {
        return handler(HttpMethod.PATCH, pattern, handler);
    }

    /** @param pattern the path pattern @param handler answers DELETE @return this */
    public Blueprint delete(String pattern, Handler handler) {
        return handler(HttpMethod.DELETE, pattern, handler);
    }

    /** @param hook runs before this blueprint's views @return this */
    public Blueprint beforeRequest(Handler hook) {
        beforeHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /** @param hook runs after this blueprint's views @return this */
    public Blueprint afterRequest(Handler hook) {
        afterHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * @param type    the exception type
     * @param handler handles it for this blueprint's routes
     * @param <E>     the exception type
     * @return this
     */
    @SuppressWarnings("unchecked")
    public <E extends Throwable> Blueprint handle(Class<E> type, ErrorHandler<? super E> handler) {
        errorHandlers.put(type, (ErrorHandler<Throwable>) (ErrorHandler<?>) handler);
        return this;
    }

    /** @param action runs when the app starts @return this */
    public Blueprint onStart(Api.Action action) {
        startActions.add(Objects.requireNonNull(action, "action"));
        return this;
    }

    /** @param action runs when the app stops @return this */
    public Blueprint onStop(Api.Action action) {
        stopActions.add(Objects.requireNonNull(action, "action"));
        return this;
    }

    /** @param prefix where the nested blueprint goes, under this one's prefix @param blueprint the nested blueprint @return this */
    public Blueprint addBlueprint(String prefix, Blueprint blueprint) {
        children.add(new Nested(Prefixes.normalize(prefix), Objects.requireNonNull(blueprint, "blueprint")));
        return this;
    }

    private Blueprint handler(HttpMethod method, String pattern, Handler handler) {
        routes.add(new RouteRegistration(pattern, Objects.requireNonNull(handler, "handler"), Trailing.DEFAULT, method));
        return this;
    }
}
