package dev.sequin.peers;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;

/**
 * The load-test endpoints on Javalin 7 in its default mode (Jetty 12 with its platform-thread
 * pool), JSON written by Jackson 3 as in Sequin.
 *
 * <pre>{@code
 * java -cp "target/classes:$(cat target/classpath.txt)" dev.sequin.peers.JavalinServer 8080
 * }</pre>
 */
public final class JavalinServer {

    private JavalinServer() {
    }

    /** The JSON body's shape. @param message the greeting */
    public record Message(String message) {
    }

    /**
     * Serves on 127.0.0.1 until the process is stopped.
     *
     * @param args the port
     */
    public static void main(String[] args) {
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = Integer.parseInt(args[0]);
            config.jsonMapper(new JavalinJackson3());
            config.routes.get("/plaintext", ctx -> ctx.contentType("text/plain; charset=utf-8").result("Hello, World!"));
            config.routes.get("/json", ctx -> ctx.json(new Message("Hello, World!")));
        }).start();
    }
}
