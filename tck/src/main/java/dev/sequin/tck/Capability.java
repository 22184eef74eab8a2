package dev.sequin.tck;

/**
 * What a run of the TCK can check beyond the HTTP/1.1 core every backend must serve. A backend
 * declares its capabilities by overriding {@link BackendTck#capabilities()} (a remote run by
 * {@link RemoteTck#capabilities()}); the cases that need one it lacks are reported as skipped
 * with the capability named, never silently dropped.
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
    IN_PROCESS
}
