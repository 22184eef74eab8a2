package dev.sequin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sequin.tck.RemoteTck;
import dev.sequin.tck.TckServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The TCK's remote mode against a server started apart: {@link TckServer} in a child JVM on
 * Undertow, with the test application mounted under {@code /tck}; the suite learns the URL from
 * the child's {@code READY} line, and the child must stop gracefully on SIGTERM afterwards. The
 * child's output is in {@code target/separate-process-tck-server.log}.
 */
class SeparateProcessTckTest extends RemoteTck {

    private static final Path LOG = Path.of("target", "separate-process-tck-server.log");
    private static final String READY = TckServer.READY + " ";

    private Process server;
    private String url;

    @BeforeAll
    void startServer() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dsequin.backend=undertow", "-Dport=0", "-Dprefix=/tck", TckServer.class.getName())
                .redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        url = awaitReady();
    }

    @AfterAll
    void stopServer() throws IOException, InterruptedException {
        server.destroy();
        try {
            assertTrue(server.waitFor(20, TimeUnit.SECONDS), "TckServer must exit soon after SIGTERM");
            assertEquals(143, server.exitValue(), "exit status of a JVM ended by SIGTERM");
            assertTrue(Files.readAllLines(LOG).contains("STOPPED"), "TckServer stopped gracefully; see " + LOG);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    protected String baseUrl() {
        return url;
    }

    @Override
    @Test
    @Disabled("Undertow unfolds obsolete line folding into a space, as RFC 9112 section 5.2 allows, and the parsed "
            + "request shows no trace of it (the same known gap as UndertowTckTest)")
    public void obsoleteLineFoldingIsRefusedAndTheConnectionIsNotReused() {
    }

    /** @return the base URL from the child's READY line, within 30 s */
    private String awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && server.isAlive()) {
            List<String> lines = Files.readAllLines(LOG);
            for (String line : lines) {
                if (line.startsWith(READY)) {
                    return line.substring(READY.length());
                }
            }
            Thread.sleep(50);
        }
        return fail("TckServer printed no READY line (alive: " + server.isAlive() + "):\n"
                + String.join("\n", Files.readAllLines(LOG)));
    }
}
