package dev.sequin.tck;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Form and streamed bodies (API.md section 3): urlencoded forms with repeated keys, multipart
 * forms with fields and files (one large enough to be kept on disk), 400 for a malformed
 * form, 415 for a form read from JSON, 413 over a per-request limit, and
 * {@code body()} reading an upload as it arrives, beyond the limit.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface FormContract extends TckContext {

    private HttpResponse<String> post(String target, String contentType, byte[] body) throws Exception {
        return send(request(target).header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body)).build());
    }

    private HttpResponse<String> postChunked(String target, String contentType, byte[] body) throws Exception {
        return send(request(target).header("Content-Type", contentType)
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private void assertFile(JsonNode file, String name, String filename, String contentType, byte[] content) throws Exception {
        String sha256 = FormRoutes.sha256(content);
        assertEquals(name, file.get("name").asString());
        assertEquals(filename, file.get("filename").asString(), name);
        assertEquals(contentType, file.get("contentType").asString(), name);
        assertEquals(content.length, file.get("size").asLong(), name);
        assertEquals(sha256, file.get("sha256").asString(), "bytes() of " + name);
        assertEquals(sha256, file.get("streamSha256").asString(), "stream() of " + name);
        assertTrue(file.get("sameAsByName").asBoolean(), "file(name) finds " + name);
    }

    @Test
    default void urlencodedFormKeepsRepeatedKeys() throws Exception {
        HttpResponse<String> r = post("/form/echo", "application/x-www-form-urlencoded",
                "a=1&b=x+y&a=2&c=caf%C3%A9&empty=".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, r.statusCode());
        JsonNode form = json(r.body());
        assertEquals(json("{\"a\":[\"1\",\"2\"],\"b\":[\"x y\"],\"c\":[\"caf\u00e9\"],\"empty\":[\"\"]}"), form.get("fields"));
        assertEquals(json("{\"a\":\"1\",\"b\":\"x y\",\"c\":\"caf\u00e9\",\"empty\":\"\"}"), form.get("first"));
        assertEquals(0, form.get("files").size());
    }

    @Test
    default void multipartFormGivesFieldsAndFiles() throws Exception {
        byte[] notes = "some notes\r\n--not a boundary\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] big = randomBytes(200 * 1024);
        byte[] body = new Multipart()
                .field("title", "Hello caf\u00e9")
                .field("tag", "a")
                .file("doc", "notes.txt", "text/plain", notes)
                .field("tag", "b")
                .file("blob", "data.bin", "application/octet-stream", big)
                .build();
        HttpResponse<String> r = post("/form/echo", Multipart.CONTENT_TYPE, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode form = json(r.body());
        assertEquals(json("{\"title\":[\"Hello caf\u00e9\"],\"tag\":[\"a\",\"b\"]}"), form.get("fields"));
        assertEquals(json("{\"title\":\"Hello caf\u00e9\",\"tag\":\"a\"}"), form.get("first"));
        assertEquals(2, form.get("files").size());
        assertFile(form.get("files").get(0), "doc", "notes.txt", "text/plain", notes);
        assertFile(form.get("files").get(1), "blob", "data.bin", "application/octet-stream", big);
    }

    @Test
    default void chunkedMultipartFormIsParsed() throws Exception {
        byte[] content = randomBytes(100 * 1024);
        byte[] body = new Multipart().field("k", "v").file("f", "f.bin", "application/octet-stream", content).build();
        HttpResponse<String> r = postChunked("/form/echo", Multipart.CONTENT_TYPE, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode form = json(r.body());
        assertEquals("v", form.get("first").get("k").asString());
        assertFile(form.get("files").get(0), "f", "f.bin", "application/octet-stream", content);
    }

    @Test
    default void malformedMultipartIs400() throws Exception {
        byte[] truncated = new Multipart().field("a", "1").file("f", "f.txt", "text/plain", new byte[100]).buildTruncated();
        byte[][] bodies = {"this is not a multipart body".getBytes(StandardCharsets.US_ASCII), truncated};
        for (byte[] body : bodies) {
            HttpResponse<String> r = post("/form/echo", Multipart.CONTENT_TYPE, body);
            assertEquals(400, r.statusCode(), () -> "for " + new String(body, StandardCharsets.ISO_8859_1) + ": " + r.body());
        }
        assertEquals(400, post("/form/echo", "multipart/form-data", new Multipart().field("a", "1").build()).statusCode(),
                "multipart without a boundary parameter");
    }

    @Test
    default void malformedUrlencodedFormIs400() throws Exception {
        HttpResponse<String> r = post("/form/echo", "application/x-www-form-urlencoded", "a=%ZZ".getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    default void formOfAJsonBodyIs415() throws Exception {
        HttpResponse<String> r = post("/form/echo", "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, r.statusCode());
    }

    @Test
    default void formUnderTheRouteLimitIsParsed() throws Exception {
        HttpResponse<String> r = post("/form/small", Multipart.CONTENT_TYPE, new Multipart().field("a", "1").build());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("1", json(r.body()).get("first").get("a").asString());
    }

    @Test
    default void multipartOverTheRouteLimitIs413() throws Exception {
        byte[] body = new Multipart().file("f", "f.bin", "application/octet-stream", randomBytes(4 * 1024)).build();
        assertEquals(413, post("/form/small", Multipart.CONTENT_TYPE, body).statusCode(), "with a Content-Length");
        assertEquals(413, postChunked("/form/small", Multipart.CONTENT_TYPE, body).statusCode(), "chunked, found while reading");
    }

    @Test
    default void urlencodedOverTheRouteLimitIs413() throws Exception {
        byte[] body = ("a=" + "x".repeat(4 * 1024)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(413, post("/form/small", "application/x-www-form-urlencoded", body).statusCode(), "with a Content-Length");
        assertEquals(413, postChunked("/form/small", "application/x-www-form-urlencoded", body).statusCode(), "chunked");
    }

    @Test
    @Requires({Capability.IN_PROCESS, Capability.SOCKET})
    default void bodyStreamGetsTheFirstBytesBeforeTheUploadEnds() throws Exception {
        String id = newId();
        try (RawConnection c = connect()) {
            c.send(head("POST", "/upload/first/" + id, "Transfer-Encoding: chunked", "Content-Type: application/octet-stream"));
            c.send("5\r\nhello\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (app().probes().counter(id).get() == 0) {
                if (System.nanoTime() > deadline) {
                    fail("the view never got the first 5 bytes while the upload was still open: body() must stream");
                }
                Thread.sleep(10);
            }
            c.send("3\r\nabc\r\n0\r\n\r\n");
            RawResponse r = c.read("POST");
            assertEquals(200, r.status());
            assertEquals("first hello, then 3 more bytes", r.text());
        }
    }

    @Test
    default void bodyStreamReadsAnUploadBeyondTheLimit() throws Exception {
        byte[] body = randomBytes(24 * 1024 * 1024);
        HttpResponse<String> r = postChunked("/upload/digest", "application/octet-stream", body);
        assertEquals(200, r.statusCode(), "body() is not held to the 10 MiB upload limit");
        JsonNode digest = json(r.body());
        assertEquals(body.length, digest.get("bytes").asLong());
        assertEquals(FormRoutes.sha256(body), digest.get("sha256").asString());
    }
}
