package dev.sequin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.Api;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** This module has all three backends on its classpath, as a user with several would. */
@Timeout(60)
class BackendChoiceTest {

    @Test
    void withoutAChoiceStartupFailsListingEveryBackend() {
        Api api = SeedApp.create("templates");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> api.start(ServerOptions.port(0)));
        for (String name : new String[] {"undertow", "jetty", "netty"}) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"undertow", "jetty", "netty"})
    void eachBackendServesTheSeedApp(String backend) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Server server = SeedApp.create("templates").start(ServerOptions.port(0).withBackend(backend))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/json"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("{\"hello\":\"world!\"}", r.body());
        }
    }
}
