package dev.sequin.tck;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches a view: the decoded path, query parameters, request line, headers, cookies and
 * bodies (fixed-length, chunked, large, text in a charset, JSON), and the upload limit.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface RequestContract extends TckContext {

    private HttpResponse<String> post(String target, String contentType, byte[] body) throws Exception {
        return send(request(target).header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body)).build());
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    default void percentEncodingIsDecodedExactlyOnce() throws Exception {
        assertEquals("a%20b|/echo/a%20b", get("/echo/a%2520b").body());
    }

    @Test
    default void percentEncodedUtf8IsDecoded() throws Exception {
        assertEquals("caf\u00e9|/echo/caf\u00e9", get("/echo/caf%C3%A9").body());
    }

    @Test
    default void repeatedQueryKeysKeepEveryValue() throws Exception {
        JsonNode info = json(get("/request/info?a=1&b=x%20y&a=2&c=").body());
        assertEquals(json("{\"a\":[\"1\",\"2\"],\"b\":[\"x y\"],\"c\":[\"\"]}"), info.get("queries"));
        assertEquals("1", info.get("first").asString());
    }

    @Test
    default void requestLineReachesTheView() throws Exception {
        JsonNode info = json(get("/request/info?k=v").body());
        assertEquals("GET", info.get("method").asString());
        assertEquals("/request/info", info.get("path").asString());
        assertEquals("http://" + host() + ":" + port() + "/request/info?k=v", info.get("url").asString());
        assertEquals("HTTP/1.1", info.get("version").asString());
        assertEquals("http", info.get("scheme").asString());
        assertTrue(info.get("loopback").asBoolean(), "client() is the loopback address the test connects from");
    }

    @Test
    default void headersAndCookiesReachTheView() throws Exception {
        HttpResponse<String> r = send(request("/request/info")
                .header("X-Test", "one").header("X-Test", "two")
                .header("Cookie", "a=1; b=two")
                .GET().build());
        JsonNode info = json(r.body());
        assertEquals(json("[\"one\",\"two\"]"), info.get("xTest"));
        assertEquals(json("{\"a\":\"1\",\"b\":\"two\"}"), info.get("cookies"));
    }

    @Test
    default void largePostBodyEchoesExactly() throws Exception {
        byte[] body = randomBytes(4 * 1024 * 1024);
        HttpResponse<byte[]> r = http().send(request("/echo/body").POST(BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", header(r, "Content-Type"));
        assertArrayEquals(body, r.body());
    }

    @Test
    default void chunkedPostBodyEchoesExactly() throws Exception {
        byte[] body = randomBytes(1024 * 1024 + 7);
        HttpResponse<byte[]> r = http().send(request("/echo/body")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, r.body());
    }

    @Test
    default void bodyStreamReadsAWholeUpload() throws Exception {
        byte[] body = randomBytes(6 * 1024 * 1024);
        JsonNode digest = json(post("/upload/digest", "application/octet-stream", body).body());
        assertEquals(body.length, digest.get("bytes").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)), digest.get("sha256").asString());
    }

    @Test
    default void textDecodesWithTheRequestCharset() throws Exception {
        HttpResponse<String> r = post("/echo/text", "text/plain; charset=iso-8859-1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("text/plain; charset=utf-8", header(r, "Content-Type"));
        assertEquals("caf\u00e9", r.body());
    }

    @Test
    default void textDefaultsToUtf8() throws Exception {
        assertEquals("\u2713 ok", post("/echo/text", "text/plain", "\u2713 ok".getBytes(StandardCharsets.UTF_8)).body());
    }

    @Test
    default void jsonBindsToARecord() throws Exception {
        HttpResponse<String> r = post("/echo/json", "application/json", "{\"x\":1,\"y\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode());
        assertEquals("{\"x\":2,\"y\":1}", r.body());
    }

    @Test
    default void jsonTreeRoundTrips() throws Exception {
        String doc = "{\"a\":[1,{\"b\":null}],\"c\":\"\u00e9\"}";
        assertEquals(doc, post("/echo/tree", "application/json", doc.getBytes(StandardCharsets.UTF_8)).body());
    }

    @Test
    @Requires(Capability.SOCKET)
    default void declaredBodyOverTheUploadLimitIs413BeforeItIsSent() throws Exception {
        try (RawConnection c = connect()) {
            c.send(head("POST", "/echo/body", "Content-Length: " + (10L * 1024 * 1024 + 1), "Content-Type: application/octet-stream"));
            RawResponse r;
            try {
                r = c.readHead();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer: a Content-Length over the 10 MiB default limit must be refused before the body is read", e);
            }
            assertEquals(413, r.status());
        }
    }

    @Test
    default void malformedJsonIs400() throws Exception {
        for (String target : List.of("/echo/json", "/echo/tree")) {
            assertEquals(400, post(target, "application/json", "{nope".getBytes(StandardCharsets.UTF_8)).statusCode(), target);
        }
    }
}
