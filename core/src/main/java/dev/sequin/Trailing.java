package dev.sequin;

/**
 * What a route does with a trailing slash, globally ({@link Api.Builder#routing}) or per route.
 *
 * <pre>{@code
 * Api api = Api.builder().routing(Trailing.SLASH).build();
 * api.route("/flexible/rules", Strategy.class, Trailing.CLONE);
 * }</pre>
 */
public enum Trailing {
    /** {@code /route/} is redirected to {@code /route} with 308 (the default). */
    NO_SLASH,
    /** {@code /route} is redirected to {@code /route/} with 308. */
    SLASH,
    /** {@code /route} and {@code /route/} are different paths; only the one declared matches. */
    STRICT,
    /** {@code /route} and {@code /route/} both serve the view. */
    CLONE,
    /** Use the app's strategy: only meaningful in {@link Route#trailing()}. */
    DEFAULT
}
