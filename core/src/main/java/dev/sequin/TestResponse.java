package dev.sequin;

import dev.sequin.spi.Headers;
import java.io.ByteArrayOutputStream;
import java.net.HttpCookie;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What an app answered a {@link TestClient}: status, headers, cookies and body, with a streamed
 * body's chunks as they were written.
 *
 * <pre>{@code
 * TestResponse r = client.get("/generator");
 * assertEquals(11, r.chunks().size());
 * assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
 * }</pre>
 */
public final class TestResponse {

    private final int status;
    private final Headers headers;
    private final List<byte[]> chunks;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Set<String> expired = new HashSet<>();

    TestResponse(int status, Headers headers, List<byte[]> chunks) {
        this.status = status;
        this.headers = headers;
        this.chunks = chunks;
        for (String setCookie : headers.getAll("Set-Cookie")) {
            for (HttpCookie cookie : HttpCookie.parse("Set-Cookie: " + setCookie)) {
                cookies.put(cookie.getName(), cookie.getValue());
                if (cookie.getMaxAge() == 0) {
                    expired.add(cookie.getName());
                }
            }
        }
    }

    /** @return the status code */
    public int statusCode() {
        return status;
    }

    /** @return the response headers */
    public Headers headers() {
        return headers;
    }

    /** @return the cookies this response set, by name (deleted ones with an empty value) */
    public Map<String, String> cookies() {
        return cookies;
    }

    /** @return the body */
    public byte[] content() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toByteArray();
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return new String(content(), StandardCharsets.UTF_8);
    }

    /** @return the body parsed as JSON */
    public JsonNode json() {
        return Json.MAPPER.readTree(content());
    }

    /** @return the body as written: one element per flushed write of a streamed body */
    public List<byte[]> chunks() {
        return chunks;
    }

    /** @return the chunks as UTF-8 text */
    public List<String> textChunks() {
        return chunks.stream().map(chunk -> new String(chunk, StandardCharsets.UTF_8)).toList();
    }

    /** @return the server-sent events of a {@code text/event-stream} body, in order */
    public List<Event> events() {
        return Event.parse(text());
    }

    Set<String> expiredCookies() {
        return expired;
    }
}
