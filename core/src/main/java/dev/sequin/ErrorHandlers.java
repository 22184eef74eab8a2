package dev.sequin;

import java.util.Map;

/** Finds the error handler of the most specific registered superclass of an exception type. */
final class ErrorHandlers {

    private ErrorHandlers() {
    }

    static ErrorHandler<Throwable> find(Map<Class<? extends Throwable>, ErrorHandler<Throwable>> handlers, Class<?> type) {
        if (handlers.isEmpty()) {
            return null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            ErrorHandler<Throwable> handler = handlers.get(c);
            if (handler != null) {
                return handler;
            }
        }
        return null;
    }
}
