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
}
