package dev.sequin;

/**
 * Turns an exception into a response. Registered with {@link Api#handle}; the handler of the most
 * specific registered superclass of the thrown exception runs, with the response body cleared
 * and the status preset to 500.
 *
 * <pre>{@code
 * api.handle(IllegalArgumentException.class, (req, resp, e) -> resp.setStatus(400).setText("Invalid"));
 * }</pre>
 *
 * @param <E> the exception type handled
 */
@FunctionalInterface
public interface ErrorHandler<E extends Throwable> {

    /**
     * Fills in the response for an exception.
     *
     * @param req   the request that failed
     * @param resp  the response, its body cleared and status 500
     * @param error the exception
     * @throws Exception if handling fails too; the client then gets a generic 500
     */
    void handle(Request req, Response resp, E error) throws Exception;

    /**
     * Handles an exception thrown by {@link View#onWs} after the connection was accepted; by
     * default closes it with the {@link WebSocketError}'s code and reason, else {@code 1011}.
     *
     * @param req   the request that opened the connection
     * @param ws    the open connection: the handler may still send, and should close it
     * @param error the exception
     * @throws Exception if handling fails too; the connection is then closed with {@code 1011}
     */
    default void onWsError(Request req, WebSocket ws, E error) throws Exception {
        if (error instanceof WebSocketError wsError) {
            ws.close(wsError.code(), wsError.getMessage());
        } else {
            ws.close(1011, "Internal Error");
        }
    }
}
