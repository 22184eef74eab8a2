package dev.sequin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * Serves files from a folder: {@code Content-Type} by extension, {@code ETag} and
 * {@code Last-Modified} with {@code 304} on conditional requests, single byte ranges
 * ({@code 206}, {@code 416}), and files streamed from disk rather than loaded whole. Anything
 * that is not a regular file inside the folder (a directory, {@code ..}, an absolute path, a
 * symlink out of the folder) is a {@code 404}.
 */
final class StaticFiles implements View {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"),
            Map.entry("pdf", "application/pdf"), Map.entry("wasm", "application/wasm"), Map.entry("map", "application/json"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"), Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"), Map.entry("md", "text/markdown"));

    private final Path folder;
    private final String fixedFile;

    private StaticFiles(Path folder, String fixedFile) {
        this.folder = folder.toAbsolutePath().normalize();
        this.fixedFile = fixedFile;
    }

    /** Serves the file named by the route's {@code path} parameter. */
    static StaticFiles folder(String folder) {
        return new StaticFiles(Path.of(folder), null);
    }

    /** Serves one file of the folder, whatever the path (the favicon). */
    static StaticFiles file(String folder, String file) {
        return new StaticFiles(Path.of(folder), file);
    }

    @Override
    public void onGet(Request req, Response resp) throws IOException {
        String relative = fixedFile != null ? fixedFile : (String) req.param("path");
        Path file = resolve(relative);
        BasicFileAttributes attributes = file == null ? null : Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes == null || !attributes.isRegularFile()) {
            throw new HttpError(404, "Not Found");
        }
        long size = attributes.size();
        Instant modified = attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.getEpochSecond()) + "\"";
        resp.setHeader("ETag", etag).setHeader("Last-Modified", HttpDates.format(modified)).setHeader("Accept-Ranges", "bytes");
        if (notModified(req, etag, modified)) {
            resp.setStatus(304);
            return;
        }
        String type = contentType(file);
        ByteRange range = ByteRange.parse(req.header("Range"), size);
        if (range != null && rangeStillApplies(req, etag, modified)) {
            if (range.unsatisfiable()) {
                resp.setStatus(416).setHeader("Content-Range", "bytes */" + size);
                return;
            }
            resp.setStatus(206).setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
            resp.file(file, range.first(), range.length(), type);
            return;
        }
        resp.file(file, 0, size, type);
    }

    private static boolean notModified(Request req, String etag, Instant modified) {
        String ifNoneMatch = req.header("If-None-Match");
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String candidate = tag.trim();
                if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        Instant since = HttpDates.parse(req.header("If-Modified-Since"));
        return since != null && !modified.isAfter(since);
    }

    private static boolean rangeStillApplies(Request req, String etag, Instant modified) {
        String ifRange = req.header("If-Range");
        if (ifRange == null) {
            return true;
        }
        Instant date = HttpDates.parse(ifRange);
        return date != null ? date.equals(modified) : ifRange.trim().equals(etag);
    }

    /** @return the real path of a regular file inside the folder, or {@code null} */
    private Path resolve(String relative) {
        if (relative == null || relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
            return null;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        try {
            Path root = folder.toRealPath();
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root) || !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") || type.equals("application/json") || type.equals("application/xml")
                || type.equals("image/svg+xml") ? type + "; charset=utf-8" : type;
    }

    /** One byte range of a {@code Range} header; only single ranges are honoured. */
    record ByteRange(long first, long last, boolean unsatisfiable) {

        long length() {
            return last - first + 1;
        }

        /** @return the range, an unsatisfiable marker, or {@code null} to serve the whole file */
        static ByteRange parse(String header, long size) {
            if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6) || header.indexOf(',') >= 0) {
                return null;
            }
            String spec = header.substring(6).trim();
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return null;
            }
            try {
                String start = spec.substring(0, dash).trim();
                String end = spec.substring(dash + 1).trim();
                if (start.isEmpty()) {
                    long suffix = Long.parseLong(end);
                    if (suffix <= 0) {
                        return suffix == 0 ? new ByteRange(0, 0, true) : null;
                    }
                    return size == 0 ? new ByteRange(0, 0, true) : new ByteRange(Math.max(0, size - suffix), size - 1, false);
                }
                long first = Long.parseLong(start);
                long last = end.isEmpty() ? size - 1 : Math.min(Long.parseLong(end), size - 1);
                if (first < 0 || (!end.isEmpty() && Long.parseLong(end) < first)) {
                    return null;
                }
                return first >= size ? new ByteRange(0, 0, true) : new ByteRange(first, last, false);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
