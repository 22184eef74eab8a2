package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.BodyWriter;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * Streaming routes. The ones with an {@code {id}} report to {@link Probes} under that id: the
 * gated writers wait for the test after a short or a {@link #BIG_WRITE} first write, the big
 * writer counts what it wrote, and every such writer records how it ended.
 */
final class StreamingRoutes {

    /** The size of {@code /stream/big/{id}}: 100 MiB. */
    static final long BIG_BYTES = 100L * 1024 * 1024;

    /** The size of each write of {@code /stream/big/{id}}. */
    static final int BIG_WRITE = 64 * 1024;

    /** How long {@code /stream/disconnect/{id}} keeps writing, at most, if no write ever fails. */
    static final int DISCONNECT_WRITES = 3_000;

    private StreamingRoutes() {
    }

    static void register(Api api, Probes probes) {
        api.get("/stream/list", (req, resp) -> resp.streaming(Stream.of("a", "b")));
        api.get("/stream/mixed", (req, resp) -> resp.streaming(Stream.of(new byte[] {0, (byte) 255}, "\u00e9")));
        api.get("/stream/typed", (req, resp) -> {
            resp.setHeader("Content-Type", "text/csv; charset=utf-8");
            resp.streaming(Stream.of("a,b\n", "c,d\n"));
        });
        api.get("/stream/fail", (req, resp) -> resp.streaming(out -> {
            out.write("partial");
            throw new IllegalStateException("writer failed after the first chunk");
        }));
        gated(api, probes, "/stream/gated/{id}", "first".getBytes(StandardCharsets.US_ASCII));
        gated(api, probes, "/stream/gated-block/{id}", new byte[BIG_WRITE]);
        api.get("/stream/probe/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            resp.streaming(recorded(probes, id, out -> {
                probes.counter(id).incrementAndGet();
                out.write("ran");
            }));
        });
        api.get("/stream/big/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            resp.streaming(recorded(probes, id, out -> {
                byte[] block = new byte[BIG_WRITE];
                for (long sent = 0; sent < BIG_BYTES; sent += BIG_WRITE) {
                    out.write(block);
                    probes.counter(id).addAndGet(BIG_WRITE);
                }
            }));
        });
        api.get("/stream/disconnect/{id}", (req, resp) -> {
            String id = (String) req.params().get("id");
            resp.streaming(recorded(probes, id, out -> {
                byte[] block = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < DISCONNECT_WRITES; i++) {
                    out.write(block);
                    Thread.sleep(5);
                }
            }));
        });
    }

    /** A writer that writes {@code first}, waits for the test to open its gate, then writes {@code second}. */
    private static void gated(Api api, Probes probes, String path, byte[] first) {
        api.get(path, (req, resp) -> {
            String id = (String) req.params().get("id");
            resp.streaming(recorded(probes, id, out -> {
                out.write(first);
                out.write(probes.await(id) ? "second" : "gate timed out");
            }));
        });
    }

    /** Wraps a writer so that how it ends (normally or by which exception) is recorded. */
    private static BodyWriter recorded(Probes probes, String id, BodyWriter writer) {
        return out -> {
            try {
                writer.writeTo(out);
                probes.writerEnd(id).complete(null);
            } catch (Exception e) {
                probes.writerEnd(id).complete(e);
                throw e;
            }
        };
    }
}
