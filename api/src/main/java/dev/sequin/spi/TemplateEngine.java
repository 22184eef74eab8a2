package dev.sequin.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders named templates, found with {@link java.util.ServiceLoader}: a template module lists
 * its implementation in {@code META-INF/services/dev.sequin.spi.TemplateEngine}.
 *
 * <p>Implementations are thread-safe and may cache parsed templates per directory. They escape
 * HTML in variables of {@code .html} and {@code .xml} templates by default, and read and produce
 * UTF-8.
 *
 * <pre>{@code
 * TemplateEngine engine = ServiceLoader.load(TemplateEngine.class).findFirst().orElseThrow();
 * String html = engine.render(Path.of("templates"), "example.html", Map.of("var", "foobar"));
 * }</pre>
 */
public interface TemplateEngine {

    /**
     * Renders a template.
     *
     * @param directory the folder templates are loaded from
     * @param name      the template's path relative to {@code directory}, with {@code /} separators
     * @param variables the variables the template sees
     * @return the rendered text
     * @throws java.nio.file.NoSuchFileException if there is no such template (or the name leaves
     *                                           the folder)
     * @throws IOException                        if the template cannot be read or rendered
     */
    String render(Path directory, String name, Map<String, Object> variables) throws IOException;
}
