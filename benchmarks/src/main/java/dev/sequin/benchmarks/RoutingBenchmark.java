package dev.sequin.benchmarks;

import dev.sequin.Api;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dispatch of a GET through an app with 10, 100 or 1,000 routes, to a static, a dynamic and a
 * {@code *rest} route registered last: the cost must not grow with the number of routes.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RoutingBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

    @Param({"10", "100", "1000"})
    public int routes;

    private Api api;

    @Setup
    public void setUp() {
        api = Api.builder().staticDir(null).templatesDir(null).build();
        for (int i = 0; i < routes; i++) {
            api.get("/section" + i + "/items", (req, resp) -> resp.setText("static"));
            api.get("/section" + i + "/items/{id:int}", (req, resp) -> resp.setText("dynamic"));
            api.get("/section" + i + "/files/{p:*rest}", (req, resp) -> resp.setText("rest"));
        }
    }

    @Benchmark
    public long staticRoute() throws Exception {
        return dispatch("/section" + (routes - 1) + "/items");
    }

    @Benchmark
    public long dynamicRoute() throws Exception {
        return dispatch("/section" + (routes - 1) + "/items/42");
    }

    @Benchmark
    public long restRoute() throws Exception {
        return dispatch("/section" + (routes - 1) + "/files/a/b/c.txt");
    }

    private long dispatch(String path) throws Exception {
        NullExchange exchange = NullExchange.get(path);
        api.handle(exchange, exchange.response());
        return exchange.response().written();
    }
}
