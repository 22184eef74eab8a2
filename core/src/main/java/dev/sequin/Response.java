package dev.sequin;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * The response a view fills in: status, headers, cookies and one body. Every setter returns
 * {@code this}, so calls chain.
 *
 * <p>One body slot: the last body setter wins ({@link #setText}, {@link #setContent},
 * {@link #json()}/{@link #setJson}, {@link #loadTemplate}, {@link #redirect}'s empty body,
 * {@link #streaming}). A body setter sets {@code Content-Type} unless the call names one;
 * {@code streaming} keeps a type the view already set. Nothing is sent until the view and the
 * after-request hooks return.
 *
 * <pre>{@code
 * resp.setStatus(200)
 *     .setCookie(Cookie.of("key", "value").secure(true))
 *     .setText("long chain!")
 *     .setHeader("X-somehead", "value");
 * }</pre>
 */
public final class Response {

    private static final String CONTENT_TYPE = "Content-Type";
    /** The {@code Content-Type} of plain text as the core sends it ({@link #setText(String)}, its own answers). */
    static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private final Api api;
    private final Request request;
    private final Headers headers = new Headers();
    private Map<String, String> cookies;
    private List<Cookie> setCookies;
    private int status = 200;
    private Object body;
    private boolean reraise;
    private final boolean nonBlocking;

    Response(Api api, Request request, boolean nonBlocking) {
        this.api = api;
        this.request = request;
        this.nonBlocking = nonBlocking;
    }

    /** @return the headers, mutable; values with CR or LF are refused */
    public Headers headers() {
        return headers;
    }

    /**
     * @param name  the header name
     * @param value its only value, replacing others
     * @return this
     * @throws IllegalArgumentException if the value has CR or LF, or the name is not a token
     */
    public Response setHeader(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /**
     * @param name  the header name
     * @param value a value added to those the header has
     * @return this
     * @throws IllegalArgumentException if the value has CR or LF, or the name is not a token
     */
    public Response addHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * @param status the status code, 100 to 999
     * @return this
     * @throws IllegalArgumentException outside that range
     */
    public Response setStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be from 100 to 999, not " + status);
        }
        this.status = status;
        return this;
    }

    /** @return the status code; 200 unless set */
    public int statusCode() {
        return status;
    }

    /** @return plain cookies to set, name to value, sent without attributes ({@code its=dict}) */
    public Map<String, String> cookies() {
        if (cookies == null) {
            cookies = new LinkedHashMap<>();
        }
        return cookies;
    }

    /**
     * @param cookie a cookie with its attributes
     * @return this
     */
    public Response setCookie(Cookie cookie) {
        if (setCookies == null) {
            setCookies = new ArrayList<>(2);
        }
        setCookies.add(Objects.requireNonNull(cookie, "cookie"));
        return this;
    }

    /**
     * Sets a cookie with the safe defaults: {@code Path=/}, {@code HttpOnly}, {@code SameSite=Lax}.
     *
     * @param name  the name
     * @param value the value
     * @return this
     */
    public Response setCookie(String name, String value) {
        return setCookie(Cookie.of(name, value));
    }

    /**
     * Tells the client to forget a cookie: {@code Max-Age=0} and an {@code Expires} in the past.
     *
     * @param name the cookie's name
     * @return this
     */
    public Response deleteCookie(String name) {
        return setCookie(Cookie.deletion(name));
    }

    /**
     * Sets a text body, {@code text/plain; charset=utf-8}.
     *
     * @param text the body
     * @return this
     */
    public Response setText(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8), PLAIN_TEXT);
    }

    /**
     * Sets a text body of the given type; {@code charset=utf-8} is appended when the type has no
     * charset.
     *
     * @param text        the body, sent as UTF-8
     * @param contentType for example {@code text/html}
     * @return this
     */
    public Response setText(String text, String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT).contains("charset=")
                ? contentType : contentType + "; charset=utf-8";
        return body(text.getBytes(StandardCharsets.UTF_8), type);
    }

    /**
     * Sets a binary body, {@code application/octet-stream}.
     *
     * @param content the body
     * @return this
     */
    public Response setContent(byte[] content) {
        return setContent(content, "application/octet-stream");
    }

    /**
     * @param content     the body
     * @param contentType its type
     * @return this
     */
    public Response setContent(byte[] content, String contentType) {
        return body(content.clone(), contentType);
    }

    /**
     * Returns the JSON object body, created on first use ({@code application/json}); fill it in
     * place. It is serialized when the response is sent.
     *
     * @return the object node
     */
    public ObjectNode json() {
        if (body instanceof JsonBody(ObjectNode node)) {
            return node;
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        body(new JsonBody(node), "application/json");
        return node;
    }

    /**
     * Sets a JSON body serialized with Jackson, {@code application/json}.
     *
     * @param value a POJO, record, map, list or {@code JsonNode}
     * @return this
     */
    public Response setJson(Object value) {
        return body(new JsonBody(value), "application/json");
    }

    /**
     * Renders a template from the app's templates folder, {@code text/html; charset=utf-8}.
     * The template sees {@code variables} and {@code api} (for {@code urlFor}).
     *
     * @param name      the template's path in the templates folder
     * @param variables the variables
     * @return this
     * @throws IllegalStateException when no template engine is on the classpath
     * @throws HttpError             404 when there is no such template
     * @throws IOException           when the template fails to render
     */
    public Response loadTemplate(String name, Map<String, ?> variables) throws IOException {
        return setText(api.render(name, variables), "text/html");
    }

    /**
     * Redirects with 307 to a view, keeping the request's query string.
     *
     * @param view the view class, registered with a route without parameters
     * @return this
     */
    public Response redirect(Class<? extends View> view) {
        return redirect(view, Map.of());
    }

    /**
     * Redirects with 307 to a view, keeping the request's query string (and the prefix, when
     * this app is mounted in another with {@link Api#mount}).
     *
     * @param view   the view class
     * @param params its route's parameters
     * @return this
     */
    public Response redirect(Class<? extends View> view, Map<String, ?> params) {
        String query = request.rawQuery();
        String location = request.mountPrefix() + api.urlFor(view, params);
        return redirect(query == null ? location : location + "?" + query, 307);
    }

    /**
     * Redirects with 307 to a URL, as given.
     *
     * @param url the location
     * @return this
     */
    public Response redirect(String url) {
        return redirect(url, 307);
    }

    /**
     * Redirects to a URL with a given status.
     *
     * @param url    the location
     * @param status 300 to 399
     * @return this
     * @throws IllegalArgumentException if the status is not a redirect status
     */
    public Response redirect(String url, int status) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("redirect status must be from 300 to 399, not " + status);
        }
        headers.set("Location", url);
        this.status = status;
        return body(null, null);
    }

    /**
     * Streams the body: the writer runs after the view and the after-request hooks, and each
     * write reaches the client promptly. Keeps a Content-Type the view set, else
     * {@code application/octet-stream}.
     *
     * @param writer writes the body
     * @return this
     */
    public Response streaming(BodyWriter writer) {
        Objects.requireNonNull(writer, "writer");
        if (nonBlocking) {
            throw new IllegalStateException("a @NonBlocking view cannot stream: a streamed body blocks while the client "
                    + "reads it; set the whole body, or remove @NonBlocking from the view of " + request.path());
        }
        body = writer;
        if (!headers.contains(CONTENT_TYPE)) {
            headers.set(CONTENT_TYPE, "application/octet-stream");
        }
        return this;
    }

    /**
     * Streams a stream's elements, each as one chunk: a {@code String} as UTF-8, a
     * {@code byte[]} as it is, anything else as its {@code toString()}. The stream is closed at
     * the end.
     *
     * @param chunks the elements
     * @return this
     */
    public Response streaming(Stream<?> chunks) {
        Objects.requireNonNull(chunks, "chunks");
        return streaming(out -> {
            try (chunks) {
                for (java.util.Iterator<?> it = chunks.iterator(); it.hasNext(); ) {
                    Object chunk = it.next();
                    if (chunk instanceof byte[] bytes) {
                        out.write(bytes);
                    } else {
                        out.write(String.valueOf(chunk));
                    }
                }
            }
        });
    }

    /**
     * Sends server-sent events: {@code text/event-stream}, not cached, each event flushed as it
     * is sent. The writer runs after the view and the after-request hooks, like
     * {@link #streaming(BodyWriter)}, and sees the client's {@code Last-Event-ID}.
     *
     * @param writer sends the events
     * @return this
     */
    public Response events(EventWriter writer) {
        Objects.requireNonNull(writer, "writer");
        String lastEventId = request.header("Last-Event-ID");
        headers.set(CONTENT_TYPE, "text/event-stream; charset=utf-8");
        headers.set("Cache-Control", "no-cache");
        return streaming(out -> writer.writeTo(new EventSink() {
            @Override
            public void send(Event event) throws IOException {
                out.write(event.toWire());
            }

            @Override
            public void comment(String text) throws IOException {
                if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("a comment must be one line");
                }
                out.write(": " + text + "\n\n");
            }

            @Override
            public String lastEventId() {
                return lastEventId;
            }
        }));
    }

    /**
     * In an error handler: after the response is sent, propagate the exception (to be logged,
     * and seen by a server Sequin is embedded in).
     *
     * @param reraise whether to propagate
     * @return this
     */
    public Response reraise(boolean reraise) {
        this.reraise = reraise;
        return this;
    }

    /** Sends part of a file, streamed from disk when the response is sent. */
    Response file(java.nio.file.Path path, long offset, long length, String contentType) {
        return body(new FileBody(path, offset, length), contentType);
    }

    boolean reraise() {
        return reraise;
    }

    /** Clears the body and presets 500, before an error handler runs. */
    void resetForError() {
        body = null;
        headers.remove(CONTENT_TYPE);
        status = 500;
    }

    private Response body(Object body, String contentType) {
        this.body = body;
        if (contentType == null) {
            headers.remove(CONTENT_TYPE);
        } else {
            headers.set(CONTENT_TYPE, contentType);
        }
        return this;
    }

    /** Adds the headers and cookies set so far to {@code target}. */
    void copyHeadersTo(Headers target) {
        target.addAll(headers);
        if (cookies != null) {
            cookies.forEach((name, value) -> target.add("Set-Cookie", Cookie.plain(name, value).toHeader()));
        }
        if (setCookies != null) {
            for (Cookie cookie : setCookies) {
                target.add("Set-Cookie", cookie.toHeader());
            }
        }
    }

    /** Sends everything to the server response; for HEAD, headers only. */
    void send(ServerResponse out, boolean head) throws Exception {
        out.setStatus(status);
        Headers target = out.headers();
        copyHeadersTo(target);
        if (status == 204 || status == 304 || status < 200) {
            target.remove(CONTENT_TYPE);
            out.open(0).close();
            return;
        }
        if (body instanceof BodyWriter writer) {
            BodySink sink = out.open(-1);
            if (!head) {
                writer.writeTo(new FlushingOutput(sink));
            }
            sink.close();    // not on failure: the backend then aborts instead of ending the body cleanly
            return;
        }
        if (body instanceof FileBody file) {
            try (BodySink sink = out.open(file.length())) {
                if (!head) {
                    file.writeTo(sink);
                }
            }
            return;
        }
        byte[] bytes = switch (body) {
            case null -> new byte[0];
            case byte[] b -> b;
            case JsonBody(Object value) -> Json.MAPPER.writeValueAsBytes(value);
            default -> throw new IllegalStateException("unknown body " + body.getClass());
        };
        try (BodySink sink = out.open(bytes.length)) {
            if (!head && bytes.length > 0) {
                sink.write(bytes);
            }
        }
    }

    /** A slice of a file, read in pieces as it is sent. */
    private record FileBody(java.nio.file.Path path, long offset, long length) {
        void writeTo(BodySink sink) throws IOException {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, length)));
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
                long position = offset;
                long end = offset + length;
                while (position < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int read = channel.read(buffer, position);
                    if (read < 0) {
                        throw new IOException(path + " shrank while it was being sent");
                    }
                    position += read;
                    sink.write(buffer.flip());
                }
            }
        }
    }

    /** A JSON body, serialized when sent. */
    private record JsonBody(Object value) {
    }

    /** Writes each chunk and flushes it, so it reaches the client now. */
    private record FlushingOutput(BodySink sink) implements StreamingOutput {
        @Override
        public void write(String text) throws IOException {
            sink.write(text);
            sink.flush();
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            sink.write(bytes);
            sink.flush();
        }
    }
}
