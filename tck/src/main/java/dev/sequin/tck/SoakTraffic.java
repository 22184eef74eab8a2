package dev.sequin.tck;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;

/**
 * The clients of {@link BackendSoak}: several virtual threads that, until a deadline, run
 * {@link Kind}s of request in turn against a {@link SoakApp} (half of them the prompt kinds, as
 * fast as the server answers, half the slow and aborted ones), check every answer to a valid
 * request, and record what failed. Normal requests go through one {@link HttpClient} (its
 * executor is virtual threads, so it adds no platform thread but its selector); slow and aborted
 * ones through raw sockets. Every exchange is bounded by {@link #EXCHANGE_TIMEOUT}: the client's
 * own timeout for {@code HttpClient}, a read timeout and a watchdog that closes the socket (and
 * so unblocks a write) for raw sockets.
 *
 * <pre>{@code
 * SoakTraffic.Result result = SoakTraffic.run(app.host(), app.port(), Duration.ofSeconds(10));
 * assertEquals(0, result.failureCount(), String.join("\n", result.failures()));
 * }</pre>
 */
final class SoakTraffic {

    /** How many client threads run at once. */
    static final int CLIENTS = 8;

    /** The longest any one exchange may take before it counts as a failure. */
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(10);

    /** How many failure messages a result keeps (it counts them all). */
    private static final int KEPT_FAILURES = 20;

    private static final int STREAM_WRITE = 16 * 1024;
    private static final int SMALL_RECEIVE_BUFFER = 16 * 1024;
    private static final int SLOW_PIECE = 1024;
    private static final long SLOW_PAUSE_MILLIS = 10;
    private static final long SLOW_READ_PAUSE_MILLIS = 5;

    /** The kinds of request: half of the clients run the first three in turn, half the others. */
    enum Kind {
        /** {@code HttpClient}: a small text answer. */
        TEXT,
        /** {@code HttpClient}: an upload of up to 128 KiB, whose digest comes back. */
        UPLOAD,
        /** {@code HttpClient}: a 256 KiB streamed answer in 16 flushed writes. */
        STREAM,
        /**
         * Raw socket: a 16 KiB upload trickled in 1 KiB pieces, with a {@code Content-Length} or
         * (every other time) chunked, then a text request on the same connection.
         */
        SLOW_UPLOAD,
        /**
         * Raw socket with a small receive buffer: a 512 KiB streamed answer read chunk by chunk
         * with pauses, then a text request on the same connection.
         */
        SLOW_READ,
        /**
         * Raw socket: 32 KiB of an announced 1 MiB body, in two writes, then the socket closed
         * with a FIN or (every other time) a RST.
         */
        ABORTED_UPLOAD,
        /**
         * Raw socket with a small receive buffer: the head and first chunk of a 16 MiB streamed
         * answer, then the socket closed with data unread (which sends a RST).
         */
        ABORTED_READ
    }

    /**
     * What a run did.
     *
     * @param counts       how many exchanges of each kind completed as expected
     * @param failureCount how many failed
     * @param failures     the first failures, described
     */
    record Result(Map<Kind, Long> counts, long failureCount, List<String> failures) {

        /** @return how many exchanges completed as expected */
        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What half of the clients run in turn, as fast as the server answers. */
    private static final List<Kind> PROMPT = List.of(Kind.TEXT, Kind.UPLOAD, Kind.STREAM);

    /** What the other half run in turn: the exchanges that take their time or break off. */
    private static final List<Kind> LINGERING =
            List.of(Kind.SLOW_UPLOAD, Kind.SLOW_READ, Kind.ABORTED_UPLOAD, Kind.ABORTED_READ);

    private final String host;
    private final int port;
    private final HttpClient http;
    private final AtomicLongArray counts = new AtomicLongArray(Kind.values().length);
    private final LongAdder failureCount = new LongAdder();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    private SoakTraffic(String host, int port, HttpClient http) {
        this.host = host;
        this.port = port;
        this.http = http;
    }

    /**
     * Runs {@link #CLIENTS} clients for a while, with an {@code HttpClient} of their own that is
     * closed at the end, so none of its connections outlives the run.
     *
     * @param host     the server's address
     * @param port     the server's port
     * @param duration how long clients start new exchanges
     * @return what they did
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    static Result run(String host, int port, Duration duration) throws InterruptedException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient http = HttpClient.newBuilder()
                     .version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(EXCHANGE_TIMEOUT)
                     .executor(executor)
                     .build()) {
            return new SoakTraffic(host, port, http).drive(duration);
        }
    }

    private Result drive(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int client = i;
            clients.add(Thread.ofVirtual().name("soak-client-" + i).start(() -> loop(client, deadline)));
        }
        long stopped = deadline + EXCHANGE_TIMEOUT.multipliedBy(2).toNanos();
        for (Thread client : clients) {
            if (!client.join(Duration.ofNanos(Math.max(1, stopped - System.nanoTime())))) {
                String stack = Arrays.toString(client.getStackTrace());
                fail(client.getName(), new IllegalStateException("still running after the deadline, at " + stack));
                client.interrupt();
            }
        }
        Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            byKind.put(kind, counts.get(kind.ordinal()));
        }
        return new Result(byKind, failureCount.sum(), List.copyOf(failures));
    }

    private void loop(int client, long deadline) {
        Random random = new Random(client);
        List<Kind> kinds = client % 2 == 0 ? PROMPT : LINGERING;
        for (int n = client / 2; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted(); n++) {
            Kind kind = kinds.get(n % kinds.size());
            boolean oddRound = n / kinds.size() % 2 == 1;
            try {
                exchange(kind, random, oddRound);
                counts.incrementAndGet(kind.ordinal());
            } catch (ExecutionException e) {
                fail(kind.name(), e.getCause());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                fail(kind.name(), e);
            }
        }
    }

    private void fail(String what, Throwable error) {
        failureCount.increment();
        if (failures.size() < KEPT_FAILURES) {
            failures.add(what + ": " + error);
        }
    }

    /** Runs one exchange; on odd rounds a slow upload is chunked and an aborted one ends in a reset. */
    private void exchange(Kind kind, Random random, boolean oddRound) throws Exception {
        switch (kind) {
            case TEXT -> text();
            case UPLOAD -> upload(random);
            case STREAM -> stream();
            case SLOW_UPLOAD -> slowUpload(random, oddRound);
            case SLOW_READ -> slowRead();
            case ABORTED_UPLOAD -> abortedUpload(oddRound);
            case ABORTED_READ -> abortedRead();
        }
    }

    private void text() throws Exception {
        HttpResponse<String> response = send(request("/soak/text").GET(), HttpResponse.BodyHandlers.ofString());
        expect(response.statusCode() == 200 && response.body().equals(SoakApp.TEXT), "text", response);
    }

    private void upload(Random random) throws Exception {
        byte[] body = bytes(random, random.nextInt(128 * 1024 + 1));
        HttpRequest.Builder request = request("/soak/digest").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        String digest = digest(body);
        expect(response.statusCode() == 200 && response.body().equals(digest), "digest " + digest, response);
    }

    private void stream() throws Exception {
        int chunks = 16;
        HttpResponse<byte[]> response =
                send(request(streamPath(chunks)).GET(), HttpResponse.BodyHandlers.ofByteArray());
        expect(response.statusCode() == 200, "200", response);
        byte[] body = response.body();
        expect(body.length == chunks * STREAM_WRITE, chunks * STREAM_WRITE + " bytes", body.length + " bytes");
        checkPattern(body, 0);
    }

    private void slowUpload(Random random, boolean chunked) throws Exception {
        byte[] body = bytes(random, 16 * 1024);
        bounded(RawConnection.open(host, port), connection -> {
            connection.send("POST /soak/digest HTTP/1.1\r\nHost: soak\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length) + "\r\n\r\n");
            for (int offset = 0; offset < body.length; offset += SLOW_PIECE) {
                byte[] piece = Arrays.copyOfRange(body, offset, offset + SLOW_PIECE);
                connection.send(chunked ? chunk(piece) : piece);
                Thread.sleep(SLOW_PAUSE_MILLIS);
            }
            if (chunked) {
                connection.send("0\r\n\r\n");
            }
            RawResponse response = connection.read("POST");
            String digest = digest(body);
            expect(response.status() == 200 && response.text().equals(digest), "digest " + digest, response);
            textOnSameConnection(connection);
        });
    }

    private void slowRead() throws Exception {
        int chunks = 32;
        bounded(RawConnection.open(host, port, SMALL_RECEIVE_BUFFER), connection -> {
            connection.send("GET " + streamPath(chunks) + " HTTP/1.1\r\nHost: soak\r\n\r\n");
            RawResponse head = connection.readHead();
            expect(head.status() == 200 && head.chunked(), "200, chunked", head);
            long received = 0;
            for (byte[] chunk = connection.readChunk(); chunk != null; chunk = connection.readChunk()) {
                checkPattern(chunk, received);
                received += chunk.length;
                Thread.sleep(SLOW_READ_PAUSE_MILLIS);
            }
            expect(received == (long) chunks * STREAM_WRITE, chunks * STREAM_WRITE + " bytes", received + " bytes");
            textOnSameConnection(connection);
        });
    }

    private void abortedUpload(boolean reset) throws Exception {
        bounded(new Socket(), socket -> {
            socket.connect(new InetSocketAddress(host, port), (int) EXCHANGE_TIMEOUT.toMillis());
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            OutputStream out = socket.getOutputStream();
            out.write("POST /soak/digest HTTP/1.1\r\nHost: soak\r\nContent-Length: 1048576\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[16 * 1024]);
            out.flush();
            Thread.sleep(SLOW_PAUSE_MILLIS);
            out.write(new byte[16 * 1024]);
            out.flush();
        });
    }

    private void abortedRead() throws Exception {
        bounded(RawConnection.open(host, port, SMALL_RECEIVE_BUFFER), connection -> {
            connection.send("GET " + streamPath(1024) + " HTTP/1.1\r\nHost: soak\r\n\r\n");
            RawResponse head = connection.readHead();
            expect(head.status() == 200 && head.chunked(), "200, chunked", head);
            checkPattern(connection.readChunk(), 0);
        });
    }

    /**
     * Runs an exchange on a connection, then closes it. A watchdog closes it sooner if the
     * exchange outlasts {@link #EXCHANGE_TIMEOUT}: a socket write has no timeout of its own, and
     * closing the socket makes a blocked one fail.
     */
    private static <C extends Closeable> void bounded(C connection, Exchange<C> exchange) throws Exception {
        AtomicBoolean cut = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(EXCHANGE_TIMEOUT);
                cut.set(true);
                connection.close();
            } catch (InterruptedException | IOException stopped) {
                // interrupted: the exchange ended in time; a failed close leaves nothing to unblock
            }
        });
        try (connection) {
            exchange.run(connection);
        } catch (IOException e) {
            throw cut.get() ? new IOException("exchange cut after " + EXCHANGE_TIMEOUT.toSeconds() + " s", e) : e;
        } finally {
            watchdog.interrupt();
        }
    }

    private static void textOnSameConnection(RawConnection connection) throws IOException {
        RawResponse response = connection.exchange("GET /soak/text HTTP/1.1\r\nHost: soak\r\n\r\n", "GET");
        boolean ok = response.status() == 200 && response.text().equals(SoakApp.TEXT);
        expect(ok, "text, on the same connection", response);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(EXCHANGE_TIMEOUT);
    }

    /** Sends, and waits at most {@link #EXCHANGE_TIMEOUT}; cancelling aborts an exchange that took longer. */
    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws Exception {
        CompletableFuture<HttpResponse<T>> response = http.sendAsync(request.build(), body);
        try {
            return response.get(EXCHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            response.cancel(true);
        }
    }

    private static String streamPath(int chunks) {
        return "/soak/stream?chunks=" + chunks + "&size=" + STREAM_WRITE;
    }

    private static void checkPattern(byte[] bytes, long offset) {
        expect(bytes != null, "a chunk", "the end of the body");
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != SoakApp.patternAt(offset + i, STREAM_WRITE)) {
                expect(false, "byte " + SoakApp.patternAt(offset + i, STREAM_WRITE) + " at " + (offset + i), bytes[i]);
            }
        }
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = Arrays.copyOf(size, size.length + data.length + 2);
        System.arraycopy(data, 0, framed, size.length, data.length);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        return framed;
    }

    private static String digest(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return body.length + ":" + Long.toHexString(crc.getValue());
    }

    private static void expect(boolean ok, String expected, Object actual) {
        if (!ok) {
            String shown = switch (actual) {
                case RawResponse r -> r.status() + " " + r.text();
                case HttpResponse<?> r when r.body() instanceof byte[] b -> r.statusCode() + ", " + b.length + " bytes";
                case HttpResponse<?> r -> r.statusCode() + " " + r.body();
                default -> String.valueOf(actual);
            };
            throw new IllegalStateException("expected " + expected + ", got " + shown);
        }
    }

    /** An exchange on one connection. */
    private interface Exchange<C> {
        void run(C connection) throws Exception;
    }
}
