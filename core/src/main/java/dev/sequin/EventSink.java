package dev.sequin;

import java.io.IOException;

/**
 * Where a server-sent events writer sends its events: each one reaches the client as soon as it
 * is sent. Once the client has gone away, the next send throws {@link IOException}; a periodic
 * {@link #comment} keeps idle connections open and finds departed clients.
 *
 * <pre>{@code
 * resp.events(events -> {
 *     long next = events.lastEventId() == null ? 0 : Long.parseLong(events.lastEventId()) + 1;
 *     while (true) {
 *         events.send(Event.data(prices.next()).id(Long.toString(next++)));
 *     }
 * });
 * }</pre>
 */
public interface EventSink {

    /** @param event the event to send now @throws IOException once the client has gone away */
    void send(Event event) throws IOException;

    /** @param text a comment line, ignored by clients (keep-alive) @throws IOException once the client has gone away */
    void comment(String text) throws IOException;

    /** @return the {@code Last-Event-ID} the client reconnected with, or {@code null} */
    String lastEventId();
}
