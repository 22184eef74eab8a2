package dev.sequin;

import java.util.Map;

/** The converters every app knows: {@code str}, {@code int}, {@code long}, {@code float}, {@code rest}. */
final class BuiltinConverters {

    static final Map<String, Converter<?>> ALL = Map.of(
            "str", Converter.of("[^/]+", text -> text),
            "int", Converter.of("[-+]?[0-9]+", Integer::valueOf),
            "long", Converter.of("[-+]?[0-9]+", Long::valueOf),
            "float", Converter.of("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?", Double::valueOf),
            "rest", Converter.of(".+", text -> text));

    private BuiltinConverters() {
    }
}
