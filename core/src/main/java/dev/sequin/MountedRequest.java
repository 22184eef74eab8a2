package dev.sequin;

import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerRequest;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * A request as a mounted handler sees it: the mount prefix stripped from the path, and the
 * prefix in {@code X-Forwarded-Prefix} (joined to any outer one) so the handler can build links.
 */
final class MountedRequest implements ServerRequest {

    /** The header that tells a mounted handler where it is mounted. */
    static final String PREFIX_HEADER = "X-Forwarded-Prefix";

    private final ServerRequest outer;
    private final String rawPath;
    private final String fullPrefix;
    /** The outer request's headers with the prefix header, copied on the first call of {@link #headers()}. */
    private Headers headers;

    MountedRequest(ServerRequest outer, String prefix) {
        this.outer = outer;
        String rest = outer.rawPath().substring(prefix.length());
        this.rawPath = rest.isEmpty() ? "/" : rest;
        String outerPrefix = outer.header(PREFIX_HEADER);
        this.fullPrefix = (outer instanceof MountedRequest && outerPrefix != null ? outerPrefix : "") + prefix;
    }

    /** @return the prefix of a mounted request (outer mounts included), else {@code ""} */
    static String prefixOf(ServerRequest request) {
        return request instanceof MountedRequest mounted ? mounted.fullPrefix : "";
    }

    /** @return whether a request path falls under a mount prefix */
    static boolean under(String rawPath, String prefix) {
        return rawPath.startsWith(prefix) && (rawPath.length() == prefix.length() || rawPath.charAt(prefix.length()) == '/');
    }

    @Override
    public String method() {
        return outer.method();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return outer.rawQuery();
    }

    @Override
    public String protocol() {
        return outer.protocol();
    }

    @Override
    public String scheme() {
        return outer.scheme();
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            headers = new Headers().addAll(outer.headers()).set(PREFIX_HEADER, fullPrefix);
        }
        return headers;
    }

    @Override
    public String header(String name) {
        return name.equalsIgnoreCase(PREFIX_HEADER) ? fullPrefix : outer.header(name);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return outer.remoteAddress();
    }

    @Override
    public InputStream body() {
        return outer.body();
    }
}
