package dev.sequin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed route pattern such as {@code /users/{id:int}/files/{p:*rest}}: its segments, the
 * names of its parameters, and whether it ends with a slash. Also builds paths for
 * {@link Api#urlFor}.
 */
record RoutePattern(String text, List<Segment> segments, List<String> parameterNames, boolean slashed) {

    /** One segment of a pattern. */
    sealed interface Segment {
    }

    record Literal(String text) implements Segment {
    }

    record Parameter(String name, String converterName, Converter<?> converter, boolean rest) implements Segment {
    }

    /**
     * Parses a pattern.
     *
     * @param text       the pattern
     * @param converters the converters by name
     * @throws IllegalArgumentException naming the pattern when it is malformed
     */
    static RoutePattern parse(String text, Map<String, Converter<?>> converters) {
        if (text == null || !text.startsWith("/")) {
            throw bad(text, "it must start with '/'");
        }
        boolean slashed = text.length() > 1 && text.endsWith("/");
        String body = slashed ? text.substring(1, text.length() - 1) : text.substring(1);
        List<Segment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (!body.isEmpty()) {
            String[] parts = body.split("/", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty()) {
                    throw bad(text, "it has an empty segment");
                }
                if (!part.contains("{") && !part.contains("}")) {
                    segments.add(new Literal(part));
                    continue;
                }
                if (!part.startsWith("{") || !part.endsWith("}") || part.indexOf('{', 1) >= 0) {
                    throw bad(text, "a parameter must be a whole segment, like {name} or {name:int}");
                }
                Parameter parameter = parameter(text, part.substring(1, part.length() - 1), converters);
                if (parameter.rest() && (i != parts.length - 1 || slashed)) {
                    throw bad(text, "{" + parameter.name() + ":*…} matches the rest of the path, so it must come last");
                }
                if (!seen.add(parameter.name())) {
                    throw bad(text, "parameter '" + parameter.name() + "' appears twice");
                }
                segments.add(parameter);
                names.add(parameter.name());
            }
        }
        return new RoutePattern(text, List.copyOf(segments), List.copyOf(names), slashed);
    }

    private static Parameter parameter(String pattern, String spec, Map<String, Converter<?>> converters) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String type = colon < 0 ? "str" : spec.substring(colon + 1);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw bad(pattern, "parameter name '" + name + "' is not an identifier");
        }
        boolean rest = type.startsWith("*");
        String converterName = rest ? type.substring(1) : type;
        Converter<?> converter = converters.get(converterName);
        if (converter == null) {
            throw bad(pattern, "converter '" + converterName + "' is unknown (known: " + converters.keySet()
                    + "; register others with api.converter(name, converter))");
        }
        return new Parameter(name, converterName, converter, rest);
    }

    /**
     * Builds the path of this pattern with the given parameter values, percent-encoded.
     *
     * @throws IllegalArgumentException naming the parameter when one is missing or does not
     *                                  match its converter
     */
    String build(Map<String, ?> values) {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        for (Segment segment : segments) {
            path.append('/');
            switch (segment) {
                case Literal literal -> path.append(literal.text());
                case Parameter parameter -> path.append(encode(parameter, values.get(parameter.name())));
            }
        }
        return slashed ? path.append('/').toString() : path.toString();
    }

    private String encode(Parameter parameter, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("route '" + text + "' needs parameter '" + parameter.name() + "'");
        }
        String text = value.toString();
        if (!parameter.converter().pattern().matcher(text).matches()) {
            throw new IllegalArgumentException("parameter '" + parameter.name() + "' of route '" + this.text
                    + "' must match " + parameter.converterName() + " (" + parameter.converter().pattern() + "), not '" + text + "'");
        }
        if (!parameter.rest()) {
            return encodeSegment(text);
        }
        List<String> parts = new ArrayList<>();
        for (String part : text.split("/", -1)) {
            parts.add(encodeSegment(part));
        }
        return String.join("/", parts);
    }

    private static String encodeSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static IllegalArgumentException bad(String pattern, String why) {
        return new IllegalArgumentException("bad route pattern '" + pattern + "': " + why);
    }
}
