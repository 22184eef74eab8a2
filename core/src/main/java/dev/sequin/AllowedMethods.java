package dev.sequin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows unsafe methods on a view that handles them in {@link View#onRequest} rather than in an
 * {@code onX} method.
 *
 * <pre>{@code
 * @AllowedMethods({"POST", "DELETE"})
 * class Any implements View {
 *     public void onRequest(Request req, Response resp) { resp.setText(req.method()); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AllowedMethods {

    /** @return the methods to allow, among POST, PUT, PATCH and DELETE */
    String[] value();
}
