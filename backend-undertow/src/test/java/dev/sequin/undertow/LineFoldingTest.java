package dev.sequin.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Obsolete line folding (a head line beginning with SP or HTAB) is refused with Undertow's own
 * {@code 400} and the connection closed, wherever it falls in a head and however the head is cut
 * into TCP writes; and the same bytes inside request bodies, with requests pipelined behind them,
 * are left alone.
 */
@Timeout(20)
class LineFoldingTest extends ServerTestSupport {

    private static final String FOLLOW_UP = "GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    private Server server;

    /** Answers {@code <path> <body bytes read> <X-Folded value>}. */
    @BeforeEach
    void startServer() throws IOException {
        server = start((req, resp) -> {
            int length = req.rawPath().equals("/ignored") ? -1 : req.body().readAllBytes().length;
            byte[] text = (req.rawPath() + " " + length + " " + req.headers().get("X-Folded")).getBytes(StandardCharsets.UTF_8);
            try (BodySink body = resp.open(text.length)) {
                body.write(text);
            }
        });
    }

    @Test
    void foldInTheFirstHeaderLineIsRefused() throws IOException {
        assertRefused(List.of(), send("GET /a HTTP/1.1\r\nX-Folded: a\r\n b\r\nHost: x\r\n\r\n" + FOLLOW_UP));
        assertRefused(List.of(), send("GET /a HTTP/1.1\r\n X-Folded: a\r\nHost: x\r\n\r\n" + FOLLOW_UP));
    }

    @Test
    void foldInALaterHeaderIsRefused() throws IOException {
        assertRefused(List.of(), send("GET /a HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n" + FOLLOW_UP));
        assertRefused(List.of(), send("GET /a HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n\tb\r\nX-Other: c\r\n\r\n" + FOLLOW_UP));
    }

    @Test
    void foldSplitAcrossTwoWritesIsRefused() throws IOException, InterruptedException {
        assertRefused(List.of(), send("GET /a HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n", " b\r\n\r\n" + FOLLOW_UP));
    }

    @Test
    void foldInAPipelinedHeadAfterABodyIsRefused() throws IOException, InterruptedException {
        String folded = "GET /b HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n";
        assertRefused(List.of("/a 5 null"), send(contentLength("a\r\n b") + folded + FOLLOW_UP));
        assertRefused(List.of("/a 5 null"), send(chunked("a\r\n b") + folded + FOLLOW_UP));
        assertRefused(List.of("/a 0 null"), send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + folded + FOLLOW_UP));
        assertRefused(List.of("/a 5 null"), send(contentLength("a\r\n b") + "GET /b HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n", " b\r\n\r\n"));
    }

    @Test
    void contentLengthBodyWithFoldLikeBytesIsServedAndSoIsTheRequestBehindIt() throws IOException, InterruptedException {
        assertServed(List.of("/a 5 null", "/next 0 null"), send(contentLength("a\r\n b") + FOLLOW_UP));
        assertServed(List.of("/a 9 null", "/next 0 null"), send(contentLength("\r\n \r\n\tb\n "), FOLLOW_UP));
    }

    @Test
    void chunkedBodyWithFoldLikeBytesIsServedAndSoIsTheRequestBehindIt() throws IOException, InterruptedException {
        assertServed(List.of("/a 5 null", "/next 0 null"), send(chunked("a\r\n b") + FOLLOW_UP));
        String twoChunks = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\na\r\n\r\n3\r\n b\n\r\n0\r\n\r\n";
        assertServed(List.of("/a 6 null", "/next 0 null"), send(twoChunks + FOLLOW_UP));
        assertServed(List.of("/a 6 null", "/next 0 null"), send(twoChunks, FOLLOW_UP));
    }

    @Test
    void largeBodiesFullOfFoldLikeBytesDoNotHideOrInventAFold() throws IOException, InterruptedException {
        String lines = "{\n  \"a\": 1,\r\n\t\"b\": 2\n}\n ".repeat(5_000);
        int length = lines.length();
        String folded = "GET /b HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n";
        assertServed(List.of("/a " + length + " null", "/next 0 null"), send(contentLength(lines) + FOLLOW_UP));
        assertServed(List.of("/a " + length + " null", "/next 0 null"), send(chunked(lines) + FOLLOW_UP));
        assertRefused(List.of("/a " + length + " null"), send(contentLength(lines) + folded + FOLLOW_UP));
        assertRefused(List.of("/a " + length + " null"), send(chunked(lines) + folded + FOLLOW_UP));
    }

    @Test
    void bodyTheHandlerLeavesUnreadIsSkippedByUndertowNotScanned() throws IOException, InterruptedException {
        String lines = "a\r\n b\n\t".repeat(20_000);
        String folded = "GET /b HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n";
        assertServed(List.of("/ignored -1 null", "/next 0 null"),
                send(contentLength(lines).replace("/a", "/ignored") + FOLLOW_UP));
        assertServed(List.of("/ignored -1 null", "/next 0 null"),
                send(chunked(lines).replace("/a", "/ignored") + FOLLOW_UP));
        assertRefused(List.of("/ignored -1 null"), send(chunked(lines).replace("/a", "/ignored") + folded + FOLLOW_UP));
    }

    @Test
    void keptAliveConnectionGoesOnChecking() throws IOException, InterruptedException {
        List<String> served = new ArrayList<>();
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            requests.append(contentLength("x\r\n y")).append("GET /g HTTP/1.1\r\nHost: x\r\nX-Folded: a b\r\n\r\n");
            served.add("/a 5 null");
            served.add("/g 0 a b");
        }
        served.add("/next 0 null");
        assertServed(served, send(requests + FOLLOW_UP));
    }

    private static String contentLength(String body) {
        return "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String chunked(String body) {
        return "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    /**
     * Sends each part as its own TCP write, with a pause between them, then reads until the
     * server closes the connection.
     */
    private String send(String... parts) throws IOException {
        try (Socket socket = RawHttp.connect(server.port())) {
            socket.setTcpNoDelay(true);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    pause();
                }
                RawHttp.send(socket, parts[i]);
            }
            return new String(RawHttp.readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The answers are the {@code served} bodies, each with 200, and nothing else. */
    private static void assertServed(List<String> served, String transcript) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(transcript.getBytes(StandardCharsets.ISO_8859_1));
        for (String body : served) {
            String head = RawHttp.readHead(in);
            assertEquals(200, RawHttp.status(head), transcript);
            int length = Integer.parseInt(RawHttp.header(head, "Content-Length"));
            assertEquals(body, new String(RawHttp.readExactly(in, length), StandardCharsets.ISO_8859_1), transcript);
        }
        assertEquals(-1, in.read(), () -> "nothing after the expected answers: " + transcript);
    }

    /** The {@code served} answers, then Undertow's 400 for the folded head, then nothing: the connection was closed. */
    private static void assertRefused(List<String> served, String transcript) throws IOException {
        int refusal = transcript.lastIndexOf("HTTP/1.1 400 ");
        assertTrue(refusal >= 0, () -> "expected a 400: " + transcript);
        assertServed(served, transcript.substring(0, refusal));
        assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", transcript.substring(refusal));
    }
}
