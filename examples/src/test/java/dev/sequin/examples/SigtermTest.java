package dev.sequin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sequin.Api;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code api.serve()} in a child JVM stops gracefully on SIGTERM: a request in flight still gets
 * its whole response, the app's {@code onStop} runs, and the process exits.
 */
@Timeout(60)
class SigtermTest {

    private static final Pattern SERVING = Pattern.compile("Sequin serving on http://([^:]+):(\\d+) \\((\\w+)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"undertow", "jetty", "netty"})
    void sigtermStopsServeGracefully(String backend) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = Files.createTempFile("sequin-serve", ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dsequin.backend=" + backend, ServingMain.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            Matcher serving = SERVING.matcher(awaitLine(output, "Sequin serving on"));
            assertTrue(serving.find());
            assertEquals(backend, serving.group(3));
            URI base = URI.create("http://" + serving.group(1) + ":" + serving.group(2));
            HttpResponse<String> hello = http.send(HttpRequest.newBuilder(base.resolve("/hello")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hello", hello.body());

            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("/slow")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitLine(output, "slow started");
            process.destroy();
            HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode());
            assertEquals("slow done", finished.body(), "the request in flight at SIGTERM gets its whole response");
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the process must exit soon after SIGTERM");
            assertEquals(143, process.exitValue(), "exit status of a JVM ended by SIGTERM");
            List<String> lines = Files.readAllLines(output);
            assertTrue(lines.contains("app stopped"), "the shutdown hook closed the app, running onStop: " + lines);
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.delete(output);
        }
    }

    private static String awaitLine(Path output, String start) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(output)) {
                if (line.startsWith(start)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        return fail("the child never printed a line starting with: " + start);
    }

    /** The child: a tiny app served by {@code serve()}, on {@code $PORT}. */
    static final class ServingMain {

        public static void main(String[] args) throws Exception {
            Api api = new Api();
            api.get("/hello", (req, resp) -> resp.setText("hello"));
            api.get("/slow", (req, resp) -> {
                System.out.println("slow started");
                Thread.sleep(1_000);
                resp.setText("slow done");
            });
            api.onStop(() -> System.out.println("app stopped"));
            api.serve();
        }
    }
}
