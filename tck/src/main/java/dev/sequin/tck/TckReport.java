package dev.sequin.tck;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Prints, after a TCK class has run, a per-capability summary that a backend author can paste
 * into an issue: for each set of {@link Requires required} capabilities ("core" for none), how
 * many cases passed, failed, were not applicable (a capability the run does not declare, or an
 * assumption the environment does not meet) and were excluded (an explicit {@code @Disabled}
 * override); then the failed and excluded cases by name, with their reasons. Every
 * {@link TckContracts} run has it.
 *
 * <pre>
 * ## Sequin TCK: UndertowTckTest
 * Declared capabilities: WEBSOCKET, LIMITS, IN_PROCESS, SOCKET
 *
 * | needs | passed | failed | not applicable | excluded |
 * | --- | ---: | ---: | ---: | ---: |
 * | core | 131 | 0 | 0 | 0 |
 * | SOCKET | 52 | 0 | 0 | 1 |
 * </pre>
 */
public final class TckReport implements TestWatcher, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TckReport.class);

    /** Outcomes of one case. */
    private enum Outcome { PASSED, FAILED, NOT_APPLICABLE, EXCLUDED }

    private record Result(String needs, String name, Outcome outcome, String reason) {
    }

    /** For JUnit, which registers it on {@link TckContracts}. */
    public TckReport() {
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, Outcome.PASSED, null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, Outcome.FAILED, String.valueOf(cause));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, Outcome.NOT_APPLICABLE, cause == null ? null : cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        String why = reason.orElse("");
        // CapabilityCondition's reasons start with "needs"; anything else is an explicit @Disabled.
        record(context, why.startsWith("needs ") ? Outcome.NOT_APPLICABLE : Outcome.EXCLUDED, why);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<Result> results = results(context);
        if (results.isEmpty()) {
            return;
        }
        Set<Capability> declared = context.getTestInstance()
                .filter(TckContext.class::isInstance)
                .map(instance -> ((TckContext) instance).capabilities())
                .orElse(EnumSet.noneOf(Capability.class));
        System.out.println(render(context.getRequiredTestClass().getSimpleName(), declared, results));
    }

    private static String render(String run, Set<Capability> declared, List<Result> results) {
        StringBuilder out = new StringBuilder("\n## Sequin TCK: ").append(run).append('\n')
                .append("Declared capabilities: ")
                .append(declared.isEmpty() ? "none" : declared.stream().map(Enum::name).collect(Collectors.joining(", ")))
                .append("\n\n| needs | passed | failed | not applicable | excluded |\n| --- | ---: | ---: | ---: | ---: |\n");
        Map<String, int[]> counts = new TreeMap<>(
                Comparator.comparing((String needs) -> !needs.equals("core")).thenComparing(Comparator.naturalOrder()));
        int[] total = new int[Outcome.values().length];
        for (Result result : results) {
            counts.computeIfAbsent(result.needs(), k -> new int[Outcome.values().length])[result.outcome().ordinal()]++;
            total[result.outcome().ordinal()]++;
        }
        counts.forEach((needs, row) -> out.append(row(needs, row)));
        out.append(row("**total**", total));
        for (Outcome listed : List.of(Outcome.FAILED, Outcome.EXCLUDED)) {
            List<Result> named = results.stream().filter(r -> r.outcome() == listed).toList();
            if (!named.isEmpty()) {
                out.append('\n').append(listed == Outcome.FAILED ? "Failed" : "Excluded").append(":\n");
                named.forEach(r -> out.append("- ").append(r.name()).append(" (").append(r.needs()).append("): ")
                        .append(r.reason()).append('\n'));
            }
        }
        return out.toString();
    }

    private static String row(String needs, int[] counts) {
        return "| " + needs + " | " + counts[0] + " | " + counts[1] + " | " + counts[2] + " | " + counts[3] + " |\n";
    }

    private static void record(ExtensionContext context, Outcome outcome, String reason) {
        Set<Capability> required = CapabilityCondition.required(context);
        String needs = required.isEmpty() ? "core" : required.stream().map(Enum::name).collect(Collectors.joining(" + "));
        String name = context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName());
        ExtensionContext classContext = context.getParent().orElse(context);
        results(classContext).add(new Result(needs, name, outcome, reason));
    }

    @SuppressWarnings("unchecked")
    private static List<Result> results(ExtensionContext classContext) {
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("results", k -> Collections.synchronizedList(new ArrayList<Result>()), List.class);
    }
}
