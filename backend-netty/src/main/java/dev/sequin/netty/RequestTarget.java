package dev.sequin.netty;

/**
 * The path and query of a request target as received: still percent-encoded, query without
 * {@code ?} and {@code null} when absent. An absolute-form target ({@code http://host/p?q})
 * keeps only its path and query.
 */
record RequestTarget(String path, String query) {

    /**
     * @param uri the request target of the request line
     * @return its path and query
     */
    static RequestTarget of(String uri) {
        int mark = uri.indexOf('?');
        String path = mark < 0 ? uri : uri.substring(0, mark);
        return new RequestTarget(originPath(path), mark < 0 ? null : uri.substring(mark + 1));
    }

    /**
     * @param prefix a path prefix such as {@code /app}, or empty for every path
     * @return this target with the prefix removed ({@code /app/x} gives {@code /x}, {@code /app}
     *         gives {@code /}), or {@code null} when the path is not under the prefix
     */
    RequestTarget under(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        if (!path.startsWith(prefix)) {
            return null;
        }
        if (path.length() == prefix.length()) {
            return new RequestTarget("/", query);
        }
        return path.charAt(prefix.length()) == '/' ? new RequestTarget(path.substring(prefix.length()), query) : null;
    }

    private static String originPath(String path) {
        int scheme = path.indexOf("://");
        if (path.startsWith("/") || scheme < 0) {
            return path;
        }
        int slash = path.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : path.substring(slash);
    }
}
