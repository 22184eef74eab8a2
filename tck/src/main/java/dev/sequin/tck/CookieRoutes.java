package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Cookie;

import java.time.Duration;
import java.time.Instant;

/** Routes that set cookies, one attribute combination each. */
final class CookieRoutes {

    /** The Expires of {@code /cookies/all}. */
    static final Instant EXPIRES = Instant.parse("2030-01-12T03:04:05Z");

    private CookieRoutes() {
    }

    static void register(Api api) {
        api.get("/cookies/plain", (req, resp) -> resp.cookies().put("its", "dict"));
        api.get("/cookies/defaults", (req, resp) -> resp.setCookie("key", "value"));
        api.get("/cookies/of", (req, resp) -> resp.setCookie(Cookie.of("key", "value")));
        api.get("/cookies/secure", (req, resp) -> resp.setCookie(Cookie.of("key", "value").secure(true)));
        api.get("/cookies/all", (req, resp) -> resp.setCookie(Cookie.of("full", "1")
                .sameSite(Cookie.SameSite.STRICT)
                .httpOnly(false)
                .secure(true)
                .path("/p")
                .domain("example.com")
                .maxAge(Duration.ofHours(1))
                .expires(EXPIRES)));
        api.get("/cookies/none", (req, resp) -> resp.setCookie(Cookie.of("n", "v").sameSite(Cookie.SameSite.NONE).secure(true)));
        api.get("/cookies/delete", (req, resp) -> resp.deleteCookie("key"));
        api.get("/cookies/order", (req, resp) -> {
            resp.setCookie("second", "2");
            resp.cookies().put("first", "1");
            resp.deleteCookie("third");
            resp.setCookie(Cookie.of("fourth", "4").httpOnly(false));
        });
        api.get("/cookies/immutable", (req, resp) -> {
            Cookie cookie = Cookie.of("a", "1");
            cookie.secure(true).path("/elsewhere");
            resp.setCookie(cookie);
        });
    }
}
