package dev.sequin.jinjava;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.EscapeFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import java.util.Objects;

/**
 * Jinja2's {@code escape} filter (alias {@code e}): escapes HTML once and marks the result safe,
 * so auto-escaping does not escape it a second time, and leaves text already marked safe as it
 * is. Jinjava's own filter returns plain text, which an auto-escaped template escapes twice.
 *
 * <pre>{@code
 * jinjava.registerFilter(new MarkupEscapeFilter("e"));
 * // in an auto-escaped template, {{ "<b>"|e }} prints &lt;b&gt;, not &amp;lt;b&amp;gt;
 * }</pre>
 *
 * @param name the name the filter is registered under
 */
record MarkupEscapeFilter(String name) implements Filter {

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return new SafeString(EscapeFilter.escapeHtmlEntities(Objects.toString(var, "")));
    }

    @Override
    public Object filter(SafeString var, JinjavaInterpreter interpreter, String... args) {
        return var;
    }
}
