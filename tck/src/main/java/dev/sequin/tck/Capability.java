package dev.sequin.tck;

/**
 * What a run of the TCK can check beyond the HTTP/1.1 core every backend must serve. A backend
 * declares its capabilities by overriding {@link BackendTck#capabilities()} (a remote run by
 * {@link RemoteTck#capabilities()}); a case names what it needs with {@link Requires}, and the
 * cases that need one the run lacks are reported as skipped with the capability named, never
 * silently dropped, and counted as not applicable in the {@link TckReport}.
 *
 * <pre>{@code
 * @Override
 * public Set<Capability> capabilities() {
 *     return EnumSet.complementOf(EnumSet.of(Capability.WEBSOCKET));
 * }
 * }</pre>
 */
public enum Capability {
    /** WebSocket upgrades through {@code ServerResponse.upgradeToWebSocket}. */
    WEBSOCKET,
    /**
     * The limits and timeouts of {@code ServerOptions} (414, 431, 503, slow clients), and refusal
     * of ambiguous or malformed framing (request smuggling): what a production backend must do,
     * and a minimal one may not.
     */
    LIMITS,
    /**
     * The test runs in the JVM that serves the app: cases that watch the server's inside through
     * {@link Probes}, or that start their own servers with other options. Every
     * {@link BackendTck} has it; a {@link RemoteTck} never does.
     */
    IN_PROCESS,
    /**
     * The app is reached over a real connection: cases that write raw bytes, watch a response
     * arrive while the server is still writing it, or start servers of their own. Every backend
     * and every remote run has it; the in-memory {@code TestClient} does not.
     */
    SOCKET,
    /**
     * The backend asks {@code HttpHandler.isNonBlocking} and serves such a request on its own
     * thread instead of a virtual one (the opt-in non-blocking mode of {@code @NonBlocking}
     * views). Without it those views still work, on virtual threads; the cases that tell the
     * threads apart are not applicable.
     */
    NON_BLOCKING
}
