package dev.sequin.jetty;

import dev.sequin.spi.BodySink;
import dev.sequin.spi.Headers;
import dev.sequin.spi.ServerResponse;
import java.io.IOException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The SPI response over a Jetty {@link Response}. Status and headers stay here until
 * {@link #open(long)}, which copies them to Jetty, adds {@code Content-Length} itself (never for
 * 1xx, 204 and 304) and hands out the {@link JettyBodySink}; Jetty chooses chunked encoding when
 * no length is given.
 */
final class JettyResponse implements ServerResponse {

    private final Request request;
    private final Response response;
    private final Headers headers = new Headers();
    private int status = 200;
    private JettyBodySink sink;

    JettyResponse(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public void setStatus(int status) {
        if (sink != null) {
            throw new IllegalStateException("the response is committed; the status can no longer change");
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be from 100 to 999, not " + status);
        }
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public BodySink open(long contentLength) {
        if (sink != null) {
            throw new IllegalStateException("the body was already opened");
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 or more, not " + contentLength);
        }
        boolean bodiless = status < 200 || status == 204 || status == 304;
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        headers.forEach((name, value) -> {
            if (!HttpHeader.CONTENT_LENGTH.is(name) && !HttpHeader.TRANSFER_ENCODING.is(name)) {
                fields.add(name, value);
            }
        });
        long announced = bodiless ? -1 : contentLength;
        if (announced >= 0) {
            fields.put(HttpHeader.CONTENT_LENGTH, announced);
        }
        sink = bodiless || head
                ? JettyBodySink.discarding(response, announced)
                : JettyBodySink.sending(response, announced);
        return sink;
    }

    @Override
    public boolean isCommitted() {
        return sink != null;
    }

    /**
     * Completes the response after the handler returned: an empty body if none was opened, and
     * the sink closed.
     *
     * @throws IOException if the client has gone away or the body was shorter than announced
     */
    void finish() throws IOException {
        if (sink == null) {
            open(0);
        }
        sink.close();
    }

    /**
     * @param failure what the handler threw
     * @return whether it is (or follows) a write that failed because the client went away
     */
    boolean isPeerGone(Throwable failure) {
        return sink != null && sink.failedWriting() && failure instanceof IOException;
    }
}
