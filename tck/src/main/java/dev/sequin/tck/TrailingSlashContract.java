package dev.sequin.tck;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The four trailing-slash strategies, set per route (API.md section 2): {@code NO_SLASH} and
 * {@code SLASH} redirect with {@code 308} keeping the query, {@code STRICT} serves only the
 * declared form, {@code CLONE} serves both.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface TrailingSlashContract extends TckContext {

    private void assertRedirect(String target, String location) throws Exception {
        HttpResponse<String> r = get(target);
        assertEquals(308, r.statusCode(), target);
        assertEquals(path(location), header(r, "Location"), target);
        assertEquals("", r.body(), target);
    }

    private void assertServed(String target, String body) throws Exception {
        HttpResponse<String> r = get(target);
        assertEquals(200, r.statusCode(), target);
        assertEquals(body, r.body(), target);
    }

    @Test
    default void noSlashRedirectsTheSlashedFormKeepingTheQuery() throws Exception {
        assertRedirect("/slash/no/?q=a%20b&r=1", "/slash/no?q=a%20b&r=1");
        assertServed("/slash/no", "no /slash/no");
    }

    @Test
    default void slashRedirectsThePlainFormKeepingTheQuery() throws Exception {
        assertRedirect("/slash/yes?q=a%20b&r=1", "/slash/yes/?q=a%20b&r=1");
        assertRedirect("/slash/yes", "/slash/yes/");
        assertServed("/slash/yes/", "yes /slash/yes/");
    }

    @Test
    default void strictServesOnlyTheDeclaredForm() throws Exception {
        assertServed("/slash/strict", "strict /slash/strict");
        assertEquals(404, get("/slash/strict/").statusCode());
        assertServed("/slash/strict-dir/", "strict-dir /slash/strict-dir/");
        assertEquals(404, get("/slash/strict-dir").statusCode());
    }

    @Test
    default void cloneServesBothForms() throws Exception {
        assertServed("/slash/clone", "clone /slash/clone");
        assertServed("/slash/clone/?q=1", "clone /slash/clone/");
    }
}
