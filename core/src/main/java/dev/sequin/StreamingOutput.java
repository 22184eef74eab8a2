package dev.sequin;

import java.io.IOException;

/**
 * The output of a {@link BodyWriter}. Each write reaches the client promptly as one chunk, and
 * blocks while the client is slow, so memory stays bounded whatever the size of the body. Once
 * the client has gone away, the next write throws {@link IOException}.
 *
 * <pre>{@code
 * resp.streaming(out -> {
 *     out.write("text, as UTF-8");
 *     out.write(new byte[] {1, 2, 3});
 * });
 * }</pre>
 */
public interface StreamingOutput {

    /** @param text sent as UTF-8 @throws IOException once the client has gone away */
    void write(String text) throws IOException;

    /** @param bytes sent as they are @throws IOException once the client has gone away */
    void write(byte[] bytes) throws IOException;
}
