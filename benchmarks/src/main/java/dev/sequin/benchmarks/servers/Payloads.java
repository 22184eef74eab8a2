package dev.sequin.benchmarks.servers;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every load-test server answers, so the variants differ only in how they serve it:
 * {@code GET /plaintext} is {@code Hello, World!} as {@code text/plain; charset=utf-8},
 * {@code GET /json} is {@code {"message":"Hello, World!"}} serialized by Jackson per request,
 * {@code GET /stream} is {@link #streamBytes()} zero bytes in {@link #CHUNK_BYTES}-byte chunks, and
 * {@code POST /upload} reads the whole request body and answers its size in bytes, in decimal, as
 * {@code text/plain; charset=utf-8}.
 *
 * <pre>{@code
 * byte[] body = Payloads.json();           // a fresh serialization each call
 * byte[] answer = Payloads.uploaded(42);   // "42", what /upload answers after 42 body bytes
 * }</pre>
 */
public final class Payloads {

    /** The plaintext body. */
    public static final String PLAINTEXT = "Hello, World!";
    /** The plaintext body as bytes. */
    public static final byte[] PLAINTEXT_BYTES = PLAINTEXT.getBytes(StandardCharsets.UTF_8);
    /** The plaintext content type, as Sequin's {@code setText} sends it. */
    public static final String TEXT_TYPE = "text/plain; charset=utf-8";
    /** The JSON content type. */
    public static final String JSON_TYPE = "application/json";
    /** The size of each streamed chunk. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** One streamed chunk; never written to. */
    public static final byte[] CHUNK = new byte[CHUNK_BYTES];

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Payloads() {
    }

    /** The JSON body's shape. @param message the greeting */
    public record Message(String message) {
    }

    /** @return {@code {"message":"Hello, World!"}}, serialized now */
    public static byte[] json() {
        return MAPPER.writeValueAsBytes(new Message(PLAINTEXT));
    }

    /** @param bytes the size of the body received @return what {@code /upload} answers: the size in decimal */
    public static byte[] uploaded(long bytes) {
        return Long.toString(bytes).getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the size of the {@code /stream} body: {@code -Dbench.streamBytes}, default 1 GiB */
    public static long streamBytes() {
        return Long.getLong("bench.streamBytes", 1L << 30);
    }

    /**
     * @param args the command line, whose last argument is the port
     * @return the port to listen on
     */
    public static int port(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ... PORT");
        }
        return Integer.parseInt(args[args.length - 1]);
    }
}
