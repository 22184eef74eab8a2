package dev.sequin.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, Stats.median(List.of(3.0, 1.0, 2.0)), 1e-9);
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)), 1e-9);
    }

    @Test
    void spreadIsRangeOverMedian() {
        assertEquals(0.2, Stats.spread(List.of(110.0, 90.0, 100.0)), 1e-9);
        assertEquals(0, Stats.spread(List.of(5.0)), 1e-9);
    }

    @Test
    void refusesNoValues() {
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
    }
}
