package dev.sequin;

/**
 * A registered route: its pattern, its trailing-slash strategy, what serves it, and the
 * blueprint scope it was registered in ({@code null} for the app's own routes).
 */
record RouteEntry(RoutePattern pattern, Trailing trailing, Endpoint endpoint, Scope scope) {
}
