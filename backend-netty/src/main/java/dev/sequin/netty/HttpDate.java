package dev.sequin.netty;

import io.netty.handler.codec.DateFormatter;

import java.util.Date;

/** The {@code Date} header value, formatted once per second and shared by every response. */
final class HttpDate {

    private record Stamp(long second, String text) {
    }

    private static volatile Stamp stamp = new Stamp(-1, "");

    private HttpDate() {
    }

    /** @return the current time as an IMF-fixdate, for example {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, DateFormatter.format(new Date(second * 1000)));
            stamp = current;
        }
        return current.text();
    }
}
