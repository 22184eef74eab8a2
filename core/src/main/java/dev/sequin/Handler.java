package dev.sequin;

/**
 * A function that handles a request: the body of a functional route ({@link Api#get}) or a hook
 * ({@link Api#beforeRequest}, {@link Api#afterRequest}).
 *
 * <pre>{@code
 * api.get("/hi", (req, resp) -> resp.setText("hi"));
 * api.afterRequest((req, resp) -> resp.setHeader("X-postprocess", "done"));
 * }</pre>
 */
@FunctionalInterface
public interface Handler {

    /**
     * Handles the request by filling in the response.
     *
     * @param req  the request
     * @param resp the response
     * @throws Exception to fail the request; error handlers decide what the client sees
     */
    void handle(Request req, Response resp) throws Exception;
}
