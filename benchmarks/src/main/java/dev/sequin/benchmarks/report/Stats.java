package dev.sequin.benchmarks.report;

import java.util.Arrays;
import java.util.Collection;

/**
 * The two statistics the report gives for repeated rounds.
 *
 * <pre>{@code
 * Stats.median(List.of(3.0, 1.0, 2.0));   // 2.0
 * Stats.spread(List.of(90.0, 100.0, 110.0));   // 0.2: (max - min) / median
 * }</pre>
 */
public final class Stats {

    private Stats() {
    }

    /**
     * @param values at least one value
     * @return the median; the mean of the two middle values for an even count
     */
    public static double median(Collection<Double> values) {
        double[] sorted = sorted(values);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * @param values at least one value
     * @return {@code (max - min) / median}, 0 for a single value
     */
    public static double spread(Collection<Double> values) {
        double[] sorted = sorted(values);
        double median = median(values);
        return median == 0 ? 0 : (sorted[sorted.length - 1] - sorted[0]) / median;
    }

    private static double[] sorted(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
