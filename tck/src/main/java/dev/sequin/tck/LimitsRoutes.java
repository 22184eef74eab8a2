package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.spi.BodySink;
import dev.sequin.spi.HttpHandler;

import java.io.IOException;

/**
 * Routes for {@link LimitsContract}: an upload with a small limit, and an SPI handler (mounted
 * under {@code /limits/spi}, below core's response rules) whose body breaks its announced
 * {@code Content-Length}. The SPI handler records under its id how the offending write ended.
 */
final class LimitsRoutes {

    /** The upload limit of {@code POST /limits/upload}. */
    static final int UPLOAD_LIMIT = 1024;

    /** The {@code Content-Length} the SPI handler announces. */
    static final int ANNOUNCED = 5;

    private LimitsRoutes() {
    }

    static void register(Api api, Probes probes) {
        api.post("/limits/upload", (req, resp) -> resp.setContent(req.maxUploadBytes(UPLOAD_LIMIT).content()));
        api.mount("/limits/spi", spi(probes));
    }

    /**
     * {@code /longer/{id}} writes the announced five bytes, then one more and swallows the
     * exception; {@code /shorter/{id}} writes three and returns. Both return normally, so only
     * the backend can keep the client from taking the response for a complete one.
     */
    private static HttpHandler spi(Probes probes) {
        return (req, resp) -> {
            String[] parts = req.rawPath().split("/");
            String id = parts[parts.length - 1];
            resp.headers().set("Content-Type", "text/plain; charset=utf-8");
            BodySink body = resp.open(ANNOUNCED);
            if (req.rawPath().startsWith("/longer/")) {
                body.write("hello");
                try {
                    body.write("!");
                    probes.writerEnd(id).complete(null);
                } catch (IOException e) {
                    probes.writerEnd(id).complete(e);
                }
            } else {
                body.write("hel");
                probes.writerEnd(id).complete(null);
            }
        };
    }
}
