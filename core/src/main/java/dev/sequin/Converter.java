package dev.sequin;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a path segment into a typed parameter, for route patterns such as {@code {n:int}}.
 *
 * <p>A segment matches when the whole of it matches {@link #pattern()} and {@link #convert}
 * does not throw; otherwise the route does not match (and another may). Built in: {@code str}
 * (the default), {@code int} ({@code Integer}), {@code long} ({@code Long}), {@code float}
 * ({@code Double}) and {@code rest}, which used as {@code {p:*rest}} matches the rest of the path,
 * slashes included. A converter whose pattern may match {@code /} is used the same way, as
 * {@code {p:*name}}.
 *
 * <pre>{@code
 * api.converter("month", Converter.of("[0-9]{1,2}", s -> {
 *     int month = Integer.parseInt(s);
 *     if (month < 1 || month > 12) throw new IllegalArgumentException("no month " + s);
 *     return Month.of(month);
 * }));
 * api.route("/archive/{m:month}", Archive.class);
 * }</pre>
 *
 * @param <T> the type of the converted value
 */
public interface Converter<T> {

    /** @return the regular expression a (decoded) segment must match entirely */
    Pattern pattern();

    /**
     * @param text the decoded text, which matched {@link #pattern()}
     * @return the value views get from {@link Request#param}
     * @throws Exception if the text is not a value of this type: the route then does not match
     */
    T convert(String text) throws Exception;

    /**
     * Builds a converter from a regular expression and a function.
     *
     * @param regex   what a segment must match entirely
     * @param convert the conversion; throwing means "no match"
     * @param <T>     the type of the converted value
     * @return the converter
     * @throws java.util.regex.PatternSyntaxException if the expression is invalid
     */
    static <T> Converter<T> of(String regex, Function<String, T> convert) {
        Pattern pattern = Pattern.compile(regex);
        Objects.requireNonNull(convert, "convert");
        return new Converter<>() {
            @Override
            public Pattern pattern() {
                return pattern;
            }

            @Override
            public T convert(String text) {
                return convert.apply(text);
            }
        };
    }
}
