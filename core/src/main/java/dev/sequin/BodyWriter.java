package dev.sequin;

/**
 * Writes a streamed response body, after the view and the after-request hooks have returned.
 *
 * <pre>{@code
 * resp.streaming(out -> {
 *     for (int i = 0; i < 10; i++) {
 *         Thread.sleep(500);
 *         out.write("count: " + i);      // reaches the client now
 *     }
 *     out.write("Completed!");
 * });
 * }</pre>
 */
@FunctionalInterface
public interface BodyWriter {

    /**
     * Writes the body; returning ends it.
     *
     * @param out where each write goes, as one chunk
     * @throws Exception to abort the response (the client sees a truncated body)
     */
    void writeTo(StreamingOutput out) throws Exception;
}
