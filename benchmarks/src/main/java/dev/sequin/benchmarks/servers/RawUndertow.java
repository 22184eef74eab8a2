package dev.sequin.benchmarks.servers;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Undertow on its own, with {@code Undertow.builder()}'s defaults but for the request body, which
 * has no size limit ({@code MAX_ENTITY_SIZE} 0, as Sequin's Undertow backend sets it): every answer
 * is sent from the I/O thread with the asynchronous {@link Sender}, {@code /stream} too (each chunk
 * is sent from the previous one's completion callback). {@code /upload} counts the body on the I/O
 * thread too, as the asynchronous {@link Receiver} hands it over, and answers from its last callback.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sequin.benchmarks.servers.RawUndertow 8080
 * }</pre>
 */
public final class RawUndertow {

    private RawUndertow() {
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the port
     */
    public static void main(String[] args) {
        Undertow.builder().addHttpListener(Payloads.port(args), "127.0.0.1").setHandler(RawUndertow::handle)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .build().start();
        System.out.println("raw Undertow ready");
    }

    private static void handle(HttpServerExchange exchange) {
        switch (exchange.getRequestPath()) {
            case "/plaintext" -> send(exchange, Payloads.TEXT_TYPE, Payloads.PLAINTEXT_BYTES);
            case "/json" -> send(exchange, Payloads.JSON_TYPE, Payloads.json());
            case "/stream" -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
                new Chunks(Payloads.streamBytes()).next(exchange, exchange.getResponseSender());
            }
            case "/upload" -> exchange.getRequestReceiver().receivePartialBytes(new Upload());
            default -> exchange.setStatusCode(404).endExchange();
        }
    }

    private static void send(HttpServerExchange exchange, String type, byte[] body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** Counts the body's bytes as they arrive; answers with the count after the last. */
    private static final class Upload implements Receiver.PartialBytesCallback {

        private long bytes;

        @Override
        public void handle(HttpServerExchange exchange, byte[] message, boolean last) {
            bytes += message.length;
            if (last) {
                send(exchange, Payloads.TEXT_TYPE, Payloads.uploaded(bytes));
            }
        }
    }

    /** Sends the stream one chunk per completion: the sender is never asked to buffer more. */
    private static final class Chunks implements IoCallback {

        private long left;

        Chunks(long total) {
            this.left = total;
        }

        void next(HttpServerExchange exchange, Sender sender) {
            if (left == 0) {
                sender.close();
                return;
            }
            int length = (int) Math.min(Payloads.CHUNK_BYTES, left);
            left -= length;
            sender.send(ByteBuffer.wrap(Payloads.CHUNK, 0, length), this);
        }

        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
            next(exchange, sender);
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
            IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
        }
    }
}
