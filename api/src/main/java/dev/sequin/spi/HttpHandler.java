package dev.sequin.spi;

/**
 * Handles one HTTP exchange: the single method between a server backend and what it serves.
 *
 * <p>Threading: a backend calls {@code handle} on a virtual thread dedicated to this request,
 * never on a server I/O thread, so the handler may block (read the body, write a streamed
 * response, call a database). The call must not return before the response is complete: when
 * it returns, the backend closes the body sink if it is open, or, if the handler never opened
 * one, sends the status and headers it set with an empty body.
 *
 * <p>Errors: if {@code handle} throws before the response is committed, the backend answers
 * {@code 500} with a generic body; if it throws after commit, the backend aborts the connection
 * (the client sees a truncated response rather than a second one).
 *
 * <pre>{@code
 * HttpHandler hello = (req, resp) -> {
 *     resp.headers().set("Content-Type", "text/plain; charset=utf-8");
 *     try (BodySink body = resp.open(5)) {
 *         body.write("hello");
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles the exchange, blocking as needed, and returns once the response is complete.
     *
     * @param request  the request as the server parsed it
     * @param response the response to fill in
     * @throws Exception anything; see the class documentation for what the backend does with it
     */
    void handle(ServerRequest request, ServerResponse response) throws Exception;
}
