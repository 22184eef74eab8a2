package dev.sequin.benchmarks.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code wrk --latency} run, read from its printed output.
 *
 * <pre>{@code
 * WrkRun run = WrkRun.parse(Files.readString(Path.of("plaintext-r1.txt")));
 * double rps = run.requestsPerSecond();
 * }</pre>
 *
 * @param requests          the requests completed
 * @param seconds           how long the run lasted
 * @param requestsPerSecond wrk's own requests per second
 * @param p99Millis         the 99th percentile latency, in milliseconds
 * @param errors            socket errors plus non-2xx/3xx responses
 */
public record WrkRun(long requests, double seconds, double requestsPerSecond, double p99Millis, long errors) {

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("(?m)^\\s*99(?:\\.000)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /**
     * @param output what {@code wrk --latency} printed
     * @return the run
     * @throws IllegalArgumentException if the output lacks the totals, the rate or the 99th percentile
     */
    public static WrkRun parse(String output) {
        Matcher total = find(TOTAL, output, "the request total");
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher p99 = find(P99, output, "the 99% latency (run wrk with --latency)");
        return new WrkRun(Long.parseLong(total.group(1)),
                millis(total.group(2), total.group(3)) / 1000,
                Double.parseDouble(find(RATE, output, "Requests/sec").group(1)),
                millis(p99.group(1), p99.group(2)),
                errors);
    }

    private static Matcher find(Pattern pattern, String output, String what) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no " + what + " in wrk's output:\n" + output);
        }
        return matcher;
    }

    private static double millis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number / 1000;
            case "ms" -> number;
            case "s" -> number * 1000;
            case "m" -> number * 60_000;
            case "h" -> number * 3_600_000;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }
}
