package dev.sequin.spi;

import java.util.ArrayList;
import java.util.Arrays;
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

    private static final String[] NONE = {};

    /** Name and value pairs in order: the name of pair {@code i} at {@code 2i}, its value at {@code 2i + 1}. */
    private String[] fields = NONE;
    private int size;

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
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return fields[2 * i + 1];
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
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                all.add(fields[2 * i + 1]);
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
        append(name, value);
        return this;
    }

    /**
     * Adds every name and value pair of {@code other}, in order, after the pairs already here.
     * Cheaper than adding them one by one: they were checked when {@code other} took them.
     *
     * @param other the headers to copy
     * @return this
     */
    public Headers addAll(Headers other) {
        int pairs = other.size;    // read once: other may be this
        for (int i = 0; i < pairs; i++) {
            append(other.fields[2 * i], other.fields[2 * i + 1]);
        }
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
        for (int i = size - 1; i >= 0; i--) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                if (first >= 0) {
                    removeAt(first);
                }
                first = i;
            }
        }
        if (first < 0) {
            append(name, value);
        } else {
            fields[2 * first + 1] = value;
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
        for (int i = size - 1; i >= 0; i--) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                removeAt(i);
                removed = true;
            }
        }
        return removed;
    }

    /** Removes every header. */
    public void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }

    /** @return the distinct names, in order of first appearance, as first given */
    public Set<String> names() {
        Set<String> distinct = new LinkedHashSet<>();
        outer:
        for (int i = 0; i < size; i++) {
            String name = fields[2 * i];
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
        for (int i = 0; i < size; i++) {
            action.accept(fields[2 * i], fields[2 * i + 1]);
        }
    }

    /** @return the number of name and value pairs */
    public int size() {
        return size;
    }

    /** @return whether there is no header */
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Headers[");
        forEach((name, value) -> out.append(out.length() > 8 ? ", " : "").append(name).append(": ").append(value));
        return out.append(']').toString();
    }

    private void append(String name, String value) {
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, Math.max(16, 2 * fields.length));
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    private void removeAt(int index) {
        System.arraycopy(fields, 2 * index + 2, fields, 2 * index, 2 * (size - index - 1));
        size--;
        fields[2 * size] = null;
        fields[2 * size + 1] = null;
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
