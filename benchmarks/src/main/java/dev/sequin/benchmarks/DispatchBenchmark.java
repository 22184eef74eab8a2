package dev.sequin.benchmarks;

import dev.sequin.Api;
import dev.sequin.Cookie;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's cost per request without a socket: a text response, a JSON response built with
 * {@code json().put}, cookies and headers. Run with {@code -prof gc} for allocation per operation.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar DispatchBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

    private Api api;

    @Setup
    public void setUp() {
        api = Api.builder().staticDir(null).templatesDir(null).build();
        api.get("/plaintext", (req, resp) -> resp.setText("Hello, World!"));
        api.get("/json", (req, resp) -> resp.json().put("message", "Hello, World!"));
        api.get("/cookies", (req, resp) -> resp.setCookie("session", "abc123")
                .setCookie(Cookie.of("prefs", "dark").secure(true)).setText("ok"));
        api.get("/headers", (req, resp) -> resp.setHeader("X-One", "1").addHeader("Vary", "Accept")
                .addHeader("Vary", "Cookie").setHeader("Cache-Control", "no-store").setText("ok"));
    }

    @Benchmark
    public long plaintext() throws Exception {
        return dispatch("/plaintext");
    }

    @Benchmark
    public long json() throws Exception {
        return dispatch("/json");
    }

    @Benchmark
    public long cookies() throws Exception {
        return dispatch("/cookies");
    }

    @Benchmark
    public long headers() throws Exception {
        return dispatch("/headers");
    }

    private long dispatch(String path) throws Exception {
        NullExchange exchange = NullExchange.get(path);
        api.handle(exchange, exchange.response());
        return exchange.response().written();
    }
}
