package dev.sequin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a view whose code never blocks, so the server may run it on its I/O thread instead of
 * handing the request to a virtual thread: the fastest way to answer small, computed responses.
 *
 * <p>A request to such a view runs on the I/O thread when it has no body and is not an upgrade;
 * any other request to it still runs on a virtual thread. The rules, for the view and for the
 * hooks, scopes and error handlers that run with it:
 * <ul>
 *   <li>no blocking call: no database or HTTP client, no file reads, no {@code sleep}, no
 *       waiting on a lock, queue or future; the whole server stalls while the view waits;</li>
 *   <li>no {@link Response#streaming}, {@link Response#events} or WebSocket: they block by nature,
 *       so they fail with an {@code IllegalStateException} (a logged {@code 500});</li>
 *   <li>set the whole body at once ({@code setText}, {@code setJson}, {@code json()},
 *       {@code setContent}, {@code loadTemplate}, a redirect).</li>
 * </ul>
 *
 * <p>The {@link TestClient} holds a non-blocking view to these rules: it runs it on a platform
 * thread of its own and fails the request with an {@code AssertionError} when the view sleeps,
 * parks or waits, or spends longer than its stall budget off the CPU.
 *
 * <pre>{@code
 * @NonBlocking
 * class Hello implements View {
 *     public void onGet(Request req, Response resp) { resp.setText("Hello, World!"); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NonBlocking {
}
