package dev.sequin.netty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Obsolete line folding (a request head line beginning with SP or HTAB) is refused with
 * {@code 400} and the connection closed, however the head is split across reads, while the same
 * bytes in a request body, followed by a pipelined request, are served.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObsoleteLineFoldingTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final Server server = new NettyBackend().start((req, resp) -> {
        calls.incrementAndGet();
        byte[] text = (req.rawPath() + ":" + new String(req.body().readAllBytes(), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        try (BodySink sink = resp.open(text.length)) {
            sink.write(text);
        }
    }, ServerOptions.port(0).withGracePeriod(Duration.ofSeconds(1)));

    ObsoleteLineFoldingTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void foldOfTheFirstHeaderLineIsRefused() throws Exception {
        assertRefused("GET /a HTTP/1.1\r\nX-Folded: a\r\n b\r\nHost: x\r\n\r\n");
    }

    @Test
    void foldOfALaterHeaderLineIsRefused() throws Exception {
        assertRefused("GET /a HTTP/1.1\r\nHost: x\r\nX-One: 1\r\nX-Two: 2\r\n\t3\r\nX-Three: 3\r\n\r\n");
    }

    @Test
    void foldAfterAPipelinedRequestWithABodyIsRefused() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab\r\n"
                    + "GET /folded HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n"
                    + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("/first:ab\r\n", raw.readResponse().body());
            assertRefusedAndClosed(raw);
        }
        assertEquals(1, calls.get());
    }

    @Test
    void foldSplitAcrossTwoWritesIsRefused() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.socket().setTcpNoDelay(true);
            raw.send("GET /split HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n");
            Thread.sleep(200);
            raw.send(" b\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            assertRefusedAndClosed(raw);
        }
        assertEquals(0, calls.get());
    }

    @Test
    void contentLengthBodyWithLineBreakAndSpaceIsServedAndSoIsTheNextRequest() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab\r\n cd\r\n\t"
                    + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertServed(raw, "/body:ab\r\n cd\r\n\t");
            assertServed(raw, "/next:");
        }
    }

    @Test
    void chunkedBodyWithLineBreakAndSpaceIsServedAndSoIsTheNextRequest() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nab\r\n \r\n4\r\n\r\n\t \r\n0\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertServed(raw, "/chunked:ab\r\n \r\n\t ");
            assertServed(raw, "/next:");
        }
    }

    @Test
    void bodyStartingWithSpaceInAWriteAfterTheHeadIsServed() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.socket().setTcpNoDelay(true);
            raw.send("POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n");
            Thread.sleep(200);
            raw.send(" a\r\n");
            Thread.sleep(200);
            raw.send(" b");
            assertServed(raw, "/late: a\r\n b");
            raw.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertServed(raw, "/next:");
        }
    }

    /** Every split of the bytes into two reads, through the decoder alone. */
    @Test
    void decoderSeesTheSameAtEverySplit() {
        String bytes = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n\r\n \r\n"
                + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n\n \n\r\n0\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /d HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n"
                + "GET /e HTTP/1.1\r\nHost: x\r\n\r\n";
        for (int split = 0; split <= bytes.length(); split++) {
            assertEquals(List.of("/a ok \r\n \r\n", "/b ok \n \n", "/c ok ", "/d failed"), decode(bytes, split),
                    "split at " + split);
        }
    }

    /** @return each request's target, whether it decoded, and its body, from the bytes sent in two reads */
    private static List<String> decode(String bytes, int split) {
        RequestDecoder decoder = new RequestDecoder(new HttpDecoderConfig());
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ResponseEncoder(decoder));
        byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
        channel.writeInbound(Unpooled.wrappedBuffer(all, 0, split));
        channel.writeInbound(Unpooled.wrappedBuffer(all, split, all.length - split));
        List<String> decoded = new ArrayList<>();
        for (HttpObject msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            if (msg instanceof HttpRequest request) {
                decoded.add(request.uri() + (request.decoderResult().isSuccess() ? " ok " : " failed"));
            }
            if (msg instanceof HttpContent content && !(msg instanceof HttpRequest)) {
                int last = decoded.size() - 1;
                decoded.set(last, decoded.get(last) + content.content().toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        return decoded;
    }

    private void assertRefused(String request) throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send(request + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            assertRefusedAndClosed(raw);
        }
        assertEquals(0, calls.get(), "the handler must not see a folded request");
    }

    private static void assertRefusedAndClosed(RawClient raw) throws IOException {
        RawClient.Response response = raw.readResponse();
        assertEquals(400, response.head().status());
        assertEquals("close", response.head().header("Connection"));
        assertEquals("text/plain; charset=utf-8", response.head().header("Content-Type"));
        assertEquals("Bad Request", response.body());
        assertTrue(raw.closedByServer(), "the request after a refused one must not be answered");
    }

    private static void assertServed(RawClient raw, String body) throws IOException {
        RawClient.Response response = raw.readResponse();
        assertEquals(200, response.head().status());
        assertEquals(body, response.body());
    }
}
