package dev.sequin;

import java.util.List;
import java.util.Map;

/**
 * The hooks and error handlers of a blueprint, for the routes it registered; nested blueprints
 * point to their parent's scope.
 */
record Scope(Scope parent, List<Handler> beforeHooks, List<Handler> afterHooks,
             Map<Class<? extends Throwable>, ErrorHandler<Throwable>> errorHandlers) {

    /** Runs the before-hooks, the outermost blueprint's first. */
    void before(Request req, Response resp) throws Exception {
        if (parent != null) {
            parent.before(req, resp);
        }
        for (Handler hook : beforeHooks) {
            hook.handle(req, resp);
        }
    }

    /** Runs the after-hooks, the innermost blueprint's first. */
    void after(Request req, Response resp) throws Exception {
        for (Handler hook : afterHooks) {
            hook.handle(req, resp);
        }
        if (parent != null) {
            parent.after(req, resp);
        }
    }

    /** @return the handler of the innermost scope that has one for the type, or {@code null} */
    ErrorHandler<Throwable> handlerFor(Class<?> type) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            ErrorHandler<Throwable> handler = ErrorHandlers.find(scope.errorHandlers, type);
            if (handler != null) {
                return handler;
            }
        }
        return null;
    }
}
