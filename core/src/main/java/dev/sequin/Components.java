package dev.sequin;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app's singletons: registered classes are created once, at startup, with their constructor's
 * parameters taken from other components. Views are created the same way. Reflection happens
 * here, at startup, never per request.
 */
final class Components {

    private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();
    private final Set<Class<?>> registered = new LinkedHashSet<>();
    private final Map<Class<?>, Object> provided = new java.util.HashMap<>();
    private final List<Object> created = new ArrayList<>();

    /** Registers a class, created at startup. */
    void register(Class<?> type) {
        if (!registered.add(type)) {
            throw new IllegalArgumentException("component " + type.getName() + " is registered twice");
        }
    }

    /** Registers a ready instance under its class. */
    void register(Object instance) {
        Class<?> type = instance.getClass();
        if (!registered.add(type)) {
            throw new IllegalArgumentException("component " + type.getName() + " is registered twice");
        }
        provided.put(type, instance);
    }

    /** Creates every registered component, dependencies first. */
    void createAll() {
        for (Class<?> type : registered) {
            get(type, new LinkedHashSet<>());
        }
    }

    /** @return the components in the order they were created (dependencies first) */
    List<Object> inCreationOrder() {
        return created;
    }

    /**
     * @return the component of that type
     * @throws IllegalArgumentException if no such component is registered
     */
    <T> T use(Class<T> type) {
        Object instance = instances.get(type);
        if (instance == null) {
            if (!registered.contains(type)) {
                throw new IllegalArgumentException("no component " + type.getName() + " is registered: call api.component("
                        + type.getSimpleName() + ".class) first");
            }
            instance = get(type, new LinkedHashSet<>());
        }
        return type.cast(instance);
    }

    /** Creates an object (a view) whose constructor may take components. */
    Object instantiate(Class<?> type) {
        return construct(type, new LinkedHashSet<>());
    }

    private synchronized Object get(Class<?> type, Set<Class<?>> path) {
        Object instance = instances.get(type);
        if (instance != null) {
            return instance;
        }
        if (!registered.contains(type)) {
            throw new IllegalStateException("missing component " + type.getName() + " (needed by " + path.stream()
                    .map(Class::getSimpleName).toList() + "): register it with api.component(" + type.getSimpleName() + ".class)");
        }
        if (!path.add(type)) {
            List<String> cycle = new ArrayList<>(path.stream().map(Class::getSimpleName).toList());
            cycle.add(type.getSimpleName());
            throw new IllegalStateException("components depend on each other in a cycle: " + String.join(" -> ", cycle));
        }
        instance = provided.containsKey(type) ? provided.get(type) : construct(type, path);
        path.remove(type);
        instances.put(type, instance);
        created.add(instance);
        return instance;
    }

    private Object construct(Class<?> type, Set<Class<?>> path) {
        Constructor<?> constructor = constructorOf(type);
        Class<?>[] parameterTypes = constructor.getParameterTypes();
        Object[] arguments = new Object[parameterTypes.length];
        for (int i = 0; i < parameterTypes.length; i++) {
            arguments[i] = get(parameterTypes[i], path);
        }
        try {
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructing " + type.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
        }
    }

    private static Constructor<?> constructorOf(Class<?> type) {
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        if (constructors.length == 1) {
            return constructors[0];
        }
        List<Constructor<?>> publicOnes = new ArrayList<>();
        for (Constructor<?> constructor : constructors) {
            if (java.lang.reflect.Modifier.isPublic(constructor.getModifiers())) {
                publicOnes.add(constructor);
            }
        }
        if (publicOnes.size() == 1) {
            return publicOnes.getFirst();
        }
        throw new IllegalStateException(type.getName() + " must have exactly one constructor (or one public one) for Sequin to call");
    }
}
