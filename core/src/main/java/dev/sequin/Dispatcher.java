package dev.sequin;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;
import dev.sequin.spi.ServerRequest;
import dev.sequin.spi.ServerResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs one request through the app: route lookup, hooks, the view, error handling, sending. The
 * path every request takes, so it does no reflection and allocates little.
 */
final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Api.class.getName());

    private final Api api;
    private final Router router;
    private final List<Handler> beforeHooks;
    private final List<Handler> afterHooks;
    private final Map<Class<? extends Throwable>, ErrorHandler<Throwable>> errorHandlers;
    private final List<Mount> mounts = new java.util.ArrayList<>();
    private final PathParts defaultRoute;

    /** A handler mounted under a prefix. */
    private record Mount(String prefix, HttpHandler handler) {
    }

    Dispatcher(Api api, Router router, List<Handler> beforeHooks, List<Handler> afterHooks,
               Map<Class<? extends Throwable>, ErrorHandler<Throwable>> errorHandlers) {
        this.api = api;
        this.router = router;
        this.beforeHooks = beforeHooks;
        this.afterHooks = afterHooks;
        this.errorHandlers = errorHandlers;
        this.defaultRoute = api.defaultRoute() == null ? null : PathParts.parse(api.defaultRoute());
    }

    /** Adds a mount; longer prefixes are tried first. */
    void mount(String prefix, HttpHandler handler) {
        for (Mount mount : mounts) {
            if (mount.prefix().equals(prefix)) {
                throw new IllegalArgumentException("'" + prefix + "' already has a mounted handler");
            }
        }
        mounts.add(new Mount(prefix, handler));
        mounts.sort(java.util.Comparator.comparingInt((Mount mount) -> mount.prefix().length()).reversed());
    }

    /**
     * Whether a request may run on the server's I/O thread: it has no body, is not an upgrade,
     * and its route's view is {@link NonBlocking}. Called by backends before they dispatch, so
     * an app without non-blocking views answers without a lookup.
     */
    boolean isNonBlocking(ServerRequest exchange) {
        Mount mount = mountFor(exchange);
        if (mount != null) {
            return mount.handler().isNonBlocking(new MountedRequest(exchange, mount.prefix()));
        }
        if (!router.hasNonBlocking() || hasBody(exchange) || isUpgrade(exchange) || HttpMethod.of(exchange.method()) == null) {
            return false;
        }
        PathParts parts;
        try {
            parts = PathParts.parse(exchange.rawPath());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return route(parts, exchange) instanceof Router.Found found && found.route().endpoint().nonBlocking();
    }

    /** @return the mount whose prefix the request's path is under (the longest), or {@code null} */
    private Mount mountFor(ServerRequest exchange) {
        for (Mount mount : mounts) {
            if (MountedRequest.under(exchange.rawPath(), mount.prefix())) {
                return mount;
            }
        }
        return null;
    }

    /** @return the request's route, or the default route's when none matches; {@code null} when neither does */
    private Router.Match route(PathParts parts, ServerRequest exchange) {
        Router.Match match = router.find(parts.segments(), parts.slashed(), exchange.rawPath(), exchange.rawQuery());
        if (match == null && defaultRoute != null) {
            match = router.find(defaultRoute.segments(), defaultRoute.slashed(), defaultRoute.path(), exchange.rawQuery());
        }
        return match;
    }

    private static boolean hasBody(ServerRequest exchange) {
        String length = exchange.header("Content-Length");
        return exchange.header("Transfer-Encoding") != null || (length != null && !length.equals("0"));
    }

    void dispatch(ServerRequest exchange, ServerResponse out) throws Exception {
        Mount mount = mountFor(exchange);
        if (mount != null) {
            mount.handler().handle(new MountedRequest(exchange, mount.prefix()), out);
            return;
        }
        HttpMethod method = HttpMethod.of(exchange.method());
        if (method == null) {
            sendPlain(out, 501, "Not Implemented");
            return;
        }
        PathParts parts;
        try {
            parts = PathParts.parse(exchange.rawPath());
        } catch (IllegalArgumentException e) {
            sendPlain(out, 400, "Bad Request: malformed path");
            return;
        }
        Router.Match match = route(parts, exchange);
        if (match instanceof Router.Redirect(String location)) {
            out.setStatus(308);
            out.headers().set("Location", MountedRequest.prefixOf(exchange) + location);
            out.open(0).close();
            return;
        }
        Router.Found found = (Router.Found) match;
        Request req = new Request(api, exchange, parts.path(), found == null ? Map.of() : found.params());
        Response resp = new Response(api, req, found != null && found.route().endpoint().nonBlocking());
        try {
            if (method == HttpMethod.GET && found != null && isUpgrade(exchange)) {
                runWebSocket(found, req, resp, out);
            } else {
                run(found, method, req, resp, out);
            }
        } finally {
            req.release();
        }
    }

    private void run(Router.Found found, HttpMethod method, Request req, Response resp, ServerResponse out) throws Exception {
        Scope scope = found == null ? null : found.route().scope();
        Exception failure = null;
        try {
            for (Handler hook : beforeHooks) {
                hook.handle(req, resp);
            }
            if (found == null) {
                throw new HttpError(404, "Not Found");
            }
            if (scope != null) {
                scope.before(req, resp);
            }
            found.route().endpoint().serve(method, req, resp);
        } catch (Exception e) {
            failure = e;
            recover(req, resp, e, scope);
        }
        try {
            if (scope != null) {
                scope.after(req, resp);
            }
            for (Handler hook : afterHooks) {
                hook.handle(req, resp);
            }
        } catch (Exception e) {
            failure = e;
            recover(req, resp, e, scope);
        }
        resp.send(out, method == HttpMethod.HEAD);
        if (failure != null && resp.reraise()) {
            throw failure;
        }
    }

    private static boolean isUpgrade(ServerRequest exchange) {
        String upgrade = exchange.header("Upgrade");
        return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
    }

    /**
     * Runs the hooks around {@code onWs}. Until the view accepts, failures are answered as HTTP;
     * after, they close the connection.
     */
    private void runWebSocket(Router.Found found, Request req, Response resp, ServerResponse out) throws Exception {
        Scope scope = found.route().scope();
        WebSocket ws = new WebSocket(req, resp, out);
        try {
            for (Handler hook : beforeHooks) {
                hook.handle(req, resp);
            }
            if (scope != null) {
                scope.before(req, resp);
            }
            found.route().endpoint().serveWebSocket(ws);
            if (!ws.accepted()) {
                throw new HttpError(403, "WebSocket connection refused");
            }
        } catch (WebSocketClosed closedByClient) {
            // the client left: a normal end
        } catch (Exception e) {
            if (!ws.accepted()) {
                recover(req, resp, e, scope);
                resp.send(out, false);
                return;
            }
            recoverWebSocket(req, ws, e, scope);
        }
        try {
            if (scope != null) {
                scope.after(req, resp);
            }
            for (Handler hook : afterHooks) {
                hook.handle(req, resp);
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "an after-request hook failed after WebSocket " + req.path(), e);
        }
        ws.finish(1000, "");
    }

    private void recoverWebSocket(Request req, WebSocket ws, Exception error, Scope scope) {
        ErrorHandler<Throwable> handler = scope == null ? null : scope.handlerFor(error.getClass());
        if (handler == null) {
            handler = ErrorHandlers.find(errorHandlers, error.getClass());
        }
        try {
            if (handler != null) {
                handler.onWsError(req, ws, error);
                return;
            }
        } catch (Exception failed) {
            failed.addSuppressed(error);
            error = failed;
        }
        if (error instanceof WebSocketError wsError) {
            ws.finish(wsError.code(), wsError.getMessage());
            return;
        }
        LOG.log(System.Logger.Level.ERROR, "WebSocket " + req.path() + " failed", error);
        ws.finish(1011, "Internal Error");
    }

    private void recover(Request req, Response resp, Exception error, Scope scope) {
        resp.resetForError();
        ErrorHandler<Throwable> handler = scope == null ? null : scope.handlerFor(error.getClass());
        if (handler == null) {
            handler = ErrorHandlers.find(errorHandlers, error.getClass());
        }
        if (handler != null) {
            try {
                handler.handle(req, resp, error);
                return;
            } catch (Exception failed) {
                failed.addSuppressed(error);
                resp.resetForError();
                fail(req, resp, failed);
                return;
            }
        }
        if (error instanceof HttpError httpError) {
            resp.setStatus(httpError.status()).setText(httpError.getMessage());
            return;
        }
        fail(req, resp, error);
    }

    private void fail(Request req, Response resp, Exception error) {
        LOG.log(System.Logger.Level.ERROR, req.method() + " " + req.path() + " failed", error);
        String body = "Internal Server Error";
        if (api.debug()) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            body += "\n\n" + trace;
        }
        resp.setStatus(500).setText(body);
    }

    private static void sendPlain(ServerResponse out, int status, String text) throws java.io.IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        out.setStatus(status);
        out.headers().set("Content-Type", Response.PLAIN_TEXT);
        try (BodySink sink = out.open(body.length)) {
            sink.write(body);
        }
    }
}
