package dev.sequin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trie of route patterns, one level per path segment: lookup costs grow with the depth of the
 * path, not with the number of routes. Static segments beat converters, and converters beat
 * {@code *rest}; within one kind, registration order decides.
 */
final class Router {

    /** What a lookup found: a route with its parameters, a redirect, or nothing. */
    sealed interface Match {
    }

    record Found(RouteEntry route, Map<String, Object> params) implements Match {
    }

    record Redirect(String location) implements Match {
    }

    private final Node root = new Node();
    private final Trailing defaultTrailing;
    private boolean hasNonBlocking;

    Router(Trailing defaultTrailing) {
        this.defaultTrailing = defaultTrailing;
    }

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException naming the pattern if another route has the same shape
     */
    void add(RouteEntry route) {
        Node node = root;
        for (RoutePattern.Segment segment : route.pattern().segments()) {
            node = node.child(segment);
        }
        RouteEntry existing = route.pattern().slashed() ? node.slashed : node.plain;
        if (existing != null) {
            throw new IllegalArgumentException("route '" + route.pattern().text() + "' duplicates route '"
                    + existing.pattern().text() + "'");
        }
        hasNonBlocking |= route.endpoint().nonBlocking();
        if (route.pattern().slashed()) {
            node.slashed = route;
        } else {
            node.plain = route;
        }
    }

    /** @return whether any route's view is {@link NonBlocking} */
    boolean hasNonBlocking() {
        return hasNonBlocking;
    }

    /**
     * Finds the route for a path.
     *
     * @param segments the decoded segments of the path, without a trailing empty one
     * @param slashed  whether the path ended with {@code /} (and was not just {@code /})
     * @param rawPath  the path as sent, for redirects
     * @param rawQuery the query as sent, or {@code null}, kept by redirects
     * @return the match, or {@code null} for none
     */
    Match find(List<String> segments, boolean slashed, String rawPath, String rawQuery) {
        List<Object> values = new ArrayList<>();    // no array until a parameter matches
        Node node = walk(root, segments, 0, values);
        if (node == null) {
            return null;
        }
        RouteEntry route = slashed ? (node.slashed != null ? node.slashed : node.plain)
                : (node.plain != null ? node.plain : node.slashed);
        Trailing trailing = route.trailing() == Trailing.DEFAULT ? defaultTrailing : route.trailing();
        boolean root = segments.isEmpty();
        switch (trailing) {
            case NO_SLASH -> {
                if (slashed && !root) {
                    return new Redirect(withQuery(rawPath.substring(0, rawPath.length() - 1), rawQuery));
                }
            }
            case SLASH -> {
                if (!slashed && !root) {
                    return new Redirect(withQuery(rawPath + "/", rawQuery));
                }
            }
            case STRICT -> {
                if (slashed != route.pattern().slashed()) {
                    return null;
                }
            }
            default -> {
            }
        }
        return new Found(route, params(route, values));
    }

    private static Map<String, Object> params(RouteEntry route, List<Object> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        List<String> names = route.pattern().parameterNames();
        Map<String, Object> params = new LinkedHashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), values.get(i));
        }
        return params;
    }

    private static String withQuery(String path, String rawQuery) {
        return rawQuery == null ? path : path + "?" + rawQuery;
    }

    private static Node walk(Node node, List<String> segments, int index, List<Object> values) {
        if (index == segments.size()) {
            return node.hasRoute() ? node : null;
        }
        String segment = segments.get(index);
        Node next = node.statics.get(segment);
        if (next != null) {
            Node found = walk(next, segments, index + 1, values);
            if (found != null) {
                return found;
            }
        }
        for (Edge edge : node.params) {
            Object value = edge.convert(segment);
            if (value != null) {
                values.add(value);
                Node found = walk(edge.node, segments, index + 1, values);
                if (found != null) {
                    return found;
                }
                values.removeLast();
            }
        }
        if (!node.rests.isEmpty()) {
            String rest = String.join("/", segments.subList(index, segments.size()));
            for (Edge edge : node.rests) {
                Object value = edge.convert(rest);
                if (value != null && edge.node.hasRoute()) {
                    values.add(value);
                    return edge.node;
                }
            }
        }
        return null;
    }

    /** One trie node: the children by kind, and the routes ending here. */
    private static final class Node {
        final Map<String, Node> statics = new HashMap<>();
        final List<Edge> params = new ArrayList<>(1);
        final List<Edge> rests = new ArrayList<>(1);
        RouteEntry plain;
        RouteEntry slashed;

        boolean hasRoute() {
            return plain != null || slashed != null;
        }

        Node child(RoutePattern.Segment segment) {
            return switch (segment) {
                case RoutePattern.Literal literal -> statics.computeIfAbsent(literal.text(), text -> new Node());
                case RoutePattern.Parameter parameter -> edge(parameter.rest() ? rests : params, parameter).node;
            };
        }

        private static Edge edge(List<Edge> edges, RoutePattern.Parameter parameter) {
            for (Edge edge : edges) {
                if (edge.converterName.equals(parameter.converterName())) {
                    return edge;
                }
            }
            Edge edge = new Edge(parameter.converterName(), parameter.converter(), new Node());
            edges.add(edge);
            return edge;
        }
    }

    /** A converter step from one node to the next. */
    private record Edge(String converterName, Converter<?> converter, Node node) {
        Object convert(String text) {
            if (!converter.pattern().matcher(text).matches()) {
                return null;
            }
            try {
                return converter.convert(text);
            } catch (Exception notThisType) {
                return null;
            }
        }
    }
}
