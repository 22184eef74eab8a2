package dev.sequin;

/** The methods Sequin serves; any other gets {@code 501 Not Implemented}. */
enum HttpMethod {
    GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS;

    /** @return whether the method is always allowed (GET, HEAD, OPTIONS) */
    boolean safe() {
        return this == GET || this == HEAD || this == OPTIONS;
    }

    /** @return the method of that name (exact, upper case), or {@code null} */
    static HttpMethod of(String name) {
        return switch (name) {
            case "GET" -> GET;
            case "HEAD" -> HEAD;
            case "POST" -> POST;
            case "PUT" -> PUT;
            case "PATCH" -> PATCH;
            case "DELETE" -> DELETE;
            case "OPTIONS" -> OPTIONS;
            default -> null;
        };
    }
}
