package dev.sequin.tck;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One response as read byte for byte from a socket by {@link RawConnection}: what
 * {@link java.net.http.HttpClient} hides (exact header order, duplicates, chunk boundaries).
 *
 * <pre>{@code
 * RawResponse r = connection.exchange("GET /text HTTP/1.1\r\nHost: x\r\n\r\n", "GET");
 * assertEquals(200, r.status());
 * assertEquals("6", r.header("Content-Length"));
 * }</pre>
 *
 * @param status  the status code
 * @param headers every header field in the order received, names as sent
 * @param body    the body bytes, de-chunked; empty when there is none
 * @param chunks  the chunks of a chunked body, in order; empty when the body was not chunked
 */
public record RawResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, List<byte[]> chunks) {

    /**
     * @param name a header name, in any case
     * @return its first value, or {@code null}
     */
    public String header(String name) {
        List<String> all = headers(name);
        return all.isEmpty() ? null : all.getFirst();
    }

    /**
     * @param name a header name, in any case
     * @return its values in the order received
     */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** @return whether the body was sent with {@code Transfer-Encoding: chunked} */
    public boolean chunked() {
        return headers("Transfer-Encoding").stream().anyMatch(v -> v.equalsIgnoreCase("chunked"));
    }

    /** @return the body decoded as UTF-8 */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the chunks decoded as UTF-8 */
    public List<String> textChunks() {
        return chunks.stream().map(c -> new String(c, StandardCharsets.UTF_8)).toList();
    }
}
