package dev.sequin.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.benchmarks.report.ProfileReport.Layer;
import dev.sequin.benchmarks.report.ProfileReport.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileReportTest {

    @TempDir
    Path dir;

    @Test
    void chargesEachTopFrameToItsLayer() {
        assertEquals(Layer.FRAMEWORK, Layer.of("dev.sequin.Dispatcher", false));
        assertEquals(Layer.FRAMEWORK, Layer.of("io.jooby.internal.netty.NettyHandler", false));
        assertEquals(Layer.APP, Layer.of("dev.sequin.benchmarks.servers.RawNetty", false));
        assertEquals(Layer.SERVER, Layer.of("io.netty.channel.AbstractChannelHandlerContext", false));
        assertEquals(Layer.SERVER, Layer.of("org.xnio.nio.WorkerThread", false));
        assertEquals(Layer.SERVER, Layer.of("org.eclipse.jetty.server.Request", false));
        assertEquals(Layer.JSON, Layer.of("tools.jackson.databind.ObjectMapper", false));
        assertEquals(Layer.JDK, Layer.of("java.util.HashMap", false));
        assertEquals(Layer.NATIVE, Layer.of("sun.nio.ch.SocketDispatcher", true));
        assertEquals(Layer.JVM, Layer.of(null, false));
    }

    @Test
    void namesALambdaByTheClassThatDefinedIt() {
        assertEquals("SelectorThreadPool$$Lambda",
                ProfileReport.simpleName("dev.sequin.jetty.SelectorThreadPool$$Lambda.0x0000000019124dc8"));
        assertEquals("Dispatcher", ProfileReport.simpleName("dev.sequin.Dispatcher"));
        assertEquals("Top", ProfileReport.simpleName("Top"));
    }

    @Test
    void readsTheSamplesAndAllocationOfItsWindowOnly() throws Exception {
        Path recording = dir.resolve("burn.jfr");
        Instant from;
        Instant to;
        try (Recording jfr = new Recording(Configuration.create(Path.of("profile.jfc")))) {
            jfr.start();
            from = Instant.now();
            burn(600);
            to = Instant.now();
            jfr.stop();
            jfr.dump(recording);
        }
        Profile profile = ProfileReport.read(recording, "burner", "Burner", "plaintext", 1000, 0.6, from, to);
        long app = profile.samplesByLayer().getOrDefault(Layer.APP, 0L);
        assertTrue(profile.samples() >= 20, "samples: " + profile.samplesByLayer());
        assertTrue(app * 2 > profile.samples(), "the burning method's layer has most samples: " + profile.samplesByLayer());
        assertTrue(profile.allocationSites().keySet().stream().anyMatch(site -> site.contains("ProfileReportTest.burn")),
                "allocation sites: " + profile.allocationSites().keySet());
        assertEquals(600.0, profile.cpuMicrosPerRequest(), 1e-9);

        Profile before = ProfileReport.read(recording, "burner", "Burner", "plaintext", 1000, 0.6,
                from.minusSeconds(60), from.minusSeconds(30));
        assertEquals(0, before.samples());
        assertTrue(before.allocationSites().isEmpty());

        Files.writeString(dir.resolve("profile.tsv"), String.join("\t", "burner", "Burner", "plaintext", "burn.jfr",
                "1000", "0.6", Long.toString(from.toEpochMilli()), Long.toString(to.toEpochMilli())) + "\n");
        String report = ProfileReport.render(dir);
        assertTrue(report.contains("\n#### Where the CPU goes, GET /plaintext"), report);
        assertTrue(report.contains("| Burner | 600.00 |"), report);
    }

    @Test
    void rendersNothingWithoutAProfilePhase() throws Exception {
        assertEquals("", ProfileReport.render(dir));
    }

    /** Keeps this thread busy in this class, allocating, for about {@code millis}. */
    private static long burn(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long sum = 0;
        List<byte[]> kept = new ArrayList<>();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                sum += (sum * 31) ^ i;
            }
            kept.add(new byte[1024]);
            if (kept.size() > 1000) {
                kept.clear();
            }
        }
        return sum + kept.size();
    }
}
