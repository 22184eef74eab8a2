package dev.sequin;

import dev.sequin.spi.WebSocketConnection;
import dev.sequin.spi.WebSocketMessage;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One end of an in-memory WebSocket pair, for the {@link TestClient}: what one end sends, the
 * other receives. Closing sends a close to the other end, which echoes it when it receives it,
 * as the closing handshake does. Like every backend, the server end refuses a message over
 * {@value #MAX_MESSAGE_BYTES} bytes by closing both ends with {@code 1009}.
 */
final class InMemoryWebSocket implements WebSocketConnection {

    /** The largest message the server end accepts, as on every backend. */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final LinkedBlockingQueue<WebSocketMessage> inbox = new LinkedBlockingQueue<>();
    private final String subprotocol;
    private final int peerAccepts;
    private InMemoryWebSocket peer;
    private volatile boolean closeSent;
    private WebSocketMessage.Close closeReceived;

    private InMemoryWebSocket(String subprotocol, int peerAccepts) {
        this.subprotocol = subprotocol;
        this.peerAccepts = peerAccepts;
    }

    /** @return two connected ends: [server, client] */
    static InMemoryWebSocket[] pair(String subprotocol) {
        InMemoryWebSocket server = new InMemoryWebSocket(subprotocol, Integer.MAX_VALUE);
        InMemoryWebSocket client = new InMemoryWebSocket(subprotocol, MAX_MESSAGE_BYTES);
        server.peer = client;
        client.peer = server;
        return new InMemoryWebSocket[] {server, client};
    }

    @Override
    public void sendText(String text) throws IOException {
        requireOpen();
        if (text.getBytes(StandardCharsets.UTF_8).length > peerAccepts) {
            refuseTooBig();
            return;
        }
        peer.inbox.add(new WebSocketMessage.Text(text));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        requireOpen();
        if (data.remaining() > peerAccepts) {
            refuseTooBig();
            return;
        }
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

    /** Breaks the connection with no closing handshake: the other end receives {@code 1006}. */
    void abort() {
        breakWith(new WebSocketMessage.Close(1006, ""));
    }

    private void refuseTooBig() {
        breakWith(new WebSocketMessage.Close(1009, "message too big"));
        inbox.add(new WebSocketMessage.Close(1009, "message too big"));
    }

    private void breakWith(WebSocketMessage.Close close) {
        closeSent = true;
        peer.closeSent = true;
        peer.inbox.add(close);
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
