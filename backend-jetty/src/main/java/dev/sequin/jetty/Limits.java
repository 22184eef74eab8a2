package dev.sequin.jetty;

import dev.sequin.spi.RequestLimits;
import dev.sequin.spi.ServerOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The request limits and body timeouts of {@link ServerOptions}, as {@link SequinJettyHandler}
 * applies them. Sizes are measured on the request Jetty parsed (Jetty's own
 * {@code requestHeaderSize} is only a ceiling at twice the head, see
 * {@link #headCeiling(ServerOptions)}): the request line as method, target and version with a
 * space between each, the header section as every field's {@code name: value} and CRLF.
 * Requests in flight are counted here. A blocking body read or write that waits longer than its
 * timeout closes the connection, which fails it; while it waits, the connection's idle timeout is
 * raised above that timeout when it is shorter, so that the read or write timeout is the one that
 * applies, as on the other backends.
 *
 * <pre>{@code
 * Limits limits = Limits.of(options);
 * int status = limits.refusal(request);              // 414, 431 or 0
 * int n = limits.read(request, () -> in.read(bytes)); // closes the connection after the read timeout
 * }</pre>
 */
final class Limits {

    /** No limit and no timeout of its own: an embedding server's settings apply. */
    static final Limits NONE = new Limits(RequestLimits.NONE, 0, 0);

    /** A blocking read or write of the connection. */
    @FunctionalInterface
    interface Io<T> {
        T run() throws IOException;
    }

    private final RequestLimits requests;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;

    private Limits(RequestLimits requests, long readTimeoutNanos, long writeTimeoutNanos) {
        this.requests = requests;
        this.readTimeoutNanos = readTimeoutNanos;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /**
     * @param options the server's options
     * @return every limit and body timeout of {@code options}
     */
    static Limits of(ServerOptions options) {
        return new Limits(RequestLimits.of(options), options.readTimeout().toNanos(), options.writeTimeout().toNanos());
    }

    /**
     * @param options the server's options
     * @return Jetty's {@code requestHeaderSize}: twice the request line and header section
     *         allowed, so that a request just over a limit is parsed and refused here, and a far
     *         larger one by Jetty's parser (with the same {@code 414} or {@code 431})
     */
    static int headCeiling(ServerOptions options) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * (options.maxRequestLineBytes() + options.maxHeaderBytes()));
    }

    /**
     * @param request a request Jetty has parsed
     * @return {@code 414} if its request line is too long, {@code 431} if its header section is
     *         too large or has too many fields, {@code 0} if it is within the limits
     */
    int refusal(Request request) {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        String query = uri.getQuery();
        long line = request.getMethod().length() + 1L + (path == null ? 1 : path.length())
                + (query == null ? 0 : 1 + query.length()) + 1
                + request.getConnectionMetaData().getHttpVersion().asString().length();
        long bytes = 0;
        int count = 0;
        for (HttpField field : request.getHeaders()) {
            count++;
            String value = field.getValue();
            bytes += field.getName().length() + (value == null ? 0 : value.length()) + 4;
        }
        return requests.refusal(line, count, bytes);
    }

    /** @return whether a request may run now; if so, {@link #release()} must follow */
    boolean tryAcquire() {
        return requests.tryAcquire();
    }

    /** Ends a request that {@link #tryAcquire()} let run. */
    void release() {
        requests.release();
    }

    /**
     * Runs a blocking read of the request body under the read timeout. A read that fails, for
     * whatever reason, closes the connection: its framing can no longer be trusted.
     *
     * @param request the request being read
     * @param read    the read
     * @return what the read returned
     * @throws IOException what the read threw, or {@link SocketTimeoutException} after the timeout
     */
    <T> T read(Request request, Io<T> read) throws IOException {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        try {
            return guarded(request, endPoint, readTimeoutNanos, "no request body bytes", read);
        } catch (IOException e) {
            endPoint.close(e);
            throw e;
        }
    }

    /**
     * Writes to the response and blocks until Jetty has written the bytes, at most the write
     * timeout. A write that completes at once (the socket took the bytes, as it does for a client
     * that reads) costs no timer: the watchdog and the raised idle timeout are only set up for a
     * write that has to wait.
     *
     * @param response the response to write to
     * @param last     whether this is the end of the body
     * @param data     the bytes, or {@code null} for none
     * @throws IOException what the write failed with, or {@link SocketTimeoutException} after the timeout
     */
    void write(Response response, boolean last, ByteBuffer data) throws IOException {
        Callback.Completable written = new Callback.Completable(Invocable.InvocationType.NON_BLOCKING);
        response.write(last, data, written);
        if (written.isDone()) {
            await(written);
            return;
        }
        Request request = response.getRequest();
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        guarded(request, endPoint, writeTimeoutNanos, "the client read nothing", () -> await(written));
    }

    private static Void await(Callback.Completable written) throws IOException {
        try {
            return written.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the response");
        }
    }

    private static <T> T guarded(Request request, EndPoint endPoint, long timeoutNanos, String what, Io<T> io)
            throws IOException {
        if (timeoutNanos <= 0) {
            return io.run();
        }
        AtomicBoolean expired = new AtomicBoolean();
        long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        long idle = endPoint.getIdleTimeout();
        boolean raised = idle > 0 && idle <= millis;
        if (raised) {
            endPoint.setIdleTimeout(2 * millis);
        }
        Scheduler.Task watchdog = request.getComponents().getScheduler().schedule(() -> {
            expired.set(true);
            endPoint.close(new TimeoutException(what + " for " + millis + " ms"));
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            return io.run();
        } catch (IOException e) {
            if (expired.get()) {
                throw (SocketTimeoutException) new SocketTimeoutException(what + " for " + millis + " ms; connection closed")
                        .initCause(e);
            }
            throw e;
        } finally {
            watchdog.cancel();
            if (raised) {
                endPoint.setIdleTimeout(idle);
            }
        }
    }
}
