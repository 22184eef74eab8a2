package dev.sequin.tck;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Skips a case whose {@link Requires} names a capability the run does not declare, saying which;
 * the run's capabilities come from its {@link TckContext#capabilities()}. Registered by
 * {@link Requires} itself.
 *
 * <pre>{@code
 * // a run declaring EnumSet.of(Capability.SOCKET) reports a @Requires(Capability.LIMITS) case as
 * // skipped: "needs Capability.LIMITS, which this run does not declare"
 * }</pre>
 */
final class CapabilityCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Set<Capability> required = required(context);
        if (required.isEmpty()) {
            return ConditionEvaluationResult.enabled("a core case");
        }
        Set<Capability> missing = EnumSet.copyOf(required);
        context.getTestInstance()
                .filter(TckContext.class::isInstance)
                .map(instance -> ((TckContext) instance).capabilities())
                .ifPresent(missing::removeAll);
        return missing.isEmpty()
                ? ConditionEvaluationResult.enabled("the run declares " + required)
                : ConditionEvaluationResult.disabled("needs " + names(missing) + ", which this run does not declare");
    }

    /**
     * @param context a test's context
     * @return the capabilities its method requires, as the contract declares them even where a
     *         run overrides the case (to disable it); empty for a core case or a container
     */
    static Set<Capability> required(ExtensionContext context) {
        Set<Capability> required = EnumSet.noneOf(Capability.class);
        context.getTestMethod()
                .flatMap(method -> AnnotationSupport.findAnnotation(method, Requires.class)
                        .or(() -> AnnotationSupport.findAnnotation(contractCase(method), Requires.class)))
                .ifPresent(requires -> required.addAll(Arrays.asList(requires.value())));
        return required;
    }

    private static Method contractCase(Method method) {
        try {
            return TckContracts.class.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException notACase) {
            return method;
        }
    }

    private static String names(Set<Capability> capabilities) {
        return String.join(" and ", capabilities.stream().map(c -> "Capability." + c.name()).toList());
    }
}
