package dev.sequin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the path a view answers, for {@link Api#add}. Repeatable: a view may answer several.
 *
 * <pre>{@code
 * @Route("/json")
 * @Route("/api/json")
 * class Json implements View { ... }
 *
 * api.add(Json.class);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Route.Routes.class)
public @interface Route {

    /** @return the route pattern, for example {@code /users/{id:int}} */
    String value();

    /** @return the trailing-slash strategy; {@link Trailing#DEFAULT} uses the app's */
    Trailing trailing() default Trailing.DEFAULT;

    /** The container of repeated {@link Route} annotations. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Routes {
        /** @return the routes */
        Route[] value();
    }
}
