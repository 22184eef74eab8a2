package dev.sequin.undertow;

import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.URLUtils;
import org.xnio.OptionMap;

/**
 * Finds the still percent-encoded path an SPI handler sees, below whatever prefix Undertow's
 * routing handlers (such as {@code PathHandler}) already matched.
 *
 * <p>Undertow keeps the request target as received ({@code getRequestURI()}) and the matched prefix
 * decoded ({@code getResolvedPath()}). The handler's path is the rest of the received target after
 * the part that decodes to the matched prefix, cut at a {@code /}: for a handler under
 * {@code "/sequin"}, {@code /sequin/a%20b} gives {@code /a%20b}, {@code /se%71uin/x} gives
 * {@code /x}, and both {@code /sequin} and {@code /sequin/} give {@code /}. In the unlikely case that
 * no such cut exists (a routing handler that rewrote the path), the decoded relative path Undertow
 * reports is used instead.
 *
 * <pre>{@code
 * String path = RawPath.of(exchange);   // "/a%20b" under a "/sequin" prefix
 * }</pre>
 */
final class RawPath {

    private RawPath() {
    }

    /**
     * @param exchange an exchange, possibly routed below a prefix
     * @return the percent-encoded path below the matched prefix, starting with {@code /}
     */
    static String of(HttpServerExchange exchange) {
        String target = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int authority = target.indexOf("://");
            int path = target.indexOf('/', authority < 0 ? 0 : authority + 3);
            target = path < 0 ? "/" : target.substring(path);
        }
        String prefix = exchange.getResolvedPath();
        if (prefix.isEmpty()) {
            return target;
        }
        if (target.startsWith(prefix) && isCut(target, prefix.length())) {
            return rooted(target.substring(prefix.length()));
        }
        OptionMap options = exchange.getConnection().getUndertowOptions();
        String charset = options.get(UndertowOptions.URL_CHARSET, "UTF-8");
        boolean decodeSlash = URLUtils.getSlashDecodingFlag(options);
        for (int cut = 1; cut <= target.length(); cut++) {
            if (isCut(target, cut) && prefix.equals(
                    URLUtils.decode(target.substring(0, cut), charset, decodeSlash, false, new StringBuilder()))) {
                return rooted(target.substring(cut));
            }
        }
        return rooted(exchange.getRelativePath());
    }

    private static boolean isCut(String target, int index) {
        return index == target.length() || target.charAt(index) == '/';
    }

    private static String rooted(String path) {
        return path.isEmpty() ? "/" : path;
    }
}
