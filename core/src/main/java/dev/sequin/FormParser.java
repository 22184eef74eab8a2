package dev.sequin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * Parses form bodies: urlencoded ones with the query parser, multipart ones with Apache Commons
 * FileUpload, which streams parts and spills files above {@value #IN_MEMORY_BYTES} bytes to disk.
 */
final class FormParser {

    /** Files up to this size stay in memory; larger ones go to the temporary folder. */
    static final int IN_MEMORY_BYTES = 64 * 1024;

    private static final DiskFileItemFactory FILES = newFactory();

    private FormParser() {
    }

    /**
     * @throws HttpError 415 for another content type, 400 for a malformed body, 413 for one too large
     */
    static Form parse(Request req, long maxBytes) throws IOException {
        String type = req.header("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case "application/x-www-form-urlencoded" -> new Form(new LinkedHashMap<>(
                    Request.parseQuery(new String(req.content(), StandardCharsets.US_ASCII))), List.of());
            case "multipart/form-data" -> multipart(req, maxBytes);
            default -> throw new HttpError(415, "Expected a form body (application/x-www-form-urlencoded or "
                    + "multipart/form-data), not " + (type == null ? "no Content-Type" : type));
        };
    }

    private static Form multipart(Request req, long maxBytes) throws IOException {
        Upload upload = new Upload();
        upload.setFileItemFactory(FILES);
        upload.setMaxSize(maxBytes);
        List<DiskFileItem> items;
        try {
            items = upload.parseRequest(req);
        } catch (FileUploadSizeException e) {
            throw new HttpError(413, "Request body larger than " + maxBytes + " bytes");
        } catch (FileUploadException e) {
            throw new HttpError(400, "Malformed multipart body: " + e.getMessage());
        }
        if (items.isEmpty()) {
            throw new HttpError(400, "Malformed multipart body: no part found (does the boundary match?)");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<UploadedFile> files = new ArrayList<>();
        for (DiskFileItem item : items) {
            if (item.isFormField()) {
                fields.computeIfAbsent(item.getFieldName(), name -> new ArrayList<>(1)).add(item.getString(StandardCharsets.UTF_8));
            } else {
                files.add(new UploadedFile(item));
            }
        }
        return new Form(fields, files);
    }

    private static DiskFileItemFactory newFactory() {
        return DiskFileItemFactory.builder()
                .setPath(System.getProperty("java.io.tmpdir"))
                .setThreshold(IN_MEMORY_BYTES)
                .get();
    }

    /** The request as FileUpload sees it. */
    private record Context(Request req) implements RequestContext {
        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public long getContentLength() {
            String length = req.header("Content-Length");
            try {
                return length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String getContentType() {
            return req.header("Content-Type");
        }

        @Override
        public InputStream getInputStream() {
            return req.body();
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }

    /** FileUpload's parser for Sequin requests. */
    private static final class Upload extends AbstractFileUpload<Request, DiskFileItem, DiskFileItemFactory> {
        @Override
        public FileItemInputIterator getItemIterator(Request request) throws IOException {
            return getItemIterator(new Context(request));
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(Request request) throws FileUploadException {
            return parseParameterMap(new Context(request));
        }

        @Override
        public List<DiskFileItem> parseRequest(Request request) throws FileUploadException {
            return parseRequest(new Context(request));
        }
    }
}
