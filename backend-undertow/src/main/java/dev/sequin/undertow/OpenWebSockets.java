package dev.sequin.undertow;

import io.undertow.util.AttachmentKey;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open WebSocket connections of one {@link SequinHandler}, so that a stopping server can say
 * goodbye to them. It is Undertow's "peer connections" set: a channel is added at the upgrade and
 * Undertow removes it when it closes. {@link SequinHandler} attaches it to each exchange under
 * {@link #KEY}, with the timeout WebSocket sends get.
 *
 * <pre>{@code
 * OpenWebSockets open = new OpenWebSockets(Duration.ofSeconds(30));
 * exchange.putAttachment(OpenWebSockets.KEY, open);
 * // when stopping:
 * open.closeAll(Duration.ofSeconds(10));     // close 1001 to every client, wait for the answers
 * }</pre>
 */
final class OpenWebSockets {

    /** Where {@link UndertowWebSocket#accept} finds the set for its exchange. */
    static final AttachmentKey<OpenWebSockets> KEY = AttachmentKey.create(OpenWebSockets.class);
    private static final int GOING_AWAY = 1001;
    private static final long POLL_MILLIS = 10;

    private final Set<WebSocketChannel> peers = ConcurrentHashMap.newKeySet();
    private final long sendTimeoutMillis;

    /** @param sendTimeout how long one send may wait for a client that does not read */
    OpenWebSockets(Duration sendTimeout) {
        this.sendTimeoutMillis = Math.max(1, Math.min(Integer.MAX_VALUE, sendTimeout.toMillis()));
    }

    /** @return the open channels; Undertow removes a channel when it closes */
    Set<WebSocketChannel> peers() {
        return peers;
    }

    /** @return the send timeout in milliseconds */
    long sendTimeoutMillis() {
        return sendTimeoutMillis;
    }

    /**
     * Sends close {@code 1001} (going away) on every open connection, so each handler's receive
     * returns the close once the client answers, and waits at most {@code grace} for the
     * connections to finish closing. A client that does not answer is cut after
     * {@value UndertowWebSocket#CLOSE_TIMEOUT_SECONDS} s, or when the server stops.
     *
     * @param grace how long to wait for the closing handshakes
     */
    void closeAll(Duration grace) {
        for (WebSocketChannel channel : peers) {
            if (!channel.isCloseFrameSent()) {
                WebSockets.sendClose(GOING_AWAY, "", channel, null);
            }
            UndertowWebSocket.closeLater(channel);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (!peers.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
