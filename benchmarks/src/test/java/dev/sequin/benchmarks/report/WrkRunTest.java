package dev.sequin.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WrkRunTest {

    static final String OUTPUT = """
            Running 8s test @ http://127.0.0.1:18080/plaintext
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.20ms  310.55us  12.01ms   90.12%
                Req/Sec    53.31k     1.02k   55.12k    71.25%
              Latency Distribution
                 50%    1.15ms
                 75%    1.28ms
                 90%    1.45ms
                 99%    2.50ms
              424312 requests in 8.00s, 57.47MB read
            Requests/sec:  53033.21
            Transfer/sec:      7.18MB
            """;

    @Test
    void readsTotalsRateAndP99() {
        WrkRun run = WrkRun.parse(OUTPUT);
        assertEquals(424_312, run.requests());
        assertEquals(8.0, run.seconds(), 1e-9);
        assertEquals(53_033.21, run.requestsPerSecond(), 1e-9);
        assertEquals(2.5, run.p99Millis(), 1e-9);
        assertEquals(0, run.errors());
    }

    @Test
    void convertsLatencyUnitsToMilliseconds() {
        assertEquals(0.8005, WrkRun.parse(OUTPUT.replace("99%    2.50ms", "99%  800.50us")).p99Millis(), 1e-9);
        assertEquals(1500, WrkRun.parse(OUTPUT.replace("99%    2.50ms", "99%    1.50s")).p99Millis(), 1e-9);
    }

    @Test
    void countsSocketErrorsAndBadStatuses() {
        String failing = OUTPUT.replace("Requests/sec:", """
                  Socket errors: connect 1, read 2, write 3, timeout 4
                  Non-2xx or 3xx responses: 10
                Requests/sec:""");
        assertEquals(20, WrkRun.parse(failing).errors());
    }

    @Test
    void refusesOutputWithoutTheLatencyDistribution() {
        String plain = OUTPUT.replaceAll("(?s)  Latency Distribution.*?99%    2.50ms\n", "");
        assertThrows(IllegalArgumentException.class, () -> WrkRun.parse(plain));
    }
}
