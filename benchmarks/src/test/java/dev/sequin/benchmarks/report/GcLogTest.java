package dev.sequin.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {

    @Test
    void takesThePeakBeforeAndTheMostLiveAfterCollections() {
        GcLog log = GcLog.parse(List.of(
                "[0.004s][info][gc] Using Serial",
                "[1.512s][info][gc] GC(0) Pause Young (Allocation Failure) 68M->3M(247M) 1.234ms",
                "[2.100s][info][gc] GC(1) Pause Young (Allocation Failure) 70M->5M(247M) 0.900ms",
                "[2.900s][info][gc] GC(2) Pause Full (System.gc()) 1G->512K(247M) 9.000ms"));
        assertEquals(3, log.collections());
        assertEquals(1024, log.peakUsedMiB(), 1e-9);
        assertEquals(5, log.maxLiveMiB(), 1e-9);
    }

    @Test
    void countsHeapSeenInUseOutsideTheLog() {
        GcLog quiet = GcLog.parse(List.of("[0.004s][info][gc] Using Serial"));
        assertEquals(0, quiet.collections());
        assertEquals(42, quiet.withInUse(42).peakUsedMiB(), 1e-9);
        assertEquals(70, GcLog.parse(List.of("GC(0) Pause Young (Allocation Failure) 70M->3M(247M) 1ms"))
                .withInUse(42).peakUsedMiB(), 1e-9);
    }
}
