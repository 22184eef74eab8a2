package dev.sequin.benchmarks.report;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Turns the JFR recordings {@code benchmarks/load.sh} made in its {@code profile} phase into
 * markdown: where each server spends its CPU per request, by layer of code, and what it allocates.
 *
 * <p>It reads {@code profile.tsv} from the folder given as the only argument: variant, label,
 * endpoint, recording file (relative to the folder), requests answered, server CPU seconds, and the
 * first and last epoch millisecond of the measured window; only events inside the window count.
 * CPU samples are {@code jdk.CPUTimeSample} (JDK 25 and later: CPU time on any thread, system
 * calls included) when the recording has them, else {@code jdk.ExecutionSample}. Each sample is
 * charged to the layer of its top frame ({@link Layer}), and a layer's share of the samples times
 * the CPU per request is its CPU per request. Allocation is the weight of the
 * {@code jdk.ObjectAllocationSample} events per request, by allocated class and the first frame
 * outside the JDK that allocated it.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.report.ProfileReport benchmarks/target/load
 * }</pre>
 */
public final class ProfileReport {

    /** What the JDK puts between a lambda's defining class and its hidden-class suffix ({@code .0x...}). */
    private static final String LAMBDA = "$$Lambda";
    /** How many methods and allocation sites each variant lists. */
    private static final int TOP = 8;

    /** Where a CPU sample's top frame is: the layers of code a request goes through. */
    enum Layer {
        FRAMEWORK("framework (Sequin, Javalin, Jooby)"),
        APP("benchmark handlers"),
        SERVER("server library"),
        JSON("Jackson"),
        JDK("JDK (Java)"),
        NATIVE("JDK native (system calls)"),
        JVM("JVM (no Java frame: GC, JIT)");

        private final String title;

        Layer(String title) {
            this.title = title;
        }

        /**
         * @param className the class of the top frame's method, or {@code null} for a sample without Java frames
         * @param nativeMethod whether that method is native
         * @return the layer the sample is charged to
         */
        static Layer of(String className, boolean nativeMethod) {
            if (className == null) {
                return JVM;
            }
            if (nativeMethod) {
                return NATIVE;
            }
            if (className.startsWith("dev.sequin.benchmarks.") || className.startsWith("dev.sequin.peers.")) {
                return APP;
            }
            if (startsWithAny(className, "dev.sequin.", "io.javalin.", "io.jooby.", "kotlin.")) {
                return FRAMEWORK;
            }
            if (startsWithAny(className, "io.netty.", "io.undertow.", "org.xnio.", "org.jboss.", "org.eclipse.jetty.")) {
                return SERVER;
            }
            if (startsWithAny(className, "tools.jackson.", "com.fasterxml.jackson.")) {
                return JSON;
            }
            return JDK;
        }

        private static boolean startsWithAny(String name, String... prefixes) {
            for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One recording: what the samples inside its window add up to. */
    record Profile(String variant, String label, String endpoint, long requests, double cpuSeconds,
                   Map<Layer, Long> samplesByLayer, Map<String, Long> frameworkMethods,
                   Map<String, Double> allocationSites, String sampleEvent) {

        long samples() {
            return samplesByLayer.values().stream().mapToLong(Long::longValue).sum();
        }

        double cpuMicrosPerRequest() {
            return cpuSeconds * 1e6 / requests;
        }

        /** @return the CPU per request charged to {@code count} of the samples */
        double micros(long count) {
            return samples() == 0 ? 0 : cpuMicrosPerRequest() * count / samples();
        }
    }

    private ProfileReport() {
    }

    /**
     * Prints the report to standard output.
     *
     * @param args the folder the load script wrote to
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ProfileReport FOLDER");
        }
        System.out.print(render(Path.of(args[0])));
    }

    /**
     * @param dir the folder the load script wrote to
     * @return the markdown tables; empty when there is no {@code profile.tsv}
     * @throws IOException if a file cannot be read
     */
    public static String render(Path dir) throws IOException {
        Path index = dir.resolve("profile.tsv");
        if (!Files.exists(index)) {
            return "";
        }
        Map<String, List<Profile>> byEndpoint = new LinkedHashMap<>();
        for (String line : Files.readAllLines(index)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            Profile profile = read(dir.resolve(f[3]), f[0], f[1], f[2], Long.parseLong(f[4]), Double.parseDouble(f[5]),
                    Instant.ofEpochMilli(Long.parseLong(f[6])), Instant.ofEpochMilli(Long.parseLong(f[7])));
            byEndpoint.computeIfAbsent(profile.endpoint(), e -> new ArrayList<>()).add(profile);
        }
        StringBuilder out = new StringBuilder();
        byEndpoint.forEach((endpoint, profiles) -> table(out, endpoint, profiles));
        return out.toString();
    }

    /**
     * Reads one recording, counting only the events that start inside {@code [from, to]}.
     *
     * @return the samples and allocation of the window
     * @throws IOException if the recording cannot be read
     */
    static Profile read(Path recording, String variant, String label, String endpoint, long requests,
                        double cpuSeconds, Instant from, Instant to) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        boolean cpuTime = events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.CPUTimeSample"));
        String sampleEvent = cpuTime ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
        Map<Layer, Long> layers = new EnumMap<>(Layer.class);
        Map<String, Long> methods = new HashMap<>();
        Map<String, Double> sites = new HashMap<>();
        for (RecordedEvent event : events) {
            if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                continue;
            }
            String type = event.getEventType().getName();
            if (type.equals(sampleEvent)) {
                List<RecordedFrame> frames = frames(event.getStackTrace());
                RecordedFrame top = frames.isEmpty() ? null : frames.get(0);
                Layer layer = top == null ? Layer.JVM
                        : Layer.of(top.getMethod().getType().getName(), Modifier.isNative(top.getMethod().getModifiers()));
                layers.merge(layer, 1L, Long::sum);
                if (layer == Layer.FRAMEWORK) {
                    methods.merge(name(top), 1L, Long::sum);
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                String site = event.getClass("objectClass").getName() + " in " + firstOutsideJdk(frames(event.getStackTrace()));
                sites.merge(site, (double) event.getLong("weight") / requests, Double::sum);
            }
        }
        return new Profile(variant, label, endpoint, requests, cpuSeconds, layers, methods, sites, sampleEvent);
    }

    private static void table(StringBuilder out, String endpoint, List<Profile> profiles) {
        out.append(String.format(Locale.ROOT, "%n#### Where the CPU goes, GET /%s (µs per request, by the top frame of %s)%n%n",
                endpoint, profiles.get(0).sampleEvent()));
        out.append("| server | CPU/req | samples |");
        for (Layer layer : Layer.values()) {
            out.append(' ').append(layer.title).append(" |");
        }
        out.append(" allocated/req |\n|---|---:|---:|");
        out.append("---:|".repeat(Layer.values().length)).append("---:|\n");
        for (Profile p : profiles) {
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %d |", p.label(), p.cpuMicrosPerRequest(), p.samples()));
            for (Layer layer : Layer.values()) {
                out.append(String.format(Locale.ROOT, " %.2f |", p.micros(p.samplesByLayer().getOrDefault(layer, 0L))));
            }
            double allocated = p.allocationSites().values().stream().mapToDouble(Double::doubleValue).sum();
            out.append(String.format(Locale.ROOT, " %,.0f B |%n", allocated));
        }
        out.append('\n');
        for (Profile p : profiles) {
            if (p.frameworkMethods().isEmpty() && p.allocationSites().isEmpty()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%s, GET /%s:%n%n", p.label(), endpoint));
            if (!p.frameworkMethods().isEmpty()) {
                out.append("| framework method (self) | µs/req |\n|---|---:|\n");
                top(p.frameworkMethods()).forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | %.3f |%n",
                        e.getKey(), p.micros(e.getValue()))));
                out.append('\n');
            }
            if (!p.allocationSites().isEmpty()) {
                out.append("| allocated class in first frame outside the JDK | B/req |\n|---|---:|\n");
                top(p.allocationSites()).forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | %.0f |%n",
                        e.getKey(), e.getValue())));
                out.append('\n');
            }
        }
    }

    private static <N extends Number> List<Map.Entry<String, N>> top(Map<String, N> counts) {
        return counts.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, N> e) -> e.getValue().doubleValue()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP)
                .toList();
    }

    private static List<RecordedFrame> frames(RecordedStackTrace trace) {
        if (trace == null) {
            return List.of();
        }
        return trace.getFrames().stream().filter(RecordedFrame::isJavaFrame).toList();
    }

    private static String firstOutsideJdk(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            if (Layer.of(frame.getMethod().getType().getName(), false) != Layer.JDK) {
                return name(frame);
            }
        }
        return frames.isEmpty() ? "(no Java frame)" : name(frames.get(0));
    }

    /** @return {@code Class.method}, a lambda's class as {@code Outer$$Lambda} (without its hidden-class suffix) */
    static String name(RecordedFrame frame) {
        return simpleName(frame.getMethod().getType().getName()) + "." + frame.getMethod().getName();
    }

    static String simpleName(String className) {
        int lambda = className.indexOf(LAMBDA);
        String type = lambda < 0 ? className : className.substring(0, lambda + LAMBDA.length());
        return type.substring(type.lastIndexOf('.') + 1);
    }
}
