package dev.sequin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path split into segments and percent-decoded exactly once. Splitting comes first, so
 * an encoded slash ({@code %2F}) stays inside its segment.
 *
 * @param segments the decoded segments, without the empty one a trailing slash makes
 * @param slashed  whether the path ends with {@code /} and is not just {@code /}
 * @param path     the decoded path
 */
record PathParts(List<String> segments, boolean slashed, String path) {

    private static final PathParts ROOT = new PathParts(List.of(), false, "/");

    /**
     * @param rawPath the path as sent
     * @return its parts
     * @throws IllegalArgumentException if it does not start with {@code /} or has a malformed
     *                                  percent-escape
     */
    static PathParts parse(String rawPath) {
        if (rawPath.equals("/")) {
            return ROOT;
        }
        if (!rawPath.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/'");
        }
        boolean slashed = rawPath.endsWith("/");
        String body = rawPath.substring(1, slashed ? rawPath.length() - 1 : rawPath.length());
        List<String> segments = split(body);
        if (rawPath.indexOf('%') < 0) {
            return new PathParts(segments, slashed, rawPath);
        }
        StringBuilder path = new StringBuilder(rawPath.length());
        for (int i = 0; i < segments.size(); i++) {
            String decoded = decode(segments.get(i));
            segments.set(i, decoded);
            path.append('/').append(decoded);
        }
        return new PathParts(segments, slashed, slashed ? path.append('/').toString() : path.toString());
    }

    /** @return the parts of {@code body} between slashes, empty ones included, as {@code split("/", -1)} gives them */
    private static List<String> split(String body) {
        List<String> segments = new ArrayList<>(4);
        int start = 0;
        for (int slash = body.indexOf('/'); slash >= 0; slash = body.indexOf('/', start)) {
            segments.add(body.substring(start, slash));
            start = slash + 1;
        }
        segments.add(body.substring(start));
        return segments;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
