package dev.sequin.peers;

import io.jooby.ExecutionMode;
import io.jooby.Jooby;
import io.jooby.MediaType;
import io.jooby.ServerOptions;
import io.jooby.netty.NettyServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load-test endpoints on Jooby 3 with its Netty server, in its default execution mode (a
 * handler that returns a plain value runs on a worker thread). The JSON is written by Jackson 3
 * in the handler, as Sequin does: no {@code jooby-jackson} 3.11 module resolves from Maven Central.
 *
 * <pre>{@code
 * java -cp "target/classes:$(cat target/classpath.txt)" dev.sequin.peers.JoobyServer 8080
 * }</pre>
 */
public final class JoobyServer extends Jooby {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The JSON body's shape. @param message the greeting */
    public record Message(String message) {
    }

    private JoobyServer() {
        get("/plaintext", ctx -> ctx.setResponseType(MediaType.text).send("Hello, World!"));
        get("/json", ctx -> ctx.setResponseType(MediaType.json).send(MAPPER.writeValueAsBytes(new Message("Hello, World!"))));
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the port
     */
    public static void main(String[] args) {
        ServerOptions options = new ServerOptions().setPort(Integer.parseInt(args[0]));
        options.setHost("127.0.0.1");
        runApp(new String[0], new NettyServer().setOptions(options), ExecutionMode.DEFAULT, JoobyServer::new);
    }
}
