package dev.sequin;

import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The request a view answers: read-only, but for {@link #state()} and
 * {@link #maxUploadBytes(long)}. The body is read once, on first use, and cached.
 *
 * <pre>{@code
 * public void onPost(Request req, Response resp) {
 *     int id = (Integer) req.param("id");
 *     String sort = req.query("sort");              // ?sort=name
 *     JsonNode body = req.json();                   // 400 if malformed
 *     resp.json().put("id", id).put("name", body.path("name").asText());
 * }
 * }</pre>
 */
public final class Request {

    private final Api api;
    private final ServerRequest raw;
    private final String path;
    private final Map<String, Object> params;
    private Map<String, Object> state;
    private Map<String, List<String>> queries;
    private Map<String, String> cookies;
    private long maxUploadBytes;
    private byte[] content;
    private Form form;

    Request(Api api, ServerRequest raw, String path, Map<String, Object> params) {
        this.api = api;
        this.raw = raw;
        this.path = path;
        this.params = params;
        this.maxUploadBytes = api.maxUploadBytes();
    }

    /** @return the method, upper case, for example {@code GET} */
    public String method() {
        return raw.method();
    }

    /** @return the path, percent-decoded once, without the query */
    public String path() {
        return path;
    }

    /** @return the full URL as the client addressed it, query included */
    public String url() {
        String host = raw.header("Host");
        String query = raw.rawQuery();
        return raw.scheme() + "://" + (host == null ? "localhost" : host) + raw.rawPath()
                + (query == null ? "" : "?" + query);
    }

    /** @return the protocol version, for example {@code HTTP/1.1} */
    public String version() {
        return raw.protocol();
    }

    /** @return {@code http} or {@code https} */
    public String scheme() {
        return raw.scheme();
    }

    /** @return the client's address */
    public InetSocketAddress client() {
        return raw.remoteAddress();
    }

    /** @return the request headers (case-insensitive names); do not modify them */
    public Headers headers() {
        return raw.headers();
    }

    /** @return the first value of a header, read without copying them all; {@code null} when absent */
    String header(String name) {
        return raw.header(name);
    }

    /**
     * @param name a query parameter name
     * @return its first value, or {@code null}
     */
    public String query(String name) {
        List<String> values = queries().get(name);
        return values == null ? null : values.getFirst();
    }

    /** @return every query parameter with all its values, in order */
    public Map<String, List<String>> queries() {
        if (queries == null) {
            queries = parseQuery(raw.rawQuery());
        }
        return queries;
    }

    /** @return the cookies the client sent, by name */
    public Map<String, String> cookies() {
        if (cookies == null) {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String header : raw.headers().getAll("Cookie")) {
                for (String pair : header.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0) {
                        parsed.putIfAbsent(pair.substring(0, equals).trim(), unquote(pair.substring(equals + 1).trim()));
                    }
                }
            }
            cookies = Collections.unmodifiableMap(parsed);
        }
        return cookies;
    }

    /** @return the path parameters, converted by their route's converters */
    public Map<String, Object> params() {
        return params;
    }

    /**
     * @param name a path parameter's name
     * @return its converted value, or {@code null}
     */
    public Object param(String name) {
        return params.get(name);
    }

    /** @return a mutable map for hooks and views to share values during this request */
    public Map<String, Object> state() {
        if (state == null) {
            state = new HashMap<>();
        }
        return state;
    }

    /**
     * Sets the body size limit for this request, before the body is read.
     *
     * @param bytes the most bytes {@link #content()} and its kin accept; more gets 413
     * @return this
     */
    public Request maxUploadBytes(long bytes) {
        this.maxUploadBytes = bytes;
        return this;
    }

    /**
     * @param type a component class
     * @param <T>  its type
     * @return the component
     */
    public <T> T use(Class<T> type) {
        return api.use(type);
    }

    /**
     * Reads the whole body, once.
     *
     * @return the body's bytes
     * @throws HttpError 413 if it is larger than the upload limit
     * @throws IOException if the client goes away while sending it
     */
    public byte[] content() throws IOException {
        if (content == null) {
            content = readLimited();
        }
        return content;
    }

    /** @return the body as text, in the charset of its Content-Type, else UTF-8 @throws IOException as {@link #content()} */
    public String text() throws IOException {
        return new String(content(), charset());
    }

    /**
     * @return the body parsed as JSON
     * @throws HttpError 400 if it is not JSON
     * @throws IOException as {@link #content()}
     */
    public JsonNode json() throws IOException {
        try {
            return Json.MAPPER.readTree(content());
        } catch (JacksonException e) {
            throw new HttpError(400, "Malformed JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * @param type the class to bind the JSON body to
     * @param <T>  its type
     * @return the bound body
     * @throws HttpError 400 if it is not JSON of that shape
     * @throws IOException as {@link #content()}
     */
    public <T> T json(Class<T> type) throws IOException {
        try {
            return Json.MAPPER.readValue(content(), type);
        } catch (JacksonException e) {
            throw new HttpError(400, "Malformed JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Parses the body as a form, once: {@code application/x-www-form-urlencoded} or
     * {@code multipart/form-data} with files (kept in memory up to 64 KiB, on disk above, and
     * deleted when the request ends).
     *
     * @return the form
     * @throws HttpError 415 for another content type, 400 if malformed, 413 if too large
     * @throws IOException if the client goes away while sending it
     */
    public Form form() throws IOException {
        if (form == null) {
            form = FormParser.parse(this, maxUploadBytes);
        }
        return form;
    }

    /**
     * Tells whether the client accepts a media type, by its {@code Accept} header: the client's
     * ranges are ordered by quality, highest first, ties broken by specificity, and the first that
     * admits {@code type} wins. A missing header accepts everything.
     *
     * @param type a media type, for example {@code text/html}
     * @return the winning range, or empty when none admits the type (or it has {@code q=0})
     */
    public java.util.Optional<Accepted> accept(String type) {
        return AcceptHeader.match(raw.header("Accept"), type);
    }

    /** @return the body as an unbuffered stream, for large uploads; the upload limit does not apply */
    public InputStream body() {
        return raw.body();
    }

    /** @return the prefix this app is mounted under inside another app, else {@code ""} */
    String mountPrefix() {
        return MountedRequest.prefixOf(raw);
    }

    /** @return the raw query string, or {@code null} */
    String rawQuery() {
        return raw.rawQuery();
    }

    /** Deletes what the request left behind (uploaded files); called when the exchange ends. */
    void release() {
        if (form != null) {
            for (UploadedFile file : form.files()) {
                try {
                    file.delete();
                } catch (IOException e) {
                    System.getLogger(Request.class.getName()).log(System.Logger.Level.WARNING, "could not delete an uploaded file", e);
                }
            }
        }
    }

    private byte[] readLimited() throws IOException {
        String length = raw.header("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxUploadBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Malformed Content-Length");
            }
        }
        try (InputStream in = raw.body()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
            if (bytes.length > maxUploadBytes) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    private HttpError tooLarge() {
        return new HttpError(413, "Request body larger than " + maxUploadBytes + " bytes");
    }

    private Charset charset() {
        String type = raw.header("Content-Type");
        if (type != null) {
            for (String part : type.split(";")) {
                String param = part.trim();
                if (param.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(unquote(param.substring(8).trim()));
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        throw new HttpError(415, "Unsupported charset: " + param.substring(8).trim());
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decodeForm(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decodeForm(pair.substring(equals + 1));
            parsed.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
        }
        parsed.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(parsed);
    }

    private static String decodeForm(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "Malformed percent-encoding in the query");
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
