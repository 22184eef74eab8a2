package dev.sequin.tck;

import dev.sequin.TestClient;
import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The TCK run against the in-memory {@link TestClient}, as a fourth backend: every case that
 * makes sense without a socket. The cases that need one declare {@link Capability#SOCKET}, which
 * this run lacks, and are reported as not applicable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class TestClientTckTest implements TckContracts {

    private TckApp app;
    private TestClient client;
    private HttpClient http;

    @BeforeAll
    void startInMemory() {
        app = TckApp.create();
        client = app.api().client();
        http = new InMemoryHttpClient(client);
    }

    @AfterAll
    void stopInMemory() {
        app.probes().releaseAll();
        try {
            client.close();
        } finally {
            app.close();
        }
    }

    @Override
    public TckApp app() {
        return app;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.IN_PROCESS, Capability.WEBSOCKET, Capability.NON_BLOCKING);
    }

    @Override
    public String host() {
        return "testclient";
    }

    @Override
    public int port() {
        return 80;
    }

    @Override
    public HttpClient http() {
        return http;
    }

    @Override
    public Server start(TckApp other) {
        throw new UnsupportedOperationException("the in-memory client starts no servers: the case needs Capability.SOCKET");
    }

    @Override
    public Server start(TckApp other, UnaryOperator<ServerOptions> change) {
        return start(other);
    }
}
