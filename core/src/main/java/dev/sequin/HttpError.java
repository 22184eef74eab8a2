package dev.sequin;

/**
 * An error that carries the HTTP status and message the client sees.
 *
 * <p>Without a matching error handler, the client gets the status and the message as a
 * {@code text/plain} body.
 *
 * <pre>{@code
 * User user = users.find(id).orElseThrow(() -> new HttpError(404, "no such user"));
 * }</pre>
 */
public class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status  the status code, 400 to 599
     * @param message the message shown to the client
     * @throws IllegalArgumentException if the status is not an error status
     */
    public HttpError(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("HttpError status must be from 400 to 599, not " + status);
        }
        this.status = status;
    }

    /** @return the status code the client gets */
    public int status() {
        return status;
    }
}
