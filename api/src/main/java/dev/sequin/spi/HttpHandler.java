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
 * <p>The one exception is opt-in: when {@link #isNonBlocking} answers {@code true} for a
 * request, the backend calls {@code handle} directly on the I/O thread that parsed it, and the
 * handler promises not to block. See {@link #isNonBlocking} for what the backend owes it then.
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

    /**
     * Whether the backend may call {@link #handle} for this request on its I/O thread instead of
     * a virtual thread. A backend asks at most once per request, on the I/O thread, after the
     * request head is parsed and before it dispatches (it may skip asking for a request with a
     * body); the answer must come quickly and without blocking.
     * Sequin's core answers {@code true} only for a request without a body (no
     * {@code Transfer-Encoding}, no {@code Content-Length} other than {@code 0}), that is not an
     * upgrade, and whose route is marked non-blocking.
     *
     * <p>When the answer is {@code true} the backend calls {@code handle} synchronously on that
     * I/O thread, and everything else in the contract holds (status, headers, {@code HEAD},
     * {@code Content-Length}, errors, keep-alive), with one difference: {@link BodySink#write}
     * must never block. The backend keeps what is written in memory and sends it without
     * blocking once the sink is closed or {@code handle} returns; {@link BodySink#flush()} does
     * not wait either. A backend that ignores this method and always uses a virtual thread is
     * correct but slower; the TCK's non-blocking contract tells the two apart.
     *
     * <pre>{@code
     * if (handler.isNonBlocking(request)) {
     *     handler.handle(request, bufferedResponse);      // on the I/O thread, returns at once
     * } else {
     *     Thread.startVirtualThread(() -> handler.handle(request, response));
     * }
     * }</pre>
     *
     * @param request the request whose head was just parsed
     * @return {@code true} if {@code handle} may run on the I/O thread for this request
     */
    default boolean isNonBlocking(ServerRequest request) {
        return false;
    }
}
