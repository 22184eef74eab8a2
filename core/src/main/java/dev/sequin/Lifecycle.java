package dev.sequin;

/**
 * A component that needs to start and stop with the server: {@link #start()} runs when the app
 * starts, in dependency order, and {@link #stop()} at shutdown, in reverse order.
 *
 * <pre>{@code
 * public class Database implements Lifecycle {
 *     private Pool pool;
 *     public void start() { pool = Pool.open(url); }
 *     public void stop() { pool.close(); }
 * }
 * api.component(Database.class);
 * }</pre>
 */
public interface Lifecycle {

    /** Starts the component. @throws Exception to stop the app from starting */
    void start() throws Exception;

    /** Stops the component. @throws Exception logged; the other components still stop */
    void stop() throws Exception;
}
