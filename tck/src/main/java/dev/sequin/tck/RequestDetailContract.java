package dev.sequin.tck;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request details (API.md section 3) as the wire gives them: {@code accept()} ordering,
 * cookies from several pairs and header lines, header names in any case, {@code url()} from the Host header,
 * {@code version()}, {@code client()} and {@code scheme()} of the connection, and
 * {@code state()} shared by hooks and the view.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface RequestDetailContract extends TckContext {

    /** The media types {@code /detail/accept} is asked about. */
    String ASKED = "/detail/accept?type=text/html&type=text/plain&type=image/png&type=application/json";

    private JsonNode accept(String accept) throws Exception {
        HttpResponse<String> r = send(request(ASKED).header("Accept", accept).GET().build());
        assertEquals(200, r.statusCode());
        return json(r.body());
    }

    private RawResponse raw(String request) throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(request, "GET");
            assertEquals(200, r.status());
            return r;
        }
    }

    @Test
    default void acceptOrdersByQualityThenSpecificity() throws Exception {
        assertEquals(json("{\"text/html\":{\"type\":\"text/html\",\"q\":0.5},"
                        + "\"text/plain\":{\"type\":\"text/*\",\"q\":0.5},"
                        + "\"image/png\":{\"type\":\"*/*\",\"q\":0.1},"
                        + "\"application/json\":{\"type\":\"application/json\",\"q\":1.0}}"),
                accept("text/*;q=0.5, */*;q=0.1, text/html;q=0.5, application/json"));
    }

    @Test
    default void acceptHigherQualityWinsOverSpecificity() throws Exception {
        JsonNode answers = accept("text/html;q=0.2, */*");
        assertEquals(json("{\"type\":\"*/*\",\"q\":1.0}"), answers.get("text/html"));
    }

    @Test
    default void acceptWithoutAMatchOrWithQZeroIsEmpty() throws Exception {
        JsonNode answers = accept("application/json, text/html;q=0");
        assertTrue(answers.get("text/html").isNull(), "q=0 refuses text/html");
        assertTrue(answers.get("image/png").isNull(), "nothing admits image/png");
        assertEquals(json("{\"type\":\"application/json\",\"q\":1.0}"), answers.get("application/json"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void noAcceptHeaderAcceptsEverything() throws Exception {
        JsonNode answers = json(raw(head("GET", "/detail/accept?type=image/png")).text());
        assertEquals(json("{\"type\":\"*/*\",\"q\":1.0}"), answers.get("image/png"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void cookiesFromSeveralPairsAndHeaderLines() throws Exception {
        JsonNode info = json(raw(head("GET", "/request/info",
                "Cookie: a=1; b=two;c=\"quoted value\"", "Cookie: d=4")).text());
        assertEquals(json("{\"a\":\"1\",\"b\":\"two\",\"c\":\"quoted value\",\"d\":\"4\"}"), info.get("cookies"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void headerNamesAreCaseInsensitive() throws Exception {
        JsonNode info = json(raw(head("GET", "/request/info", "x-tEsT: one", "X-TEST: two")).text());
        assertEquals(json("[\"one\",\"two\"]"), info.get("xTest"));
    }

    @Test
    @Requires(Capability.SOCKET)
    default void urlIsBuiltFromTheHostHeaderWithTheRawQuery() throws Exception {
        JsonNode info = json(raw("GET " + path("/request/info?x=1&y=a%20b") + " HTTP/1.1\r\nHost: tck.example:8123\r\n\r\n").text());
        assertEquals("http://tck.example:8123/request/info?x=1&y=a%20b", info.get("url").asString());
    }

    @Test
    @Requires(Capability.SOCKET)
    default void versionIsTheRequestsProtocol() throws Exception {
        String http10 = "GET " + path("/request/info") + " HTTP/1.0\r\nHost: " + host() + ":" + port() + "\r\n\r\n";
        assertEquals("HTTP/1.0", json(raw(http10).text()).get("version").asString());
        assertEquals("HTTP/1.1", json(raw(head("GET", "/request/info")).text()).get("version").asString());
    }

    @Test
    @Requires(Capability.SOCKET)
    default void clientIsTheLoopbackEndOfTheConnection() throws Exception {
        try (RawConnection c = connect()) {
            RawResponse r = c.exchange(head("GET", "/detail/client"), "GET");
            assertEquals(200, r.status());
            assertEquals(json("{\"loopback\":true,\"port\":" + c.localPort() + ",\"scheme\":\"http\"}"), json(r.text()));
        }
    }

    @Test
    default void stateIsSharedByHooksAndTheView() throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = get("/detail/state");
            assertEquals(200, r.statusCode());
            assertEquals(json("{\"fresh\":true,\"user\":\"alice\"}"), json(r.body()), "each request starts with an empty state");
            assertEquals("was here", header(r, "X-State-After"));
        }
    }
}
