package dev.sequin.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {

    @TempDir
    Path dir;

    @Test
    void givesMediansAndRatiosToTheRawServerOfTheSameBackend() throws IOException {
        wrk("raw-1", 50_000, "2.00ms");
        wrk("raw-2", 60_000, "2.00ms");
        wrk("raw-3", 70_000, "4.00ms");
        wrk("seq-1", 30_000, "3.00ms");
        Files.writeString(dir.resolve("load.tsv"), """
                raw-jetty\tJetty (raw)\traw-jetty\tplaintext\t1\traw-1\t2.50\t0.10
                raw-jetty\tJetty (raw)\traw-jetty\tplaintext\t2\traw-2\t3.00\t0.05
                raw-jetty\tJetty (raw)\traw-jetty\tplaintext\t3\traw-3\t3.50\t0.00
                sequin-jetty\tSequin on Jetty\traw-jetty\tplaintext\t1\tseq-1\t3.00\t0.20
                """);
        String report = LoadReport.render(dir);
        // raw: median 60,000 req/s, spread (70k - 50k) / 60k, p99 2 ms, CPU 5 s per 100k requests in each round
        assertTrue(report.contains("| Jetty (raw) | 60,000 | 1.00 | 33.3% | 2.00 ms | 1.00 | 5.000 | 1.00 |"), report);
        // Sequin: 30,000 requests for 3 s of CPU, twice the raw server's CPU per request
        assertTrue(report.contains("| Sequin on Jetty | 30,000 | 0.50 | 0.0% | 3.00 ms | 1.50 | 10.000 | 2.00 |"), report);
        // other work on the server core, per 1-second round: 10%, 5%, 0%, 20%
        assertTrue(report.contains("for a median 7.5% and at most 20.0% of a measured round"), report);
    }

    @Test
    void streamingCountsHeapInUseAfterTheRounds() throws IOException {
        Files.writeString(dir.resolve("raw.log"), "GC(0) Pause Young (Allocation Failure) 70M->3M(247M) 1ms\n");
        Files.writeString(dir.resolve("seq.log"), "[0.004s][info][gc] Using Serial\n");
        Files.writeString(dir.resolve("stream.tsv"), """
                raw-netty\tNetty (raw)\traw-netty\t1\t1073741824\t1.0\t0.50\traw.log\t10240
                sequin-netty\tSequin on Netty\traw-netty\t1\t1073741824\t2.0\t1.00\tseq.log\t35840
                """);
        String report = LoadReport.render(dir);
        assertTrue(report.contains("| Netty (raw) | 1,024 | 1.00 | 0.0% | 0.50 | 1.00 | 70 MiB | 1.00 | 3.0 MiB | 1 |"), report);
        assertTrue(report.contains("| Sequin on Netty | 512 | 0.50 | 0.0% | 1.00 | 2.00 | 35 MiB | 0.50 | no GC | 0 |"), report);
    }

    @Test
    void uploadsHaveATableOfTheirOwnAfterStreaming() throws IOException {
        Files.writeString(dir.resolve("raw.log"), "GC(0) Pause Young (Allocation Failure) 70M->3M(247M) 1ms\n");
        Files.writeString(dir.resolve("seq.log"), "GC(0) Pause Young (Allocation Failure) 70M->5M(247M) 1ms\n");
        Files.writeString(dir.resolve("stream.tsv"), """
                raw-jetty\tJetty (raw)\traw-jetty\t1\t1073741824\t1.0\t0.50\traw.log\t10240
                """);
        Files.writeString(dir.resolve("upload.tsv"), """
                raw-jetty\tJetty (raw)\traw-jetty\t1\t536870912\t0.25\t0.20\traw.log\t10240
                raw-jetty\tJetty (raw)\traw-jetty\t2\t536870912\t0.50\t0.30\traw.log\t10240
                sequin-jetty\tSequin on Jetty\traw-jetty\t1\t536870912\t1.0\t0.40\tseq.log\t92160
                """);
        String report = LoadReport.render(dir);
        int streaming = report.indexOf("#### Streaming 1 GiB (GET /stream)");
        assertTrue(streaming >= 0 && streaming < report.indexOf("#### Uploading 512 MiB (POST /upload)"), report);
        // raw: 2,048 and 1,024 MiB/s, median 1,536; 0.4 and 0.6 s of CPU per GiB, median 0.5
        assertTrue(report.contains("| Jetty (raw) | 1,536 | 1.00 | 66.7% | 0.50 | 1.00 | 70 MiB | 1.00 | 3.0 MiB | 1 |"), report);
        // Sequin: 90 MiB in use after its round, more than before its collection
        assertTrue(report.contains("| Sequin on Jetty | 512 | 0.33 | 0.0% | 0.80 | 1.60 | 90 MiB | 1.29 | 5.0 MiB | 1 |"), report);
    }

    private void wrk(String name, int requests, String p99) throws IOException {
        Files.writeString(dir.resolve(name), WrkRunTest.OUTPUT.replace("424312 requests in 8.00s", requests + " requests in 1.00s")
                .replace("Requests/sec:  53033.21", "Requests/sec:  " + requests + ".00")
                .replace("99%    2.50ms", "99%    " + p99));
    }
}
