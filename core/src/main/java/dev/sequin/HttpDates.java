package dev.sequin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP dates (RFC 9110's IMF-fixdate), with the JDK's formatters. */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** @return the instant as an IMF-fixdate, for example {@code Thu, 01 Jan 1970 00:00:00 GMT} */
    static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** @return the instant of an HTTP date, or {@code null} when it is not one */
    static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
