package dev.sequin.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The temporary folder a {@link TckApp} serves from: its templates, its static folder, and a
 * secret file next to (outside) the static folder that no response may ever contain. Inside the
 * static folder, two symbolic links point out of it, when the file system allows them.
 *
 * <pre>{@code
 * TckFolder folder = TckFolder.create();
 * Api api = Api.builder().templatesDir(folder.templates().toString())
 *         .staticDir(folder.staticDir().toString()).favicon(TckFolder.FAVICON).build();
 * folder.delete();                                   // when done
 * }</pre>
 *
 * @param root     the temporary folder
 * @param symlinks whether the symbolic links could be created
 */
record TckFolder(Path root, boolean symlinks) {

    /** The templates shipped under {@code dev/sequin/tck/templates/}. */
    static final List<String> TEMPLATES = List.of("example.html", "escaped.html");

    /** The content of {@code secret.txt}, beside the static folder. */
    static final String SECRET = "sequin-tck-secret-beside-the-static-folder";

    /** The secret file's name, in {@link #root()}. */
    static final String SECRET_FILE = "secret.txt";

    /** The favicon, relative to the static folder. */
    static final String FAVICON = "images/favicon.ico";

    /** A large static file, {@link #BIG_BYTES} random bytes. */
    static final String BIG_FILE = "big.bin";

    /** The size of {@link #BIG_FILE}: 8 MiB. */
    static final int BIG_BYTES = 8 * 1024 * 1024;

    /** A symbolic link in the static folder to the secret file. */
    static final String LINK_TO_SECRET = "escape.txt";

    /** A symbolic link in the static folder to the folder holding it and the secret. */
    static final String LINK_TO_PARENT = "up";

    /** The app's route answering {@code true} when the links could be made, else {@code false}. */
    static final String LINKS_ROUTE = "/tck/symlinks";

    /** The small files of the static folder, by path relative to it. */
    static final Map<String, byte[]> STATIC_FILES = Map.of(
            "hello.txt", utf8("hello static\n"),
            "digits.txt", utf8("0123456789"),
            "style.css", utf8("body { color: teal; }\n"),
            "page.html", utf8("<!doctype html><p>static page</p>\n"),
            "data.json", utf8("{\"static\":true}\n"),
            "pixel.png", ResponseRoutes.PNG.clone(),
            "NOTICE", utf8("a file without an extension\n"),
            "sub/inner.txt", utf8("inside sub\n"),
            FAVICON, new byte[] {0, 0, 1, 0, 1, 0, 16, 16});

    /**
     * Creates and fills a new temporary folder.
     *
     * @return the folder
     * @throws UncheckedIOException if it cannot be written (what was written is removed)
     */
    static TckFolder create() {
        Path root = null;
        try {
            root = Files.createTempDirectory("sequin-tck");
            return fill(root);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException(e);
            if (root != null) {
                try {
                    new TckFolder(root, false).delete();
                } catch (UncheckedIOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    /** @return the templates folder */
    Path templates() {
        return root.resolve("templates");
    }

    /** @return the static folder */
    Path staticDir() {
        return root.resolve("static");
    }

    /**
     * What a static file holds in every folder, so that a test can check it without reading the
     * folder (it may be in another JVM or container).
     *
     * @param relative a path relative to the static folder: a key of {@link #STATIC_FILES} or {@link #BIG_FILE}
     * @return that file's bytes
     * @throws IllegalArgumentException if the folder holds no such file
     */
    static byte[] staticBytes(String relative) {
        if (relative.equals(BIG_FILE)) {
            return bigFile();
        }
        byte[] bytes = STATIC_FILES.get(relative);
        if (bytes == null) {
            throw new IllegalArgumentException("not a static file of the TCK's folder: " + relative);
        }
        return bytes.clone();
    }

    /**
     * Deletes the folder and everything in it (links, not what they point to).
     *
     * @throws UncheckedIOException if something cannot be deleted
     */
    void delete() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TckFolder fill(Path root) throws IOException {
        copyTemplates(Files.createDirectory(root.resolve("templates")));
        Path statics = Files.createDirectory(root.resolve("static"));
        for (Map.Entry<String, byte[]> file : STATIC_FILES.entrySet()) {
            Path target = statics.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        Files.write(statics.resolve(BIG_FILE), bigFile());
        Files.writeString(root.resolve(SECRET_FILE), SECRET, StandardCharsets.UTF_8);
        return new TckFolder(root, linkOut(statics));
    }

    private static void copyTemplates(Path dir) throws IOException {
        for (String name : TEMPLATES) {
            try (InputStream in = TckApp.class.getResourceAsStream("templates/" + name)) {
                if (in == null) {
                    throw new IOException("template resource missing from sequin-tck: " + name);
                }
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    /** @return the same random bytes every time: the seed is fixed */
    private static byte[] bigFile() {
        byte[] bytes = new byte[BIG_BYTES];
        new Random(BIG_BYTES).nextBytes(bytes);
        return bytes;
    }

    /** @return whether the links could be made (some file systems and users cannot) */
    private static boolean linkOut(Path statics) {
        try {
            Files.createSymbolicLink(statics.resolve(LINK_TO_SECRET), Path.of("..", SECRET_FILE));
            Files.createSymbolicLink(statics.resolve(LINK_TO_PARENT), Path.of(".."));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
