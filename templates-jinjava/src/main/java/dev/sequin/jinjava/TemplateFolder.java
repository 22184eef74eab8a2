package dev.sequin.jinjava;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads templates from one folder and never from outside it: a name that is absolute, climbs out
 * with {@code ..}, or reaches a symbolic link pointing out of the folder is not found. Serves the
 * template being rendered and every {@code {% include %}}, {@code {% extends %}} and
 * {@code {% import %}} inside it.
 *
 * <pre>{@code
 * TemplateFolder folder = TemplateFolder.of(Path.of("templates"), "index.html");
 * String source = folder.read("index.html", StandardCharsets.UTF_8);
 * }</pre>
 *
 * @param root the folder's real path (symbolic links resolved)
 */
record TemplateFolder(Path root) implements ResourceLocator {

    /**
     * Opens the folder a template is looked up in.
     *
     * @param directory the folder, relative to the working directory or absolute
     * @param name      the template about to be read, named in the exception
     * @return the folder, keyed by its real path
     * @throws NoSuchFileException if the folder does not exist
     * @throws IOException         if the folder cannot be resolved
     */
    static TemplateFolder of(Path directory, String name) throws IOException {
        try {
            return new TemplateFolder(directory.toRealPath());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no template folder " + directory);
        }
    }

    /**
     * Reads a template.
     *
     * @param name    the template's path relative to the folder, with {@code /} separators
     * @param charset the file's encoding
     * @return its text
     * @throws NoSuchFileException if there is no such file in the folder, or the name leaves it
     * @throws IOException         if the file cannot be read
     */
    String read(String name, Charset charset) throws IOException {
        return Files.readString(locate(name), charset);
    }

    @Override
    public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
            throws IOException {
        return read(fullName, encoding);
    }

    private Path locate(String name) throws NoSuchFileException {
        try {
            Path file = root.resolve(name).normalize();
            if (file.startsWith(root)) {
                Path real = file.toRealPath();
                if (real.startsWith(root) && Files.isRegularFile(real)) {
                    return real;
                }
            }
        } catch (InvalidPathException | IOException e) {
            // a name the file system refuses, or cannot resolve, is no template either
        }
        throw new NoSuchFileException(name, null, "no such template in the template folder");
    }
}
