package dev.sequin;

import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One end of an in-memory WebSocket pair, for the {@link TestClient}: what one end sends, the
 * other receives. Closing sends a close to the other end, which echoes it when it receives it,
 * as the closing handshake does.
 */
final class InMemoryWebSocket implements WebSocketConnection {

    private final LinkedBlockingQueue<WebSocketMessage> inbox = new LinkedBlockingQueue<>();
    private final String subprotocol;
    private InMemoryWebSocket peer;
    private volatile boolean closeSent;
    private WebSocketMessage.Close closeReceived;

    private InMemoryWebSocket(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    /** @return two connected ends: [server, client] */
    static InMemoryWebSocket[] pair(String subprotocol) {
        InMemoryWebSocket server = new InMemoryWebSocket(subprotocol);
        InMemoryWebSocket client = new InMemoryWebSocket(subprotocol);
        server.peer = client;
        client.peer = server;
        return new InMemoryWebSocket[] {server, client};
    }

    @Override
    public void sendText(String text) throws IOException {
        requireOpen();
        peer.inbox.add(new WebSocketMessage.Text(text));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        requireOpen();
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        peer.inbox.add(new WebSocketMessage.Binary(copy.asReadOnlyBuffer()));
    }

    @Override
    public synchronized WebSocketMessage receive(Duration timeout) throws IOException {
        if (closeReceived != null) {
            return closeReceived;
        }
        WebSocketMessage message;
        try {
            message = timeout == null ? inbox.take() : inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a WebSocket message", e);
        }
        if (message == null) {
            throw new SocketTimeoutException("no WebSocket message within " + timeout);
        }
        if (message instanceof WebSocketMessage.Close close) {
            closeReceived = close;
            close(close.code(), close.reason());
        }
        return message;
    }

    @Override
    public void close(int code, String reason) {
        if (!closeSent) {
            closeSent = true;
            peer.inbox.add(new WebSocketMessage.Close(code, reason));
        }
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    private void requireOpen() throws IOException {
        if (closeSent || closeReceived != null) {
            throw new IOException("the WebSocket is closed");
        }
    }
}
