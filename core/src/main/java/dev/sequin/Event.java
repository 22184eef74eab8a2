package dev.sequin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One server-sent event: data, and optionally an id, an event name and a reconnection delay.
 * Immutable; each attribute method returns a copy.
 *
 * <pre>{@code
 * resp.events(events -> {
 *     events.send(Event.data("{\"t\":1}").id("1").name("tick"));
 * });
 * // id: 1
 * // event: tick
 * // data: {"t":1}
 * }</pre>
 *
 * @param data  the data; several lines become several {@code data:} fields
 * @param id    the id, or {@code null}
 * @param name  the event name, or {@code null} for the default {@code message}
 * @param retry the reconnection delay to advise, or {@code null}
 */
public record Event(String data, String id, String name, Duration retry) {

    /**
     * @throws IllegalArgumentException if the id or name has a line break, or the id a NUL
     */
    public Event {
        Objects.requireNonNull(data, "data");
        requireSingleLine("id", id);
        requireSingleLine("event name", name);
        if (id != null && id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an event id must not contain NUL");
        }
    }

    /** @param data the event's data @return an event with that data */
    public static Event data(String data) {
        return new Event(data, null, null, null);
    }

    /** @param id the event id, sent back by the client as {@code Last-Event-ID} @return a copy with it */
    public Event id(String id) {
        return new Event(data, id, name, retry);
    }

    /** @param name the event name (the {@code event:} field) @return a copy with it */
    public Event name(String name) {
        return new Event(data, id, name, retry);
    }

    /** @param retry how long the client should wait before reconnecting @return a copy with it */
    public Event retry(Duration retry) {
        return new Event(data, id, name, retry);
    }

    /** @return the event in the {@code text/event-stream} format, ending with a blank line */
    public String toWire() {
        StringBuilder out = new StringBuilder(data.length() + 32);
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        if (retry != null) {
            out.append("retry: ").append(retry.toMillis()).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    /**
     * Parses a {@code text/event-stream} body into its events, for tests.
     *
     * @param stream the body
     * @return the events dispatched by it, in order (comments skipped)
     */
    public static List<Event> parse(String stream) {
        List<Event> events = new ArrayList<>();
        StringBuilder data = null;
        String id = null;
        String name = null;
        Duration retry = null;
        for (String line : stream.split("\r\n|\r|\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(data.toString(), id, name, retry));
                }
                data = null;
                id = null;
                name = null;
                retry = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> id = value;
                case "event" -> name = value;
                case "retry" -> retry = value.matches("[0-9]+") ? Duration.ofMillis(Long.parseLong(value)) : retry;
                default -> {
                }
            }
        }
        return events;
    }

    private static void requireSingleLine(String what, String value) {
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("an event " + what + " must be one line");
        }
    }
}
