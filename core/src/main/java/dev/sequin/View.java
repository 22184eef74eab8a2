package dev.sequin;

/**
 * A class-based view: one object per route, with a method per HTTP method. Every method is
 * optional; a view overrides those it answers.
 *
 * <p>Safe methods (GET, HEAD, OPTIONS) are always allowed. An unsafe method (POST, PUT, PATCH,
 * DELETE) is allowed when the view overrides its {@code onX} method or names it in
 * {@link AllowedMethods}; otherwise the client gets {@code 405} with an {@code Allow} header.
 * {@code HEAD} without {@code onHead} runs {@code onGet} and sends no body; {@code OPTIONS}
 * without {@code onOptions} answers {@code 204} with {@code Allow}.
 *
 * <p>Order: before-request hooks, {@link #onRequest}, {@code onX}, after-request hooks. A
 * WebSocket upgrade runs the hooks around {@link #onWs} instead. Sequin
 * creates one instance per {@link Api} (its constructor may take registered components), and
 * calls it from many threads at once: views must be thread-safe, like servlets.
 *
 * <pre>{@code
 * @Route("/hello/{name}")
 * public class Hello implements View {
 *     @Override
 *     public void onGet(Request req, Response resp) {
 *         resp.setText("Hello, " + req.param("name") + "!");
 *     }
 * }
 * }</pre>
 */
public interface View {

    /** Runs first, whatever the method. @param req the request @param resp the response @throws Exception to fail the request */
    default void onRequest(Request req, Response resp) throws Exception {
    }

    /** Answers GET (and HEAD, unless {@link #onHead} is overridden). @param req the request @param resp the response @throws Exception to fail the request */
    default void onGet(Request req, Response resp) throws Exception {
    }

    /** Answers HEAD; by default {@link #onGet} runs and no body is sent. @param req the request @param resp the response @throws Exception to fail the request */
    default void onHead(Request req, Response resp) throws Exception {
    }

    /** Answers POST. @param req the request @param resp the response @throws Exception to fail the request */
    default void onPost(Request req, Response resp) throws Exception {
    }

    /** Answers PUT. @param req the request @param resp the response @throws Exception to fail the request */
    default void onPut(Request req, Response resp) throws Exception {
    }

    /** Answers PATCH. @param req the request @param resp the response @throws Exception to fail the request */
    default void onPatch(Request req, Response resp) throws Exception {
    }

    /** Answers DELETE. @param req the request @param resp the response @throws Exception to fail the request */
    default void onDelete(Request req, Response resp) throws Exception {
    }

    /** Answers OPTIONS; by default {@code 204} with {@code Allow}. @param req the request @param resp the response @throws Exception to fail the request */
    default void onOptions(Request req, Response resp) throws Exception {
    }

    /**
     * Answers a WebSocket upgrade on this route: call {@link WebSocket#accept()}, then send and
     * receive. A view that does not override it refuses upgrades with {@code 403}.
     *
     * @param ws the connection, not yet accepted
     * @throws Exception to close the connection: {@link WebSocketError}'s code, else {@code 1011}
     */
    default void onWs(WebSocket ws) throws Exception {
    }
}
