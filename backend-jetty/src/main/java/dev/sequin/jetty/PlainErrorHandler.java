package dev.sequin.jetty;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty itself gives (a malformed request, a head too large): the status's reason
 * phrase as {@code text/plain}, as the other backends answer, instead of Jetty's HTML page, which
 * names the parser's complaint.
 *
 * <pre>{@code
 * jetty.setErrorHandler(new PlainErrorHandler());   // 400 -> "Bad Request"
 * }</pre>
 */
final class PlainErrorHandler extends ErrorHandler {

    private static final String PLAIN = "text/plain; charset=utf-8";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PLAIN);
        Content.Sink.write(response, true, HttpStatus.getMessage(code), callback);
    }
}
