package dev.sequin.benchmarks.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's {@code -Xlog:gc} file says about its heap: the most it held when a collection
 * started (the peak, see {@link #withInUse}), the most still live after one, and how many
 * collections ran.
 *
 * <pre>{@code
 * GcLog heap = GcLog.parse(Files.readAllLines(Path.of("gc.log")));
 * double peak = heap.peakUsedMiB();
 * }</pre>
 *
 * @param collections     how many collections ran
 * @param peakUsedMiB     the most heap in use when a collection started, in MiB
 * @param maxLiveMiB      the most heap still in use after a collection, in MiB
 */
public record GcLog(int collections, double peakUsedMiB, double maxLiveMiB) {

    /** A line such as {@code GC(3) Pause Young (Allocation Failure) 70M->2M(247M) 1.5ms}. */
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*?(\\d+)([KMG])->(\\d+)([KMG])\\(");

    /**
     * @param lines the log's lines
     * @return the summary; all zero when no collection ran
     */
    public static GcLog parse(List<String> lines) {
        int collections = 0;
        double peak = 0;
        double live = 0;
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                collections++;
                peak = Math.max(peak, mebibytes(pause.group(1), pause.group(2)));
                live = Math.max(live, mebibytes(pause.group(3), pause.group(4)));
            }
        }
        return new GcLog(collections, peak, live);
    }

    /**
     * Heap grows only by allocation between collections, so its peak is the most in use when a
     * collection started or the most in use when it was last looked at.
     *
     * @param inUseMiB heap in use at some moment the log does not show, in MiB
     * @return this summary with that moment counted in the peak
     */
    public GcLog withInUse(double inUseMiB) {
        return new GcLog(collections, Math.max(peakUsedMiB, inUseMiB), maxLiveMiB);
    }

    private static double mebibytes(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> number / 1024;
            case "M" -> number;
            case "G" -> number * 1024;
            default -> throw new IllegalArgumentException("unknown size unit " + unit);
        };
    }
}
