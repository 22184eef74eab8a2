package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    @TempDir
    Path dir;
    Path folder;
    Api api;

    @BeforeEach
    void files() throws Exception {
        folder = Files.createDirectories(dir.resolve("static"));
        Files.writeString(folder.resolve("app.css"), "body{}");
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("sub/page.html"), "<p>hi</p>");
        Files.write(folder.resolve("icon.ico"), new byte[] {0, 1, 2});
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(folder.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.setLastModifiedTime(folder.resolve("app.css"), FileTime.from(Instant.parse("2024-05-06T07:08:09Z")));
        api = Api.builder().staticDir(folder.toString()).favicon("icon.ico").build();
    }

    private TestResponse get(TestClient client, String path, String... headers) {
        Headers h = new Headers();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return client.request("GET", path, h, new byte[0]);
    }

    @Test
    void servesFilesWithTypeAndValidators() {
        try (TestClient client = api.client()) {
            TestResponse css = client.get("/static/app.css");
            assertEquals(200, css.statusCode());
            assertEquals("text/css; charset=utf-8", css.headers().get("Content-Type"));
            assertEquals("body{}", css.text());
            assertEquals("Mon, 06 May 2024 07:08:09 GMT", css.headers().get("Last-Modified"));
            assertEquals("bytes", css.headers().get("Accept-Ranges"));
            String etag = css.headers().get("ETag");
            assertTrue(etag.startsWith("\""), etag);

            assertEquals("text/html; charset=utf-8", client.get("/static/sub/page.html").headers().get("Content-Type"));
            assertArrayEquals(new byte[] {0, 1, 2}, client.get("/favicon.ico").content());
            assertEquals("image/x-icon", client.get("/favicon.ico").headers().get("Content-Type"));

            TestResponse byTag = get(client, "/static/app.css", "If-None-Match", etag);
            assertEquals(304, byTag.statusCode());
            assertEquals(0, byTag.content().length);
            assertEquals(304, get(client, "/static/app.css", "If-Modified-Since", "Mon, 06 May 2024 07:08:09 GMT").statusCode());
            assertEquals(200, get(client, "/static/app.css", "If-Modified-Since", "Sun, 05 May 2024 07:08:09 GMT").statusCode());
            assertEquals(200, get(client, "/static/app.css", "If-None-Match", "\"other\"").statusCode());
        }
    }

    @Test
    void servesSingleRanges() {
        try (TestClient client = api.client()) {
            TestResponse part = get(client, "/static/app.css", "Range", "bytes=1-3");
            assertEquals(206, part.statusCode());
            assertEquals("bytes 1-3/6", part.headers().get("Content-Range"));
            assertEquals("ody", part.text());
            assertEquals("3", part.headers().get("Content-Length"));
            assertEquals("{}", get(client, "/static/app.css", "Range", "bytes=-2").text());
            assertEquals("y{}", get(client, "/static/app.css", "Range", "bytes=3-").text());
            TestResponse beyond = get(client, "/static/app.css", "Range", "bytes=10-20");
            assertEquals(416, beyond.statusCode());
            assertEquals("bytes */6", beyond.headers().get("Content-Range"));
            assertEquals(200, get(client, "/static/app.css", "Range", "bytes=0-1,3-4").statusCode());
            assertEquals(200, get(client, "/static/app.css", "Range", "bytes=1-2", "If-Range", "\"stale\"").statusCode());
        }
    }

    @Test
    void refusesEverythingOutsideTheFolder() {
        try (TestClient client = api.client()) {
            for (String path : new String[] {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/sub/%2E%2E/%2E%2E/secret.txt",
                    "/static//etc/passwd", "/static/%2Fetc%2Fpasswd", "/static/escape.txt", "/static/sub", "/static/sub/",
                    "/static/missing.txt", "/static/sub%5C..%5C..%5Csecret.txt"}) {
                TestResponse r = client.get(path);
                assertEquals(404, r.statusCode(), path);
                assertTrue(!r.text().contains("secret"), path);
            }
        }
    }

    @Test
    void largeFilesAreStreamedInPieces() throws Exception {
        byte[] big = new byte[1024 * 1024 + 17];
        Arrays.fill(big, (byte) 'z');
        Files.write(folder.resolve("big.bin"), big);
        try (TestClient client = api.client()) {
            TestResponse r = client.get("/static/big.bin");
            assertEquals(String.valueOf(big.length), r.headers().get("Content-Length"));
            assertArrayEquals(big, r.content());
            assertEquals("application/octet-stream", r.headers().get("Content-Type"));
        }
    }
}
