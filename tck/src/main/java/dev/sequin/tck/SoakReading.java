package dev.sequin.tck;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the JVM holds at one moment, for {@link BackendSoak}: live platform threads
 * ({@code ThreadMXBean}), live threads with virtual ones included (a
 * {@code HotSpotDiagnosticMXBean} thread dump, which lists virtual threads too, unless the JVM
 * runs with {@code -Djdk.trackAllThreads=false}), open file descriptors
 * ({@code UnixOperatingSystemMXBean}) and heap used after full collections ({@code MemoryMXBean}
 * after {@code System.gc()}, several times). A reading is compared with a baseline, allowing
 * each gauge a fixed slack (see the constants for why each is what it is).
 *
 * <pre>{@code
 * SoakReading baseline = SoakReading.take();
 * // ... traffic ...
 * SoakReading after = SoakReading.settle(baseline, Duration.ofSeconds(10));
 * List<String> grown = after.growthOver(baseline);   // empty when nothing grew past its slack
 * }</pre>
 *
 * @param platformThreads live platform threads
 * @param allThreads      live threads, platform and virtual
 * @param fileDescriptors open file descriptors of the process
 * @param heapBytes       heap used after full collections
 */
record SoakReading(long platformThreads, long allThreads, long fileDescriptors, long heapBytes) {

    /**
     * Extra threads allowed, platform or in all: pools that grow on demand and shrink only after
     * an idle time of tens of seconds (Jetty's thread pool, seen to end a 10 s run up to 4 threads up;
     * the virtual-thread scheduler, which adds carrier threads to make up for pinned or blocked
     * ones) may stay a few threads above their warm-up level. One thread leaked per request, or
     * per connection, is thousands in a default run; per slow or aborted request, hundreds.
     */
    static final long THREAD_SLACK = 8;

    /**
     * Extra file descriptors allowed: a jar first opened during the run, a selector of a pool
     * that grew, a connection still being closed. One socket leaked per request is thousands in a
     * default run; per aborted request, more than a hundred.
     */
    static final long FD_SLACK = 16;

    /**
     * Extra heap allowed after full collections: caches that fill once (interned strings, lazily
     * built tables, class data kept in the heap) and what a pool's idle threads still reference.
     * A default run makes several thousand requests (7,000 to 15,000 on two busy cores), so
     * keeping a few KiB per request (an exchange with its headers, or a buffer) exceeds it.
     */
    static final long HEAP_SLACK = 16L * 1024 * 1024;

    private static final int COLLECTIONS = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** @return whether this JVM can count its file descriptors (a Unix one can) */
    static boolean available() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean;
    }

    /**
     * Reads every gauge, collecting garbage first.
     *
     * @return the reading
     * @throws IOException          if the thread dump cannot be written or read
     * @throws InterruptedException if interrupted between collections
     */
    static SoakReading take() throws IOException, InterruptedException {
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
            Thread.sleep(20);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long fds = ((UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount();
        long platform = ManagementFactory.getThreadMXBean().getThreadCount();
        return new SoakReading(platform, dumpedThreads(), fds, heap);
    }

    /**
     * Reads until no gauge exceeds the baseline by more than its slack, or the patience runs
     * out: threads, connections and garbage a run leaves take a moment to go.
     *
     * @param baseline the reading to compare with
     * @param patience how long to keep reading
     * @return the last reading
     * @throws IOException          if a thread dump cannot be written or read
     * @throws InterruptedException if interrupted while waiting
     */
    static SoakReading settle(SoakReading baseline, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        SoakReading reading = take();
        while (!reading.growthOver(baseline).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            reading = take();
        }
        return reading;
    }

    /**
     * @param baseline the reading to compare with
     * @return a description of each gauge that grew past its slack; empty when none did
     */
    List<String> growthOver(SoakReading baseline) {
        List<String> grown = new ArrayList<>();
        check(grown, "platform threads", baseline.platformThreads, platformThreads, THREAD_SLACK);
        check(grown, "threads, virtual included", baseline.allThreads, allThreads, THREAD_SLACK);
        check(grown, "file descriptors", baseline.fileDescriptors, fileDescriptors, FD_SLACK);
        check(grown, "heap bytes after full GC", baseline.heapBytes, heapBytes, HEAP_SLACK);
        return grown;
    }

    @Override
    public String toString() {
        return platformThreads + " platform threads, " + allThreads + " threads with virtual ones, "
                + fileDescriptors + " file descriptors, " + heapBytes / 1024 + " KiB of heap";
    }

    private static void check(List<String> grown, String gauge, long before, long after, long slack) {
        if (after > before + slack) {
            grown.add(gauge + " grew from " + before + " to " + after + ", more than the slack of " + slack);
        }
    }

    /** Counts the threads a thread dump lists, in every thread container: platform and virtual ones. */
    private static long dumpedThreads() throws IOException {
        Path dir = Files.createTempDirectory("sequin-soak");
        Path file = dir.resolve("threads.json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            long threads = 0;
            for (JsonNode container : JSON.readTree(file.toFile()).path("threadDump").path("threadContainers")) {
                threads += container.path("threads").size();
            }
            return threads;
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }
}
