package dev.sequin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A cookie to set on the client, with every attribute of RFC 6265. Immutable: each attribute
 * method returns a copy. {@link #of} starts with {@code Path=/}, {@code HttpOnly} and
 * {@code SameSite=Lax}, the safe defaults.
 *
 * <p>Names must be HTTP tokens and values cookie-octets (no space, quote, comma, semicolon or
 * backslash): anything else is refused with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * resp.setCookie(Cookie.of("session", id).secure(true).maxAge(Duration.ofHours(1)));
 * // Set-Cookie: session=…; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax
 * }</pre>
 */
public final class Cookie {

    /** The {@code SameSite} attribute. */
    public enum SameSite {
        /** Sent only with same-site requests. */
        STRICT("Strict"),
        /** Also sent with top-level navigations from other sites. */
        LAX("Lax"),
        /** Sent with every request; browsers require {@code Secure} with it. */
        NONE("None");

        private final String text;

        SameSite(String text) {
            this.text = text;
        }
    }

    private final String name;
    private final String value;
    private final Instant expires;
    private final Duration maxAge;
    private final String domain;
    private final String path;
    private final boolean secure;
    private final boolean httpOnly;
    private final SameSite sameSite;

    private Cookie(String name, String value, Instant expires, Duration maxAge, String domain, String path,
                   boolean secure, boolean httpOnly, SameSite sameSite) {
        this.name = name;
        this.value = value;
        this.expires = expires;
        this.maxAge = maxAge;
        this.domain = domain;
        this.path = path;
        this.secure = secure;
        this.httpOnly = httpOnly;
        this.sameSite = sameSite;
    }

    /**
     * @param name  the name, an HTTP token
     * @param value the value, cookie-octets only (may be empty)
     * @return a cookie with {@code Path=/}, {@code HttpOnly} and {@code SameSite=Lax}
     * @throws IllegalArgumentException if the name or value is not allowed
     */
    public static Cookie of(String name, String value) {
        return new Cookie(validName(name), validValue(name, value), null, null, null, "/", false, true, SameSite.LAX);
    }

    /** Builds a cookie with no attribute at all, as {@code resp.cookies().put(name, value)} sets. */
    static Cookie plain(String name, String value) {
        return new Cookie(validName(name), validValue(name, value), null, null, null, null, false, false, null);
    }

    /** The cookie that makes a client forget {@code name}: empty, expired, {@code Path=/}. */
    static Cookie deletion(String name) {
        return new Cookie(validName(name), "", Instant.EPOCH, Duration.ZERO, null, "/", false, false, null);
    }

    /** @param path the path, or {@code null} for none @return a copy with this {@code Path} */
    public Cookie path(String path) {
        return new Cookie(name, value, expires, maxAge, domain, validAttribute("Path", path), secure, httpOnly, sameSite);
    }

    /** @param domain the domain, or {@code null} for none @return a copy with this {@code Domain} */
    public Cookie domain(String domain) {
        return new Cookie(name, value, expires, maxAge, validAttribute("Domain", domain), path, secure, httpOnly, sameSite);
    }

    /** @param maxAge how long the cookie lives, or {@code null} for a session cookie @return a copy with this {@code Max-Age} */
    public Cookie maxAge(Duration maxAge) {
        return new Cookie(name, value, expires, maxAge, domain, path, secure, httpOnly, sameSite);
    }

    /** @param expires when the cookie expires, or {@code null} for none @return a copy with this {@code Expires} */
    public Cookie expires(Instant expires) {
        return new Cookie(name, value, expires, maxAge, domain, path, secure, httpOnly, sameSite);
    }

    /** @param secure whether to send it over HTTPS only @return a copy with or without {@code Secure} */
    public Cookie secure(boolean secure) {
        return new Cookie(name, value, expires, maxAge, domain, path, secure, httpOnly, sameSite);
    }

    /** @param httpOnly whether scripts may not read it @return a copy with or without {@code HttpOnly} */
    public Cookie httpOnly(boolean httpOnly) {
        return new Cookie(name, value, expires, maxAge, domain, path, secure, httpOnly, sameSite);
    }

    /** @param sameSite the policy, or {@code null} for none @return a copy with this {@code SameSite} */
    public Cookie sameSite(SameSite sameSite) {
        return new Cookie(name, value, expires, maxAge, domain, path, secure, httpOnly, sameSite);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the value */
    public String value() {
        return value;
    }

    /** @return the {@code Set-Cookie} header value */
    public String toHeader() {
        StringBuilder out = new StringBuilder(64).append(name).append('=').append(value);
        if (expires != null) {
            out.append("; Expires=").append(HttpDates.format(expires));
        }
        if (maxAge != null) {
            out.append("; Max-Age=").append(maxAge.toSeconds());
        }
        if (domain != null) {
            out.append("; Domain=").append(domain);
        }
        if (path != null) {
            out.append("; Path=").append(path);
        }
        if (secure) {
            out.append("; Secure");
        }
        if (httpOnly) {
            out.append("; HttpOnly");
        }
        if (sameSite != null) {
            out.append("; SameSite=").append(sameSite.text);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return toHeader();
    }

    private static String validName(String name) {
        Objects.requireNonNull(name, "cookie name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cookie name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("cookie name '" + name + "' has a character not allowed in a token");
            }
        }
        return name;
    }

    private static String validValue(String name, String value) {
        Objects.requireNonNull(value, "cookie value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 32 || c >= 127 || c == '"' || c == ',' || c == ';' || c == '\\') {
                throw new IllegalArgumentException("cookie '" + name + "' has a value with a character not allowed by RFC 6265");
            }
        }
        return value;
    }

    private static String validAttribute(String attribute, String value) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 32 || c == 127 || c == ';') {
                    throw new IllegalArgumentException("cookie " + attribute + " must not contain control characters or ';'");
                }
            }
        }
        return value;
    }
}
