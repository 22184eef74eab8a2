package dev.sequin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.commons.fileupload2.core.DiskFileItem;

/**
 * A file uploaded in a {@code multipart/form-data} body. Small files are kept in memory, larger
 * ones on disk; either way they are deleted when the request ends.
 *
 * <pre>{@code
 * UploadedFile upload = req.form().file("photo");
 * try (InputStream in = upload.stream()) {
 *     Files.copy(in, uploads.resolve(safeName(upload.filename())));
 * }
 * }</pre>
 */
public final class UploadedFile {

    private final DiskFileItem item;

    UploadedFile(DiskFileItem item) {
        this.item = item;
    }

    /** @return the form field's name */
    public String name() {
        return item.getFieldName();
    }

    /** @return the file name the client gave; never trust it as a path */
    public String filename() {
        return item.getName();
    }

    /** @return the content type the client gave, or {@code null} */
    public String contentType() {
        return item.getContentType();
    }

    /** @return the size in bytes */
    public long size() {
        return item.getSize();
    }

    /** @return the whole content, read into memory */
    public byte[] bytes() {
        try (InputStream in = item.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the content as a stream; the caller closes it @throws IOException if it cannot be read */
    public InputStream stream() throws IOException {
        return item.getInputStream();
    }

    void delete() throws IOException {
        item.delete();
    }
}
