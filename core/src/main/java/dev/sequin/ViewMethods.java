package dev.sequin;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Works out, once per view class, which methods it serves: the only reflection on views. */
final class ViewMethods {

    private ViewMethods() {
    }

    /**
     * @return the methods whose {@code onX} the class overrides, plus those named in its
     * {@link AllowedMethods}
     * @throws IllegalArgumentException if {@code @AllowedMethods} names an unknown method
     */
    static Set<HttpMethod> declared(Class<?> viewClass) {
        Set<HttpMethod> methods = EnumSet.noneOf(HttpMethod.class);
        for (HttpMethod method : HttpMethod.values()) {
            if (overrides(viewClass, method)) {
                methods.add(method);
            }
        }
        AllowedMethods allowed = viewClass.getAnnotation(AllowedMethods.class);
        if (allowed != null) {
            for (String name : allowed.value()) {
                HttpMethod method = HttpMethod.of(name.toUpperCase(Locale.ROOT));
                if (method == null) {
                    throw new IllegalArgumentException("@AllowedMethods of " + viewClass.getName() + " names '" + name
                            + "', which is not one of " + java.util.Arrays.toString(HttpMethod.values()));
                }
                methods.add(method);
            }
        }
        return methods;
    }

    /** @return whether the class overrides {@link View#onWs} */
    static boolean acceptsWebSocket(Class<?> viewClass) {
        try {
            return viewClass.getMethod("onWs", WebSocket.class).getDeclaringClass() != View.class;
        } catch (NoSuchMethodException impossible) {
            throw new AssertionError("View declares onWs", impossible);
        }
    }

    private static boolean overrides(Class<?> viewClass, HttpMethod method) {
        String name = "on" + method.name().charAt(0) + method.name().substring(1).toLowerCase(Locale.ROOT);
        try {
            return viewClass.getMethod(name, Request.class, Response.class).getDeclaringClass() != View.class;
        } catch (NoSuchMethodException impossible) {
            throw new AssertionError("View declares " + name, impossible);
        }
    }
}
