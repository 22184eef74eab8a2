package dev.sequin.tck;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds a {@code multipart/form-data} body (RFC 7578) in test code, part by part.
 *
 * <pre>{@code
 * Multipart form = new Multipart().field("title", "Hello").file("doc", "a.txt", "text/plain", bytes);
 * request.header("Content-Type", Multipart.CONTENT_TYPE).POST(BodyPublishers.ofByteArray(form.build()));
 * }</pre>
 */
final class Multipart {

    /** The boundary between parts. */
    static final String BOUNDARY = "sequin-tck-7MA4YWxkTrZu0gW";

    /** The Content-Type of a body built here. */
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /**
     * @param name  the field's name
     * @param value its value, sent as UTF-8
     * @return this
     */
    Multipart field(String name, String value) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"\r\n",
                value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param name        the field's name
     * @param filename    the file's name
     * @param contentType the file's content type
     * @param content     the file's bytes
     * @return this
     */
    Multipart file(String name, String filename, String contentType, byte[] content) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n", content);
    }

    /** @return the body, with its closing boundary */
    byte[] build() {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(body.toByteArray());
        whole.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return whole.toByteArray();
    }

    /** @return the parts so far, without the closing boundary: a truncated body */
    byte[] buildTruncated() {
        return body.toByteArray();
    }

    private Multipart part(String headers, byte[] content) {
        body.writeBytes(("--" + BOUNDARY + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }
}
