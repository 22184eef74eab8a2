package dev.sequin;

/**
 * Writes a stream of server-sent events; see {@link Response#events(EventWriter)}. Returning
 * ends the stream.
 *
 * <pre>{@code
 * resp.events(events -> {
 *     for (int i = 0; i < 3; i++) {
 *         events.send(Event.data("tick " + i).id(Integer.toString(i)));
 *         Thread.sleep(1000);
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface EventWriter {

    /** @param events where to send the events @throws Exception to abort the stream */
    void writeTo(EventSink events) throws Exception;
}
