package dev.sequin;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A form body, {@code application/x-www-form-urlencoded} or {@code multipart/form-data}: its
 * fields and, for multipart, its uploaded files.
 *
 * <pre>{@code
 * Form form = req.form();
 * String title = form.get("title");
 * UploadedFile photo = form.file("photo");
 * if (photo != null) store(photo.filename(), photo.stream());
 * }</pre>
 */
public final class Form {

    private final Map<String, List<String>> fields;
    private final List<UploadedFile> files;

    Form(Map<String, List<String>> fields, List<UploadedFile> files) {
        this.fields = Collections.unmodifiableMap(fields);
        this.files = List.copyOf(files);
    }

    /** @param name a field name @return its first value, or {@code null} */
    public String get(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** @param name a field name @return all its values, in order; empty when absent */
    public List<String> getAll(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** @return every field with all its values (files excluded) */
    public Map<String, List<String>> fields() {
        return fields;
    }

    /** @param name a file field's name @return the first file uploaded under it, or {@code null} */
    public UploadedFile file(String name) {
        for (UploadedFile file : files) {
            if (file.name().equals(name)) {
                return file;
            }
        }
        return null;
    }

    /** @return every uploaded file, in the order received */
    public List<UploadedFile> files() {
        return files;
    }
}
