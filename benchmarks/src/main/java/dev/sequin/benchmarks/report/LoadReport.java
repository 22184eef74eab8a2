package dev.sequin.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns what {@code benchmarks/load.sh} recorded into markdown tables: medians over the rounds,
 * the spread of throughput, and every figure as a ratio to the raw server of the same backend.
 *
 * <p>It reads, from the folder given as the only argument, any of these tab-separated files:
 * <ul>
 *   <li>{@code load.tsv}: variant, label, baseline variant, endpoint, round, wrk output file,
 *       server CPU seconds during the round, and optionally the seconds the server's core was
 *       busy with anything else;</li>
 *   <li>{@code stream.tsv} (downloads of {@code GET /stream}) and {@code upload.tsv} (uploads to
 *       {@code POST /upload}): variant, label, baseline variant, round, bytes transferred, seconds,
 *       server CPU seconds, the server's {@code -Xlog:gc} file, KiB of heap in use after the round;</li>
 *   <li>{@code startup.tsv}: backend, round, milliseconds from {@code java -jar} to the first answer.</li>
 * </ul>
 * File names in them are relative to the folder.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.report.LoadReport benchmarks/target/load
 * }</pre>
 */
public final class LoadReport {

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    private final Path dir;

    private LoadReport(Path dir) {
        this.dir = dir;
    }

    /**
     * Prints the report to standard output.
     *
     * @param args the folder the load script wrote to
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LoadReport FOLDER");
        }
        System.out.print(render(Path.of(args[0])));
    }

    /**
     * @param dir the folder the load script wrote to
     * @return the markdown tables for the files present
     * @throws IOException if a file cannot be read
     */
    public static String render(Path dir) throws IOException {
        LoadReport report = new LoadReport(dir);
        StringBuilder out = new StringBuilder();
        report.load(out);
        report.transfers(out, "stream.tsv", "Streaming %s (GET /stream)");
        report.transfers(out, "upload.tsv", "Uploading %s (POST /upload)");
        report.startup(out);
        return out.toString();
    }

    private void load(StringBuilder out) throws IOException {
        List<String[]> rows = read("load.tsv");
        Map<String, Map<String, List<String[]>>> byEndpoint = group(rows, row -> row[3]);
        List<String> errors = new ArrayList<>();
        List<Double> otherShares = new ArrayList<>();
        for (var endpoint : byEndpoint.entrySet()) {
            Map<String, Figures> figures = new LinkedHashMap<>();
            for (var variant : endpoint.getValue().entrySet()) {
                figures.put(variant.getKey(), loadFigures(variant.getValue(), errors, otherShares));
            }
            out.append("\n#### GET /").append(endpoint.getKey()).append("\n\n")
                    .append("| server | req/s | vs raw | spread | p99 latency | vs raw | server CPU s / 100k req | vs raw |\n")
                    .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (var entry : figures.entrySet()) {
                Figures own = entry.getValue();
                Figures raw = figures.get(own.baseline());
                out.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.1f%% | %.2f ms | %s | %.3f | %s |%n",
                        own.label(), own.rate(), ratio(own.rate(), raw == null ? null : raw.rate()), own.spread() * 100,
                        own.latency(), ratio(own.latency(), raw == null ? null : raw.latency()),
                        own.cpu(), ratio(own.cpu(), raw == null ? null : raw.cpu())));
            }
        }
        if (!otherShares.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nThe server core was busy with work not charged to the server (other "
                    + "processes, interrupt-time kernel work) for a median %.1f%% and at most %.1f%% of a measured round.%n",
                    Stats.median(otherShares) * 100, otherShares.stream().mapToDouble(Double::doubleValue).max().orElseThrow() * 100));
        }
        if (!errors.isEmpty()) {
            out.append("\nwrk reported errors: ").append(String.join("; ", errors)).append('\n');
        }
    }

    private Figures loadFigures(List<String[]> rounds, List<String> errors, List<Double> otherShares) throws IOException {
        List<Double> rates = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long failed = 0;
        for (String[] round : rounds) {
            WrkRun run = WrkRun.parse(Files.readString(dir.resolve(round[5])));
            rates.add(run.requestsPerSecond());
            latencies.add(run.p99Millis());
            cpu.add(Double.parseDouble(round[6]) / Math.max(1, run.requests()) * 100_000);
            failed += run.errors();
            if (round.length > 7) {
                otherShares.add(Double.parseDouble(round[7]) / run.seconds());
            }
        }
        String[] first = rounds.getFirst();
        if (failed > 0) {
            errors.add(first[1] + " /" + first[3] + ": " + failed);
        }
        return new Figures(first[1], first[2], Stats.median(rates), Stats.spread(rates), Stats.median(latencies),
                Stats.median(cpu));
    }

    /** One table of the transfers in {@code file}, under {@code heading} with {@code %s} for their size. */
    private void transfers(StringBuilder out, String file, String heading) throws IOException {
        List<String[]> rows = read(file);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Figures> figures = new LinkedHashMap<>();
        Map<String, GcLog> heaps = new LinkedHashMap<>();
        for (var variant : group(rows, row -> "").get("").entrySet()) {
            List<Double> rates = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            double inUseAfterRounds = 0;
            for (String[] round : variant.getValue()) {
                double bytes = Double.parseDouble(round[4]);
                rates.add(bytes / MIB / Double.parseDouble(round[5]));
                cpu.add(Double.parseDouble(round[6]) / (bytes / GIB));
                inUseAfterRounds = Math.max(inUseAfterRounds, Double.parseDouble(round[8]) / 1024);
            }
            String[] first = variant.getValue().getFirst();
            figures.put(variant.getKey(), new Figures(first[1], first[2], Stats.median(rates), Stats.spread(rates),
                    0, Stats.median(cpu)));
            heaps.put(variant.getKey(), GcLog.parse(Files.readAllLines(dir.resolve(first[7])))
                    .withInUse(inUseAfterRounds));
        }
        double transferred = Double.parseDouble(rows.getFirst()[4]);
        String size = transferred >= GIB ? String.format(Locale.ROOT, "%.0f GiB", transferred / GIB)
                : String.format(Locale.ROOT, "%.0f MiB", transferred / MIB);
        out.append("\n#### ").append(String.format(Locale.ROOT, heading, size)).append("\n\n")
                .append("| server | MiB/s | vs raw | spread | server CPU s / GiB | vs raw | peak heap used | vs raw | max heap after GC | GCs |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (var entry : figures.entrySet()) {
            Figures own = entry.getValue();
            Figures raw = figures.get(own.baseline());
            GcLog heap = heaps.get(entry.getKey());
            GcLog rawHeap = heaps.get(own.baseline());
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.1f%% | %.2f | %s | %.0f MiB | %s | %s | %d |%n",
                    own.label(), own.rate(), ratio(own.rate(), raw == null ? null : raw.rate()), own.spread() * 100,
                    own.cpu(), ratio(own.cpu(), raw == null ? null : raw.cpu()), heap.peakUsedMiB(),
                    ratio(heap.peakUsedMiB(), rawHeap == null ? null : rawHeap.peakUsedMiB()),
                    heap.collections() == 0 ? "no GC" : String.format(Locale.ROOT, "%.1f MiB", heap.maxLiveMiB()),
                    heap.collections()));
        }
    }

    private void startup(StringBuilder out) throws IOException {
        List<String[]> rows = read("startup.tsv");
        if (rows.isEmpty()) {
            return;
        }
        out.append("\n#### From `java -jar` to the first answered request (example app)\n\n")
                .append("| backend | median | min | max |\n| --- | ---: | ---: | ---: |\n");
        for (var backend : group(rows, row -> "").get("").entrySet()) {
            List<Double> millis = backend.getValue().stream().map(row -> Double.parseDouble(row[2])).toList();
            out.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms |%n", backend.getKey(),
                    Stats.median(millis), millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        }
    }

    private List<String[]> read(String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(line -> line.split("\t")).toList();
    }

    /** Groups rows by a key, then by their first column, keeping the order rows came in. */
    private static Map<String, Map<String, List<String[]>>> group(List<String[]> rows, Function<String[], String> key) {
        Map<String, Map<String, List<String[]>>> groups = new LinkedHashMap<>();
        for (String[] row : rows) {
            groups.computeIfAbsent(key.apply(row), k -> new LinkedHashMap<>())
                    .computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    private static String ratio(double value, Double raw) {
        return raw == null || raw == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", value / raw);
    }

    /** The medians of one server on one endpoint. */
    private record Figures(String label, String baseline, double rate, double spread, double latency, double cpu) {
    }
}
