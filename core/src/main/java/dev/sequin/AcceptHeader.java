package dev.sequin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Matches a media type against an {@code Accept} header, as spangle does. */
final class AcceptHeader {

    private static final Accepted ANYTHING = new Accepted("*/*", 1.0);

    private AcceptHeader() {
    }

    static Optional<Accepted> match(String header, String type) {
        if (header == null || header.isBlank()) {
            return Optional.of(ANYTHING);
        }
        String wanted = type.toLowerCase(Locale.ROOT).trim();
        for (Accepted range : ranges(header)) {
            if (admits(range.type(), wanted)) {
                return range.q() > 0 ? Optional.of(range) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The header's ranges, highest quality first, then the most specific first. */
    private static List<Accepted> ranges(String header) {
        List<Accepted> ranges = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            String range = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (range.isEmpty()) {
                continue;
            }
            if (range.equals("*")) {
                range = "*/*";
            }
            double q = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].trim();
                if (param.startsWith("q=") || param.startsWith("Q=")) {
                    try {
                        q = Math.max(0, Math.min(1, Double.parseDouble(param.substring(2).trim())));
                    } catch (NumberFormatException ignored) {
                        q = 0;
                    }
                }
            }
            ranges.add(new Accepted(range, q));
        }
        ranges.sort(Comparator.comparingDouble(Accepted::q).reversed()
                .thenComparing(Comparator.comparingInt(AcceptHeader::specificity).reversed()));
        return ranges;
    }

    private static int specificity(Accepted range) {
        if (range.type().equals("*/*")) {
            return 0;
        }
        return range.type().endsWith("/*") ? 1 : 2;
    }

    private static boolean admits(String range, String type) {
        if (range.equals("*/*") || range.equals(type)) {
            return true;
        }
        if (range.endsWith("/*")) {
            return type.startsWith(range.substring(0, range.length() - 1));
        }
        return false;
    }
}
