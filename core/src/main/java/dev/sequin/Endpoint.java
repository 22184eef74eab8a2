package dev.sequin;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * What serves a route: a view, with the methods it allows worked out once, at registration.
 * The view itself may be created later, when the app starts, so that its constructor can take
 * components registered after the route.
 */
final class Endpoint {

    private final Class<?> viewClass;
    private final Set<HttpMethod> declared;
    private final Map<HttpMethod, Handler> handlers;
    private final boolean websocket;
    private final boolean nonBlocking;
    private Set<HttpMethod> allowed;
    private String allowHeader;
    private View view;

    private Endpoint(Class<?> viewClass, View view, Set<HttpMethod> declared, Map<HttpMethod, Handler> handlers) {
        this.viewClass = viewClass;
        this.view = view;
        this.declared = declared;
        this.handlers = handlers;
        this.websocket = viewClass != null && ViewMethods.acceptsWebSocket(viewClass);
        this.nonBlocking = viewClass != null && viewClass.isAnnotationPresent(NonBlocking.class);
        if (websocket && nonBlocking) {
            throw new IllegalArgumentException(viewClass.getName() + " is @NonBlocking but accepts WebSockets, and onWs "
                    + "blocks by nature: remove one of them");
        }
    }

    /** An endpoint for a view class, created by {@link #resolve} when the app starts. */
    static Endpoint of(Class<? extends View> viewClass) {
        return new Endpoint(viewClass, null, ViewMethods.declared(viewClass), null);
    }

    /** An endpoint for a view object. */
    static Endpoint of(View view) {
        return new Endpoint(view.getClass(), view, ViewMethods.declared(view.getClass()), null);
    }

    /** An endpoint for functional handlers, filled in by {@link #add}. */
    static Endpoint functional() {
        Map<HttpMethod, Handler> handlers = new EnumMap<>(HttpMethod.class);
        return new Endpoint(null, new FunctionalView(handlers), handlers.keySet(), handlers);
    }

    /**
     * Adds the handler of one method to a functional endpoint.
     *
     * @throws IllegalArgumentException if the method already has one
     */
    void add(HttpMethod method, Handler handler, String pattern) {
        if (handlers.putIfAbsent(method, handler) != null) {
            throw new IllegalArgumentException("route '" + pattern + "' already has a " + method + " handler");
        }
    }

    /** @return whether the view is marked {@link NonBlocking} */
    boolean nonBlocking() {
        return nonBlocking;
    }

    /** @return the view class, or {@code null} for functional handlers */
    Class<?> viewClass() {
        return viewClass;
    }

    /** Creates the view if it was registered as a class, and fixes the methods it allows. */
    void resolve(Function<Class<?>, Object> instantiate) {
        if (view == null) {
            view = (View) instantiate.apply(viewClass);
        }
        Set<HttpMethod> methods = EnumSet.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
        methods.addAll(declared);
        StringJoiner allow = new StringJoiner(", ");
        for (HttpMethod method : HttpMethod.values()) {
            if (methods.contains(method)) {
                allow.add(method.name());
            }
        }
        allowed = methods;
        allowHeader = allow.toString();
    }

    /**
     * Runs the view's {@code onWs}.
     *
     * @throws HttpError 403 if the view does not accept WebSocket connections
     */
    void serveWebSocket(WebSocket ws) throws Exception {
        if (!websocket) {
            throw new HttpError(403, "This route does not accept WebSocket connections");
        }
        view.onWs(ws);
    }

    /**
     * Runs {@code onRequest} then the method's {@code onX}, or answers 405 or an automatic
     * OPTIONS.
     */
    void serve(HttpMethod method, Request req, Response resp) throws Exception {
        if (!allowed.contains(method)) {
            resp.setHeader("Allow", allowHeader);
            throw new HttpError(405, "Method Not Allowed");
        }
        view.onRequest(req, resp);
        switch (method) {
            case GET -> view.onGet(req, resp);
            case HEAD -> {
                if (declared.contains(HttpMethod.HEAD)) {
                    view.onHead(req, resp);
                } else {
                    view.onGet(req, resp);
                }
            }
            case POST -> view.onPost(req, resp);
            case PUT -> view.onPut(req, resp);
            case PATCH -> view.onPatch(req, resp);
            case DELETE -> view.onDelete(req, resp);
            case OPTIONS -> {
                if (declared.contains(HttpMethod.OPTIONS)) {
                    view.onOptions(req, resp);
                } else {
                    resp.setStatus(204).setHeader("Allow", allowHeader);
                }
            }
        }
    }

    /** The view behind {@code api.get(path, handler)} and friends. */
    private record FunctionalView(Map<HttpMethod, Handler> handlers) implements View {
        @Override
        public void onGet(Request req, Response resp) throws Exception {
            run(HttpMethod.GET, req, resp);
        }

        @Override
        public void onHead(Request req, Response resp) throws Exception {
            run(HttpMethod.HEAD, req, resp);
        }

        @Override
        public void onPost(Request req, Response resp) throws Exception {
            run(HttpMethod.POST, req, resp);
        }

        @Override
        public void onPut(Request req, Response resp) throws Exception {
            run(HttpMethod.PUT, req, resp);
        }

        @Override
        public void onPatch(Request req, Response resp) throws Exception {
            run(HttpMethod.PATCH, req, resp);
        }

        @Override
        public void onDelete(Request req, Response resp) throws Exception {
            run(HttpMethod.DELETE, req, resp);
        }

        @Override
        public void onOptions(Request req, Response resp) throws Exception {
            run(HttpMethod.OPTIONS, req, resp);
        }

        private void run(HttpMethod method, Request req, Response resp) throws Exception {
            Handler handler = handlers.get(method);
            if (handler != null) {
                handler.handle(req, resp);
            }
        }
    }
}
