package dev.sequin.tck;

import dev.sequin.spi.Server;
import dev.sequin.spi.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TCK's contracts run against a server that is already running, in another process or a
 * container, serving {@link TckApp} (mounted as an {@code HttpHandler}, its app started) at a
 * base URL: {@link #baseUrl()}, by default the system property {@value #URL_PROPERTY}, for
 * example {@code http://127.0.0.1:8080} or, when the app is mounted under a prefix,
 * {@code http://127.0.0.1:8080/tck}. Without it every case is skipped, naming the property.
 * Its capabilities are all but {@link Capability#IN_PROCESS} unless the system property
 * {@value #CAPABILITIES_PROPERTY} lists them ({@code WEBSOCKET,LIMITS}, or empty for none);
 * {@link Capability#SOCKET} is always among them.
 *
 * <pre>{@code
 * // in the test sources of the project that deploys the app:
 * class DeployedTckTest extends RemoteTck {
 * }
 * // mvn test -Dtest=DeployedTckTest -Dsequin.tck.url=http://127.0.0.1:8080/tck -Dsequin.tck.capabilities=LIMITS
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
public class RemoteTck implements TckContracts {

    /** The system property holding the base URL of the server under test. */
    public static final String URL_PROPERTY = "sequin.tck.url";

    /** The system property listing the capabilities of the server under test, comma-separated. */
    public static final String CAPABILITIES_PROPERTY = "sequin.tck.capabilities";

    private HttpClient http;
    private URI base;

    /** For JUnit, and for subclasses that name the URL or the capabilities in code. */
    public RemoteTck() {
    }

    /**
     * @return the base URL of the server under test ({@code http://host:port} and an optional
     *         path prefix), or {@code null} to skip every case; by default the system property
     *         {@value #URL_PROPERTY}. Called before each case, once the class's
     *         {@code @BeforeAll} methods have run.
     */
    protected String baseUrl() {
        return System.getProperty(URL_PROPERTY);
    }

    /**
     * Declares what the server under test can do beyond HTTP/1.1; the cases needing a
     * capability it lacks are reported as skipped, naming it.
     *
     * @return the capabilities listed in {@value #CAPABILITIES_PROPERTY} and {@link Capability#SOCKET},
     *         or when it is absent all but {@link Capability#IN_PROCESS}
     * @throws IllegalArgumentException if the property names an unknown capability, or {@code IN_PROCESS}
     */
    @Override
    public Set<Capability> capabilities() {
        String listed = System.getProperty(CAPABILITIES_PROPERTY);
        if (listed == null) {
            return EnumSet.complementOf(EnumSet.of(Capability.IN_PROCESS));
        }
        Set<Capability> capabilities = EnumSet.of(Capability.SOCKET);
        for (String name : listed.split(",")) {
            if (!name.isBlank()) {
                capabilities.add(capability(name.trim().toUpperCase(Locale.ROOT)));
            }
        }
        return capabilities;
    }

    private static Capability capability(String name) {
        Set<Capability> remote = EnumSet.complementOf(EnumSet.of(Capability.IN_PROCESS));
        for (Capability capability : remote) {
            if (capability.name().equals(name)) {
                return capability;
            }
        }
        throw new IllegalArgumentException(CAPABILITIES_PROPERTY + " names '" + name + "': a remote run may declare "
                + remote + " only");
    }

    /** Creates the shared client. */
    @BeforeAll
    protected final void openClient() {
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Skips the case when there is no {@link #baseUrl()}, else reads where the server is.
     *
     * @throws IllegalArgumentException if the URL is not {@code http://host:port[/prefix]}
     */
    @BeforeEach
    protected final void findServer() {
        String url = baseUrl();
        assumeTrue(url != null && !url.isBlank(), "no server to test: set -D" + URL_PROPERTY
                + "=http://host:port[/prefix] to the base URL of a running server serving TckApp");
        URI uri = URI.create(url.strip());
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(URL_PROPERTY + " must be http://host:port with an optional path prefix, not "
                    + url);
        }
        base = uri;
    }

    /** Stops the shared client. */
    @AfterAll
    protected final void closeClient() {
        if (http != null) {
            http.close();
        }
    }

    /** @throws IllegalStateException always: the app runs in another JVM */
    @Override
    public final TckApp app() {
        throw notInProcess("app()");
    }

    @Override
    public final String host() {
        return base.getHost();
    }

    @Override
    public final int port() {
        return base.getPort() == -1 ? 80 : base.getPort();
    }

    @Override
    public final String prefix() {
        String path = base.getRawPath();
        return path == null || path.equals("/") ? "" : path.replaceAll("/+$", "");
    }

    @Override
    public final HttpClient http() {
        return http;
    }

    /** @throws IllegalStateException always: the backend is not in this JVM */
    @Override
    public final Server start(TckApp tckApp) {
        throw notInProcess("start(app)");
    }

    /** @throws IllegalStateException always: the backend is not in this JVM */
    @Override
    public final Server start(TckApp tckApp, UnaryOperator<ServerOptions> change) {
        throw notInProcess("start(app, change)");
    }

    private static IllegalStateException notInProcess(String method) {
        return new IllegalStateException(method + " is not available remotely: "
                + "a case calling it is annotated @Requires(Capability.IN_PROCESS)");
    }
}
