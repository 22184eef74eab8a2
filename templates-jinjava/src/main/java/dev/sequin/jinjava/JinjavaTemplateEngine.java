package dev.sequin.jinjava;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateError.ErrorType;
import dev.sequin.spi.TemplateEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A {@link TemplateEngine} with Jinja2 syntax, on HubSpot's Jinjava.
 *
 * <p>Templates, and whatever they {@code include}, {@code extend} or {@code import}, are read as
 * UTF-8 from the given folder only (see {@link TemplateFolder}). Variables are HTML-escaped when
 * the rendered template's name ends in {@code .html}, {@code .htm} or {@code .xml}; included and
 * parent templates follow the template being rendered, and {@code |safe} or
 * {@code {% autoescape false %}} opt out. As in Jinja2, {@code |e} escapes once, even in an
 * auto-escaped template (see {@link MarkupEscapeFilter}). Variable values are printed, never
 * interpreted as template code (Jinjava's nested interpretation is off).
 *
 * <p>Objects passed as variables expose their getters as properties ({@code {{ user.name }}} or
 * {@code {{ user.first_name }}}) and their public methods by their Java name
 * ({@code {{ api.urlFor('index') }}}); Jinjava refuses {@code getClass}, {@code class},
 * {@code wait}, {@code notify} and any call reaching reflection, class loaders or threads.
 *
 * <p>Thread-safe. One {@link Jinjava} per folder is kept, and with it Jinjava's cache of compiled
 * expressions. Template files are read and parsed on every render, as Jinjava does itself for
 * includes and parents, so an edited template shows at once.
 *
 * <pre>{@code
 * TemplateEngine engine = new JinjavaTemplateEngine();
 * String html = engine.render(Path.of("templates"), "hello.html", Map.of("name", "<Ann>"));
 * // templates/hello.html holds "Hello {{ name }}!", so html is "Hello &lt;Ann&gt;!"
 * }</pre>
 */
public final class JinjavaTemplateEngine implements TemplateEngine {

    private static final JinjavaConfig CONFIG = JinjavaConfig.newBuilder()
            .withCharset(StandardCharsets.UTF_8)
            .withNestedInterpretationEnabled(false)
            .build();

    private final Map<TemplateFolder, Jinjava> engines = new ConcurrentHashMap<>();

    /** Creates an engine; {@link java.util.ServiceLoader} calls this. */
    public JinjavaTemplateEngine() {
    }

    @Override
    public String render(Path directory, String name, Map<String, Object> variables)
            throws IOException {
        Objects.requireNonNull(name, "name");
        TemplateFolder folder = TemplateFolder.of(directory, name);
        String source = folder.read(name, CONFIG.getCharset());
        Jinjava jinjava = engines.computeIfAbsent(folder, JinjavaTemplateEngine::newJinjava);

        Context context = new Context(jinjava.getGlobalContextCopy(), variables, CONFIG.getDisabled());
        context.setAutoEscape(escapesHtml(name));
        JinjavaInterpreter interpreter =
                CONFIG.getInterpreterFactory().newInstance(jinjava, context, CONFIG);
        String output;
        try {
            output = interpreter.render(source);
        } catch (RuntimeException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        List<TemplateError> fatal = interpreter.getErrors().stream()
                .filter(error -> error.getSeverity() == ErrorType.FATAL)
                .toList();
        if (!fatal.isEmpty()) {
            throw new IOException(describe(name, fatal));
        }
        return output;
    }

    private static Jinjava newJinjava(TemplateFolder folder) {
        Jinjava jinjava = new Jinjava(CONFIG);
        jinjava.setResourceLocator(folder);
        jinjava.registerFilter(new MarkupEscapeFilter("escape"));
        jinjava.registerFilter(new MarkupEscapeFilter("e"));
        return jinjava;
    }

    private static boolean escapesHtml(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".html") || lower.endsWith(".htm") || lower.endsWith(".xml");
    }

    private static String describe(String name, List<TemplateError> errors) {
        return errors.stream()
                .map(error -> error.getLineno() > 0
                        ? name + ", line " + error.getLineno() + ": " + error.getMessage()
                        : name + ": " + error.getMessage())
                .collect(Collectors.joining("; "));
    }
}
