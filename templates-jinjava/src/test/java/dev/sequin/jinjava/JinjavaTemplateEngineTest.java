package dev.sequin.jinjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.TemplateEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JinjavaTemplateEngineTest {

    /** Stands in for core's {@code Api}: a public method with arguments and a getter. */
    public static final class Links {
        public String urlFor(String view) {
            if (view.isEmpty()) {
                throw new IllegalArgumentException("no view named ''");
            }
            return "/" + view;
        }

        public String urlFor(String view, Map<String, Object> params) {
            return "/" + view + "/" + params.get("id");
        }

        public String getBaseUrl() {
            return "http://example.com";
        }
    }

    @TempDir
    Path root;

    private final TemplateEngine engine = new JinjavaTemplateEngine();

    private Path templates() throws IOException {
        return Files.createDirectories(root.resolve("templates"));
    }

    private void write(String name, String text) throws IOException {
        Path file = templates().resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private String render(String name, Map<String, Object> variables) throws IOException {
        return engine.render(templates(), name, variables);
    }

    @Test
    void isFoundByServiceLoader() {
        TemplateEngine found = ServiceLoader.load(TemplateEngine.class).findFirst().orElseThrow();
        assertInstanceOf(JinjavaTemplateEngine.class, found);
    }

    @Test
    void rendersVariables() throws IOException {
        write("hello.txt", "Hello {{ name }}, you are {{ age + 1 }}.");
        assertEquals("Hello Ann, you are 31.", render("hello.txt", Map.of("name", "Ann", "age", 30)));
    }

    @Test
    void rendersLoops() throws IOException {
        write("list.txt", "{% for item in items %}{{ loop.index }}={{ item }};{% endfor %}");
        assertEquals("1=a;2=b;3=c;", render("list.txt", Map.of("items", List.of("a", "b", "c"))));
    }

    @Test
    void includesAndExtendsResolveInTheFolder() throws IOException {
        write("base.html", "<title>{% block title %}base{% endblock %}</title>{% include 'parts/nav.html' %}");
        write("parts/nav.html", "<nav>{{ user }}</nav>");
        write("page.html", "{% extends 'base.html' %}{% block title %}page{% endblock %}");
        assertEquals("<title>page</title><nav>Ann</nav>", render("page.html", Map.of("user", "Ann")));
    }

    @Test
    void escapesVariablesInHtmlAndXmlOnly() throws IOException {
        for (String name : List.of("t.html", "t.htm", "t.xml", "T.HTML")) {
            write(name, "{{ v }}");
            assertEquals("&lt;b&gt; &amp; &quot;", render(name, Map.of("v", "<b> & \"")), name);
        }
        write("t.txt", "{{ v }}");
        assertEquals("<b> & \"", render("t.txt", Map.of("v", "<b> & \"")));
    }

    @Test
    void safeAndEscapeFiltersWorkWithAutoEscaping() throws IOException {
        write("f.html", "{{ v|safe }} {{ v|e }} {{ v|escape }} {{ v|safe|e }}");
        write("f.txt", "{{ v|safe }} {{ v|e }}");
        Map<String, Object> variables = Map.of("v", "<b>");
        assertEquals("<b> &lt;b&gt; &lt;b&gt; <b>", render("f.html", variables));
        assertEquals("<b> &lt;b&gt;", render("f.txt", variables));
    }

    @Test
    void includedTemplatesFollowTheRenderedTemplatesEscaping() throws IOException {
        write("part.txt", "{{ v }}");
        write("page.html", "{% include 'part.txt' %}");
        assertEquals("&lt;b&gt;", render("page.html", Map.of("v", "<b>")));
    }

    @Test
    void variableValuesAreNotInterpreted() throws IOException {
        write("echo.txt", "{{ v }}");
        assertEquals("{{ 6 * 7 }}{% if true %}x{% endif %}",
                render("echo.txt", Map.of("v", "{{ 6 * 7 }}{% if true %}x{% endif %}")));
    }

    @Test
    void missingTemplateIsNoSuchFile() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> render("absent.html", Map.of()));
        assertEquals("absent.html", e.getFile());
    }

    @Test
    void missingFolderIsNoSuchFile() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> engine.render(root.resolve("nowhere"), "index.html", Map.of()));
        assertEquals("index.html", e.getFile());
    }

    @Test
    void namesLeavingTheFolderAreNoSuchFile() throws IOException {
        Files.writeString(root.resolve("secret.html"), "secret");
        Path templates = templates();
        Files.createSymbolicLink(templates.resolve("link.html"), root.resolve("secret.html"));
        for (String name : List.of("../secret.html", "parts/../../secret.html",
                root.resolve("secret.html").toString(), "link.html", "", ".")) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> render(name, Map.of()), name);
            assertEquals(name, e.getFile());
        }
    }

    @Test
    void includesCannotLeaveTheFolder() throws IOException {
        Files.writeString(root.resolve("secret.html"), "secret");
        write("sneaky.html", "{% include '../secret.html' %}");
        IOException e = assertThrows(IOException.class, () -> render("sneaky.html", Map.of()));
        assertTrue(e.getMessage().contains("../secret.html"), e.getMessage());
    }

    @Test
    void readsAndWritesUtf8() throws IOException {
        write("utf8.txt", "héllo ✓ {{ v }} 🎉");
        assertEquals("héllo ✓ ünï ✓ 🎉", render("utf8.txt", Map.of("v", "ünï ✓")));
    }

    @Test
    void malformedUtf8IsAnError() throws IOException {
        Files.write(templates().resolve("latin1.txt"), "h\u00e9llo".getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(IOException.class, () -> render("latin1.txt", Map.of()));
    }

    @Test
    void callsMethodsAndGettersOfPassedObjects() throws IOException {
        write("links.html", "{{ api.urlFor('index') }} {{ api.urlFor('user', {'id': 7}) }} "
                + "{{ api.base_url }} {{ api.baseUrl }} {{ api.getBaseUrl() }}");
        assertEquals("/index /user/7 http://example.com http://example.com http://example.com",
                render("links.html", Map.of("api", new Links())));
    }

    @Test
    void refusesGetClass() throws IOException {
        write("class.txt", "{{ api.getClass() }}");
        write("property.txt", "[{{ api.class }}]");
        IOException e = assertThrows(IOException.class, () -> render("class.txt", Map.of("api", new Links())));
        assertTrue(e.getMessage().contains("getClass"), e.getMessage());
        assertEquals("[]", render("property.txt", Map.of("api", new Links())));
    }

    @Test
    void methodFailureIsAnError() throws IOException {
        write("bad.html", "{{ api.urlFor('') }}");
        IOException e = assertThrows(IOException.class, () -> render("bad.html", Map.of("api", new Links())));
        assertTrue(e.getMessage().contains("no view named"), e.getMessage());
    }

    @Test
    void syntaxErrorsAreErrors() throws IOException {
        write("unclosed.html", "{% if x %}never closed");
        write("unknown.html", "{% frobnicate %}");
        write("expr.html", "{{ foo( }}");
        for (String name : List.of("unclosed.html", "unknown.html", "expr.html")) {
            IOException e = assertThrows(IOException.class, () -> render(name, Map.of()), name);
            assertTrue(e.getMessage().startsWith(name + ", line 1: "), e.getMessage());
        }
    }

    @Test
    void eachFolderKeepsItsOwnTemplates() throws IOException {
        Path a = Files.createDirectories(root.resolve("a"));
        Path b = Files.createDirectories(root.resolve("b"));
        Files.writeString(a.resolve("page.txt"), "A{% include 'part.txt' %}");
        Files.writeString(a.resolve("part.txt"), "a");
        Files.writeString(b.resolve("page.txt"), "B{% include 'part.txt' %}");
        Files.writeString(b.resolve("part.txt"), "b");
        assertEquals("Aa", engine.render(a, "page.txt", Map.of()));
        assertEquals("Bb", engine.render(b, "page.txt", Map.of()));
        assertEquals("Aa", engine.render(a, "page.txt", Map.of()));
    }

    @Test
    void editedTemplatesShowAtOnce() throws IOException {
        write("page.txt", "one");
        assertEquals("one", render("page.txt", Map.of()));
        write("page.txt", "two");
        assertEquals("two", render("page.txt", Map.of()));
    }

    @Test
    @Timeout(30)
    void rendersConcurrently() throws Exception {
        write("page.html", "{% extends 'base.html' %}{% block body %}{% for i in range(n) %}{{ v }}{% endfor %}{% endblock %}");
        write("base.html", "<p>{% block body %}{% endblock %}</p>");
        write("page.txt", "{{ v }}:{{ n }}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String v = "<" + thread + "-" + i + ">";
                        int n = i % 3 + 1;
                        Map<String, Object> variables = Map.of("v", v, "n", n);
                        String escaped = v.replace("<", "&lt;").replace(">", "&gt;");
                        assertEquals("<p>" + escaped.repeat(n) + "</p>", engine.render(templates(), "page.html", variables));
                        assertEquals(v + ":" + n, engine.render(templates(), "page.txt", variables));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
