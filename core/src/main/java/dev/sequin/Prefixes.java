package dev.sequin;

/** Path prefixes of blueprints and mounts: {@code /images}, never ending with a slash. */
final class Prefixes {

    private Prefixes() {
    }

    /** @return the prefix without a trailing slash ({@code ""} for the root) */
    static String normalize(String prefix) {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("a prefix must start with '/', not '" + prefix + "'");
        }
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** @return the pattern under the prefix: {@code /images} + {@code /} is {@code /images} */
    static String join(String prefix, String pattern) {
        if (prefix.isEmpty()) {
            return pattern;
        }
        return pattern.equals("/") ? prefix : prefix + pattern;
    }
}
