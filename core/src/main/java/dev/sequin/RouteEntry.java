package dev.sequin;

/** A registered route: its pattern, its trailing-slash strategy and what serves it. */
record RouteEntry(RoutePattern pattern, Trailing trailing, Endpoint endpoint) {
}
