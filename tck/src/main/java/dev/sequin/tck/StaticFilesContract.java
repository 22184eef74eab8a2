package dev.sequin.tck;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static files (API.md section 1: {@code staticDir}, {@code staticRoot}, {@code favicon}) over
 * the wire: Content-Type by extension, validators and {@code 304}, byte ranges, a large file,
 * and paths that try to leave the folder, sent raw so that no client normalises them. A secret
 * file lies beside the static folder: its content must never appear in any response.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface StaticFilesContract extends TckContext {

    private RawResponse rawGet(String target) throws IOException {
        try (RawConnection c = connect()) {
            return c.exchange(head("GET", target, "Connection: close"), "GET");
        }
    }

    private static void assertNoSecret(RawResponse r, String target) {
        String everything = r.headers() + "\n" + new String(r.body(), StandardCharsets.ISO_8859_1);
        assertFalse(everything.contains(TckFolder.SECRET), () -> "the secret file leaked for " + target);
        assertFalse(everything.contains("root:"), () -> "/etc/passwd leaked for " + target);
    }

    private static void assertRefused(RawResponse r, String target) {
        assertNoSecret(r, target);
        assertTrue(r.status() == 404 || r.status() == 400, () -> target + " must be 404 (or 400), not " + r.status());
    }

    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest
    @CsvSource({
        "hello.txt, text/plain",
        "style.css, text/css",
        "page.html, text/html",
        "data.json, application/json",
        "pixel.png, image/png",
        "NOTICE, application/octet-stream",
        "sub/inner.txt, text/plain",
    })
    default void fileIsServedWithTheContentTypeOfItsExtension(String file, String type) throws Exception {
        HttpResponse<byte[]> r = getBytes("/static/" + file);
        assertEquals(200, r.statusCode());
        assertEquals(type, mediaType(header(r, "Content-Type")));
        byte[] expected = TckFolder.staticBytes(file);
        assertEquals(String.valueOf(expected.length), header(r, "Content-Length"));
        assertArrayEquals(expected, r.body());
    }

    @Test
    default void queryStringDoesNotChangeTheFile() throws Exception {
        HttpResponse<String> r = get("/static/hello.txt?v=3");
        assertEquals(200, r.statusCode());
        assertEquals("hello static\n", r.body());
    }

    @Test
    default void faviconIsServedFromTheStaticFolder() throws Exception {
        HttpResponse<byte[]> r = getBytes("/favicon.ico");
        assertEquals(200, r.statusCode());
        assertEquals("image/x-icon", mediaType(header(r, "Content-Type")));
        assertArrayEquals(TckFolder.staticBytes(TckFolder.FAVICON), r.body());
    }

    @Test
    default void largeFileArrivesIntact() throws Exception {
        HttpResponse<byte[]> r = getBytes("/static/" + TckFolder.BIG_FILE);
        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(TckFolder.BIG_BYTES), header(r, "Content-Length"));
        assertArrayEquals(TckFolder.staticBytes(TckFolder.BIG_FILE), r.body());
    }

    @Test
    @Requires(Capability.SOCKET)
    default void headOfAFileSendsItsLengthWithoutTheBody() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("HEAD", "/static/" + TckFolder.BIG_FILE, "Connection: close"), "HEAD");
            assertEquals(200, r.status());
            assertEquals(String.valueOf(TckFolder.BIG_BYTES), r.header("Content-Length"));
            assertEquals(0, c.readToEnd().length, "no body after a HEAD response");
        }
    }

    @Test
    default void ifNoneMatchWithTheEtagIs304() throws Exception {
        HttpResponse<String> first = get("/static/hello.txt");
        String etag = header(first, "ETag");
        assertNotNull(etag, "a static file has an ETag");
        HttpResponse<String> again = send(request("/static/hello.txt").header("If-None-Match", etag).GET().build());
        assertEquals(304, again.statusCode());
        assertEquals(etag, header(again, "ETag"));
        assertEquals("", again.body());
        HttpResponse<String> other = send(request("/static/hello.txt").header("If-None-Match", "\"not-it\"").GET().build());
        assertEquals(200, other.statusCode());
        assertEquals("hello static\n", other.body());
    }

    @Test
    default void ifModifiedSinceTheLastModificationIs304() throws Exception {
        String lastModified = header(get("/static/hello.txt"), "Last-Modified");
        assertNotNull(lastModified, "a static file has a Last-Modified date");
        HttpResponse<String> again = send(request("/static/hello.txt").header("If-Modified-Since", lastModified).GET().build());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        HttpResponse<String> older = send(request("/static/hello.txt")
                .header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").GET().build());
        assertEquals(200, older.statusCode());
        assertEquals("hello static\n", older.body());
    }

    @ParameterizedTest
    @CsvSource({
        "bytes=2-5, 2345, bytes 2-5/10",
        "bytes=-3, 789, bytes 7-9/10",
        "bytes=7-, 789, bytes 7-9/10",
        "bytes=8-99, 89, bytes 8-9/10",
    })
    default void rangeIs206WithContentRange(String range, String body, String contentRange) throws Exception {
        HttpResponse<String> r = send(request("/static/digits.txt").header("Range", range).GET().build());
        assertEquals(206, r.statusCode());
        assertEquals(contentRange, header(r, "Content-Range"));
        assertEquals(String.valueOf(body.length()), header(r, "Content-Length"));
        assertEquals(body, r.body());
    }

    @Test
    default void rangeInsideALargeFile() throws Exception {
        int first = 4 * 1024 * 1024 + 3;
        HttpResponse<byte[]> r = http().send(request("/static/" + TckFolder.BIG_FILE)
                .header("Range", "bytes=" + first + "-" + (first + 99)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, r.statusCode());
        assertEquals("bytes " + first + "-" + (first + 99) + "/" + TckFolder.BIG_BYTES, header(r, "Content-Range"));
        byte[] whole = TckFolder.staticBytes(TckFolder.BIG_FILE);
        assertArrayEquals(Arrays.copyOfRange(whole, first, first + 100), r.body());
    }

    @Test
    default void unsatisfiableRangeIs416() throws Exception {
        HttpResponse<String> r = send(request("/static/digits.txt").header("Range", "bytes=20-30").GET().build());
        assertEquals(416, r.statusCode());
        assertEquals("bytes */10", header(r, "Content-Range"));
    }

    /** Targets that leave the folder, or name what is not a file in it, must get 404 (or 400 from a server refusing the path). */
    @ParameterizedTest
    @ValueSource(strings = {
        "/static/../secret.txt",
        "/static/sub/../../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/.%2e/secret.txt",
        "/static/%2E%2E/%2E%2E/etc/passwd",
        "/static/..%2Fsecret.txt",
        "/static/%2e%2e%2fsecret.txt",
        "/static/sub/..%2F..%2Fsecret.txt",
        "/static/sub%2F..%2F..%2Fsecret.txt",
        "/static/..%5Csecret.txt",
        "/static/%2Fetc%2Fpasswd",
        "/static/hello.txt%00.png",
        "/static/nope.txt",
        "/static/sub",
        "/static",
    })
    @Requires(Capability.SOCKET)
    default void pathOutsideTheFolderOrNotAFileIsRefused(String target) throws Exception {
        assertRefused(rawGet(target), target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/sub/", "/static/"})
    @Requires(Capability.SOCKET)
    default void directoryWithASlashIsRefused(String target) throws Exception {
        RawResponse r = rawGet(target);
        assertNoSecret(r, target);
        String unslashed = target.substring(0, target.length() - 1);
        if (r.status() == 308) {
            assertEquals(path(unslashed), r.header("Location"), "the app's NO_SLASH redirect");
        } else {
            assertRefused(r, target);
        }
        assertRefused(rawGet(unslashed), unslashed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/" + TckFolder.LINK_TO_SECRET, "/static/" + TckFolder.LINK_TO_PARENT + "/secret.txt"})
    @Requires(Capability.SOCKET)
    default void symlinkOutOfTheFolderIsRefused(String target) throws Exception {
        Assumptions.assumeTrue(get(TckFolder.LINKS_ROUTE).body().equals("true"),
                "the server's file system or user could not create the symbolic links");
        assertRefused(rawGet(target), target);
    }
}
