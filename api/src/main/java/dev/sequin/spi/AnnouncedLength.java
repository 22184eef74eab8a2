package dev.sequin.spi;

import java.io.IOException;

/**
 * Holds a response body to the {@code Content-Length} it announced, the same way on every
 * backend: a write that would go past it throws before anything of it is sent, and the end of the
 * body throws when a write overran it (even if the handler caught that exception) or when fewer
 * bytes were written. A backend's {@link BodySink} counts each write here first.
 *
 * <pre>{@code
 * AnnouncedLength length = new AnnouncedLength(contentLength, isHead);
 * // in write(data):
 * length.count(data.remaining());   // throws past the announced length
 * // in close():
 * length.checkEnd();                // throws after an overrun, or for a short body
 * }</pre>
 */
public final class AnnouncedLength {

    private final long contentLength;
    private final boolean discarded;
    private long written;
    private boolean overrun;

    /**
     * @param contentLength the announced length, or {@code -1} when there is none (then only the
     *                      bytes are counted)
     * @param discarded     whether the body is not sent ({@code HEAD}, {@code 204}, {@code 304}):
     *                      writes still count against the length, but a short body is no error
     */
    public AnnouncedLength(long contentLength, boolean discarded) {
        this.contentLength = contentLength;
        this.discarded = discarded;
    }

    /**
     * Counts a write about to be sent.
     *
     * @param bytes its size
     * @throws IOException if it would take the body past the announced length; nothing of it is
     *                     counted, and {@link #checkEnd()} will throw too
     */
    public void count(long bytes) throws IOException {
        if (contentLength >= 0 && written + bytes > contentLength) {
            overrun = true;
            throw new IOException("the body is longer than its announced Content-Length of " + contentLength + " bytes");
        }
        written += bytes;
    }

    /**
     * Checks the body at its end.
     *
     * @throws IOException if a write overran the announced length, or the body is shorter
     */
    public void checkEnd() throws IOException {
        if (overrun) {
            throw new IOException("the handler wrote past the announced Content-Length of " + contentLength + " bytes");
        }
        if (isShort()) {
            throw new IOException("the body has " + written + " bytes, fewer than its announced Content-Length of "
                    + contentLength);
        }
    }

    /** @return whether a write overran the announced length */
    public boolean isOverrun() {
        return overrun;
    }

    /** @return whether a body that is sent has fewer bytes than it announced, so far */
    public boolean isShort() {
        return !discarded && contentLength >= 0 && written < contentLength;
    }

    /**
     * @return whether the body is sent, has an announced length, and every byte of it and none
     *         past it was written
     */
    public boolean isWhole() {
        return !discarded && contentLength >= 0 && written == contentLength && !overrun;
    }

    /** @return the announced length, or {@code -1} when there is none */
    public long contentLength() {
        return contentLength;
    }

    /** @return whether the body is not sent ({@code HEAD}, {@code 204}, {@code 304}), only counted */
    public boolean isDiscarded() {
        return discarded;
    }

    /** @return the bytes counted so far */
    public long written() {
        return written;
    }
}
