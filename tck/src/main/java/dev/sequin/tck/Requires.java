package dev.sequin.tck;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the {@link Capability capabilities} a TCK case needs beyond the HTTP/1.1 core. A case
 * whose run lacks one is reported as skipped, naming what is missing, and counted as "not
 * applicable" in the {@link TckReport}; a case without this annotation is core and runs
 * everywhere.
 *
 * <pre>{@code
 * @Test
 * @Requires(Capability.SOCKET)
 * default void bareLineFeedIsRefused() throws Exception {
 *     try (RawConnection c = connect()) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(CapabilityCondition.class)
public @interface Requires {

    /** @return every capability the case needs */
    Capability[] value();
}
