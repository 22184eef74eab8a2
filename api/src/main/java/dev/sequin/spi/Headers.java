package dev.sequin.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An ordered, case-insensitive multimap of HTTP header fields, shared by requests and responses.
 *
 * <p>Names are compared ignoring case and kept as first given; values keep their order, also
 * across names. Names must be HTTP tokens and values must not contain CR, LF or NUL: anything
 * else is refused with {@link IllegalArgumentException}, so no header can be injected. Not
 * thread-safe: an instance belongs to one exchange.
 *
 * <pre>{@code
 * Headers headers = new Headers();
 * headers.add("Vary", "Accept");
 * headers.add("vary", "Cookie");
 * headers.getAll("VARY");            // [Accept, Cookie]
 * headers.set("Content-Type", "text/plain");
 * headers.get("content-type");       // text/plain
 * }</pre>
 */
public final class Headers {

    private final List<String> names = new ArrayList<>(8);
    private final List<String> values = new ArrayList<>(8);

    /** Creates an empty header map. */
    public Headers() {
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, in any case
     * @return its first value, or {@code null} when absent
     */
    public String get(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /**
     * Returns every value of a header, in order.
     *
     * @param name the header name, in any case
     * @return its values; empty when absent
     */
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>(2);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                all.add(values.get(i));
            }
        }
        return all;
    }

    /**
     * Tells whether a header is present.
     *
     * @param name the header name, in any case
     * @return whether it has at least one value
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Adds a value, keeping the values the header already has.
     *
     * @param name  the header name, an HTTP token
     * @param value the value, without CR, LF or NUL
     * @return this
     * @throws IllegalArgumentException if the name or value is not allowed
     */
    public Headers add(String name, String value) {
        validValue(validName(name), value);
        names.add(name);
        values.add(value);
        return this;
    }

    /**
     * Replaces every value of a header with one value, keeping the position of the first.
     *
     * @param name  the header name, an HTTP token
     * @param value the value, without CR, LF or NUL
     * @return this
     * @throws IllegalArgumentException if the name or value is not allowed
     */
    public Headers set(String name, String value) {
        validValue(validName(name), value);
        int first = -1;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                if (first >= 0) {
                    names.remove(first);
                    values.remove(first);
                }
                first = i;
            }
        }
        if (first < 0) {
            names.add(name);
            values.add(value);
        } else {
            values.set(first, value);
        }
        return this;
    }

    /**
     * Removes every value of a header.
     *
     * @param name the header name, in any case
     * @return whether anything was removed
     */
    public boolean remove(String name) {
        boolean removed = false;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /** Removes every header. */
    public void clear() {
        names.clear();
        values.clear();
    }

    /** @return the distinct names, in order of first appearance, as first given */
    public Set<String> names() {
        Set<String> distinct = new LinkedHashSet<>();
        outer:
        for (String name : names) {
            for (String seen : distinct) {
                if (seen.equalsIgnoreCase(name)) {
                    continue outer;
                }
            }
            distinct.add(name);
        }
        return Collections.unmodifiableSet(distinct);
    }

    /**
     * Calls {@code action} for every name and value pair, in order; a header with two values is
     * visited twice.
     *
     * @param action receives each name and value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    /** @return the number of name and value pairs */
    public int size() {
        return names.size();
    }

    /** @return whether there is no header */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Headers[");
        forEach((name, value) -> out.append(out.length() > 8 ? ", " : "").append(name).append(": ").append(value));
        return out.append(']').toString();
    }

    private static String validName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name '" + printable(name) + "' has a character that is not allowed in an HTTP token");
            }
        }
        return name;
    }

    private static String validValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("header '" + name + "' must not have a null value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header '" + name + "' has CR, LF or NUL in its value: '" + printable(value) + "'");
            }
        }
        return value;
    }

    private static boolean isTokenChar(char c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
