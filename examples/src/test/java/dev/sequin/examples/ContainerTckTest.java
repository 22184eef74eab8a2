package dev.sequin.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.tck.RemoteTck;
import dev.sequin.tck.TckServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The TCK's Testcontainers mode: {@link TckServer} in a container of the local image
 * {@value #IMAGE} (built by {@code .ci/local-jre-image.sh up}, never pulled), on the backend named
 * by {@code -D}{@value #BACKEND_PROPERTY} (default {@code undertow}), and the remote suite against
 * it. The container shares the host's network and listens on 127.0.0.1 at a free port it prints in
 * its {@code READY} line; its classpath is this test JVM's (the module's classes and every
 * dependency, {@code sequin-tck} included), copied in as one archive, which also works in a
 * reactor build where sibling modules are still class folders. Where no Docker engine answers, the class is skipped
 * with that reason. The container's output is in {@code target/container-tck-server.log}.
 *
 * <pre>{@code
 * bash .ci/local-jre-image.sh up
 * ./sequin mvn -pl examples test -Dtest=ContainerTckTest -Dsequin.tck.container.backend=jetty
 * }</pre>
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerTckTest extends RemoteTck {

    /** The local image holding a Java runtime. */
    static final String IMAGE = "sequin/jre:25";

    /** The system property naming the backend the container serves with. */
    static final String BACKEND_PROPERTY = "sequin.tck.container.backend";

    private static final String BACKEND = System.getProperty(BACKEND_PROPERTY, "undertow");
    private static final Pattern READY = Pattern.compile("^" + TckServer.READY + " (http://\\S+)$", Pattern.MULTILINE);
    private static final Path LOG = Path.of("target", "container-tck-server.log");
    private static final String APP = "/app/classpath";

    @Container
    private static final GenericContainer<?> SERVER = tckServer();

    private String url;

    /** @return the container running TckServer, with this JVM's classpath copied in */
    private static GenericContainer<?> tckServer() {
        Map<String, MountableFile> entries = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            entries.put(entries.size() + "-" + path.getFileName(), MountableFile.forHostPath(path));
        }
        String classpath = entries.keySet().stream().map(name -> APP + "/" + name).collect(Collectors.joining(":"));
        return new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withImagePullPolicy(image -> false)
                .withNetworkMode("host")
                .withCopyToContainer(new Entries(entries), APP)
                .withCommand("java", "-Xmx256m", "-cp", classpath, "-Dsequin.backend=" + BACKEND, "-Dport=0",
                        TckServer.class.getName())
                .waitingFor(Wait.forLogMessage(".*" + TckServer.READY + " .*", 1).withStartupTimeout(Duration.ofSeconds(30)));
    }

    @BeforeAll
    void readUrl() {
        Matcher ready = READY.matcher(SERVER.getLogs());
        assertTrue(ready.find(), "no READY line in the container's output:\n" + SERVER.getLogs());
        url = ready.group(1);
    }

    /** Stops the container as an orchestrator would, with SIGTERM, which must stop the server gracefully. */
    @AfterAll
    void stopGracefully() throws IOException {
        SERVER.getDockerClient().stopContainerCmd(SERVER.getContainerId()).withTimeout(20).exec();
        String logs = SERVER.getLogs();
        Files.writeString(LOG, logs);
        assertTrue(logs.lines().anyMatch("STOPPED"::equals), "TckServer stopped gracefully on SIGTERM; see " + LOG);
    }

    @Override
    protected String baseUrl() {
        return url;
    }

    @Test
    void theContainerServesWithTheChosenBackend() {
        assertTrue(SERVER.getLogs().contains("Sequin serving on " + url + " (" + BACKEND + ")"), SERVER.getLogs());
    }

    /** Files and folders copied into the container as one archive, rather than one copy each. */
    private record Entries(Map<String, MountableFile> byName) implements Transferable {

        @Override
        public long getSize() {
            return byName.values().stream().mapToLong(MountableFile::getSize).sum();
        }

        @Override
        public void transferTo(TarArchiveOutputStream tar, String destination) {
            byName.forEach((name, file) -> file.transferTo(tar, destination + "/" + name));
        }
    }
}
