package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code Set-Cookie} headers: each attribute, its defaults and its order, deletion, and the
 * order of several cookies.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface CookieContract extends TckContext {

    /** The deletion of cookie {@code key}, as the wire shows it. */
    String DELETED_KEY = "key=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/";

    private List<String> setCookies(String target) throws Exception {
        return get(target).headers().allValues("Set-Cookie");
    }

    @Test
    default void cookiesMapEntryHasNoAttributes() throws Exception {
        assertEquals(List.of("its=dict"), setCookies("/cookies/plain"));
    }

    @Test
    default void setCookieByNameHasDefaults() throws Exception {
        assertEquals(List.of("key=value; Path=/; HttpOnly; SameSite=Lax"), setCookies("/cookies/defaults"));
    }

    @Test
    default void cookieOfHasDefaults() throws Exception {
        assertEquals(List.of("key=value; Path=/; HttpOnly; SameSite=Lax"), setCookies("/cookies/of"));
    }

    @Test
    default void secureCookie() throws Exception {
        assertEquals(List.of("key=value; Path=/; Secure; HttpOnly; SameSite=Lax"), setCookies("/cookies/secure"));
    }

    @Test
    default void everyAttributeInOrder() throws Exception {
        assertEquals(List.of("full=1; Expires=Sat, 12 Jan 2030 03:04:05 GMT; Max-Age=3600; Domain=example.com; Path=/p; Secure; SameSite=Strict"),
                setCookies("/cookies/all"));
    }

    @Test
    default void sameSiteNone() throws Exception {
        assertEquals(List.of("n=v; Path=/; Secure; HttpOnly; SameSite=None"), setCookies("/cookies/none"));
    }

    @Test
    default void deleteCookieExpiresIt() throws Exception {
        assertEquals(List.of(DELETED_KEY), setCookies("/cookies/delete"));
    }

    @Test
    default void severalCookiesMapEntriesFirstThenCallOrder() throws Exception {
        assertEquals(List.of(
                        "first=1",
                        "second=2; Path=/; HttpOnly; SameSite=Lax",
                        "third=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
                        "fourth=4; Path=/; SameSite=Lax"),
                setCookies("/cookies/order"));
    }

    @Test
    default void cookieIsImmutable() throws Exception {
        assertEquals(List.of("a=1; Path=/; HttpOnly; SameSite=Lax"), setCookies("/cookies/immutable"));
    }
}
