package dev.sequin;

import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper Sequin uses to read request bodies and write JSON responses. */
final class Json {

    /** Thread-safe once built; shared by every request. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }
}
