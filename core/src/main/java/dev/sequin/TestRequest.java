package dev.sequin;

import dev.sequin.spi.Headers;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request for a {@link TestClient} to send, built step by step: headers, query parameters and
 * a body given as bytes, text, JSON, a form or a multipart form with files.
 *
 * <pre>{@code
 * TestResponse r = client.request("POST", "/upload")
 *         .header("X-Trace", "1")
 *         .query("draft", "true")
 *         .field("title", "Holiday")
 *         .file("photo", "beach.png", "image/png", bytes)
 *         .send();
 * }</pre>
 */
public final class TestRequest {

    private final TestClient client;
    private final String method;
    private final StringBuilder target;
    private final Headers headers = new Headers();
    private final List<String[]> fields = new ArrayList<>();
    private final List<Part> files = new ArrayList<>();
    private byte[] body = new byte[0];

    /** A file part of a multipart body. */
    private record Part(String field, String filename, String contentType, byte[] content) {
    }

    TestRequest(TestClient client, String method, String target) {
        this.client = client;
        this.method = method;
        this.target = new StringBuilder(target);
    }

    /** @param name a header name @param value a value, added to any others @return this */
    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** @param name a query parameter @param value its value, percent-encoded here @return this */
    public TestRequest query(String name, String value) {
        target.append(target.indexOf("?") < 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value));
        return this;
    }

    /** @param content the body @param contentType its type @return this */
    public TestRequest body(byte[] content, String contentType) {
        headers.set("Content-Type", contentType);
        body = content.clone();
        return this;
    }

    /** @param text the body, as UTF-8 {@code text/plain} @return this */
    public TestRequest text(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8), Response.PLAIN_TEXT);
    }

    /** @param value serialized with Jackson as {@code application/json} @return this */
    public TestRequest json(Object value) {
        return body(Json.MAPPER.writeValueAsBytes(value), "application/json");
    }

    /** @param form sent as {@code application/x-www-form-urlencoded} @return this */
    public TestRequest form(Map<String, ?> form) {
        form.forEach((name, value) -> field(name, String.valueOf(value)));
        return this;
    }

    /**
     * Adds a form field: the body is urlencoded, or multipart once a file is added.
     *
     * @param name  the field name
     * @param value its value
     * @return this
     */
    public TestRequest field(String name, String value) {
        fields.add(new String[] {name, value});
        return this;
    }

    /**
     * Adds a file: the body becomes {@code multipart/form-data}.
     *
     * @param field       the form field
     * @param filename    the file name
     * @param contentType the file's type
     * @param content     the file's bytes
     * @return this
     */
    public TestRequest file(String field, String filename, String contentType, byte[] content) {
        files.add(new Part(field, filename, contentType, content.clone()));
        return this;
    }

    /** @return the response, after redirects when the client follows them */
    public TestResponse send() {
        if (!files.isEmpty()) {
            multipart();
        } else if (!fields.isEmpty()) {
            StringBuilder form = new StringBuilder();
            for (String[] field : fields) {
                form.append(form.isEmpty() ? "" : "&").append(encode(field[0])).append('=').append(encode(field[1]));
            }
            body(form.toString().getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded");
        }
        return client.request(method, target.toString(), headers, body);
    }

    private void multipart() {
        String boundary = "sequin-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] field : fields) {
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quote(field[0]) + "\"\r\n\r\n" + field[1] + "\r\n");
        }
        for (Part part : files) {
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quote(part.field()) + "\"; filename=\""
                    + quote(part.filename()) + "\"\r\nContent-Type: " + part.contentType() + "\r\n\r\n");
            out.writeBytes(part.content());
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        body(out.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
