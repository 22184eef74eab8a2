package dev.sequin.tck;

/**
 * Every contract of the TCK, in one list that {@link BackendTck} (a server started in the test's
 * JVM) and {@link RemoteTck} (a server already running elsewhere) both implement: a new contract
 * is added here, once.
 *
 * <pre>{@code
 * public abstract class BackendTck implements TckContracts { ... }
 * public class RemoteTck implements TckContracts { ... }
 * }</pre>
 */
public interface TckContracts extends SeedContract, ResponseContract, CookieContract, StreamingContract,
        RoutingContract, PathContract, TrailingSlashContract, ViewContract, RequestContract, RequestDetailContract,
        FormContract, ErrorContract, CompositionContract, StaticFilesContract, ProtocolContract,
        LimitsContract, EventsContract, WebSocketContract, ShutdownContract {
}
