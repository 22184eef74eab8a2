package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.HttpError;
import dev.sequin.NonBlocking;
import dev.sequin.Request;
import dev.sequin.Response;
import dev.sequin.View;

import java.util.stream.Stream;

/**
 * Views marked {@link NonBlocking}, each telling on which kind of thread it ran, and one
 * unmarked view for contrast. The I/O thread of a server, or the stand-in thread of the
 * {@code TestClient}, is a platform thread; every other request runs on a virtual thread.
 */
final class NonBlockingRoutes {

    /** The size of {@code /nb/big}: 1 MiB, more than any socket buffer takes at once. */
    static final int BIG_BYTES = 1024 * 1024;

    private NonBlockingRoutes() {
    }

    static void register(Api api) {
        api.route("/nb/where", Where.class);
        api.route("/nb/unmarked", Unmarked.class);
        api.route("/nb/json", JsonView.class);
        api.route("/nb/big", Big.class);
        api.route("/nb/stream", Streams.class);
        api.route("/nb/fail", Fails.class);
        api.route("/nb/teapot", Teapot.class);
        api.route("/nb/redirect", Redirects.class);
    }

    /** @return {@code "virtual"} on a virtual thread, else {@code "platform"} */
    static String thread() {
        return Thread.currentThread().isVirtual() ? "virtual" : "platform";
    }

    /** Answers a GET with its thread and {@code ?n=}, a POST with its thread and body length. */
    @NonBlocking
    static final class Where implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(thread() + " " + java.util.Objects.requireNonNullElse(req.query("n"), ""));
        }

        @Override
        public void onPost(Request req, Response resp) throws Exception {
            resp.setText(thread() + " read " + req.content().length);
        }
    }

    /** The same answer as {@link Where}'s GET, without the mark. */
    static final class Unmarked implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setText(thread() + " " + java.util.Objects.requireNonNullElse(req.query("n"), ""));
        }
    }

    /** A JSON object, serialized per request. */
    @NonBlocking
    static final class JsonView implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.json().put("message", "Hello, World!");
        }
    }

    /** 1 MiB of a repeating alphabet, so a lost or repeated block shows. */
    @NonBlocking
    static final class Big implements View {
        private static final byte[] BODY = alphabet(BIG_BYTES);

        @Override
        public void onGet(Request req, Response resp) {
            resp.setContent(BODY, "application/octet-stream");
        }
    }

    /** Tries to stream, which a non-blocking view may not do. */
    @NonBlocking
    static final class Streams implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.streaming(Stream.of("never", "sent"));
        }
    }

    /** Fails with an exception the app does not handle. */
    @NonBlocking
    static final class Fails implements View {
        @Override
        public void onGet(Request req, Response resp) {
            throw new IllegalStateException("a non-blocking view failed");
        }
    }

    /** Fails with an {@link HttpError}. */
    @NonBlocking
    static final class Teapot implements View {
        @Override
        public void onGet(Request req, Response resp) {
            throw new HttpError(418, "short and stout");
        }
    }

    /** Sets a cookie and redirects to {@link Where}. */
    @NonBlocking
    static final class Redirects implements View {
        @Override
        public void onGet(Request req, Response resp) {
            resp.setCookie("nb", "set");
            resp.redirect(Where.class);
        }
    }

    /** @return {@code length} bytes of {@code a..z} repeated */
    static byte[] alphabet(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
