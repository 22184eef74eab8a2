package dev.sequin.tck;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every contract of the TCK, in one list that {@link BackendTck} (a server started in the test's
 * JVM) and {@link RemoteTck} (a server already running elsewhere) both implement: a new contract
 * is added here, once. Every run prints a {@link TckReport}.
 *
 * <pre>{@code
 * public abstract class BackendTck implements TckContracts { ... }
 * public class RemoteTck implements TckContracts { ... }
 * }</pre>
 */
@ExtendWith(TckReport.class)
public interface TckContracts extends SeedContract, ResponseContract, CookieContract, StreamingContract,
        RoutingContract, PathContract, TrailingSlashContract, ViewContract, RequestContract, RequestDetailContract,
        FormContract, ErrorContract, CompositionContract, StaticFilesContract, ProtocolContract,
        LimitsContract, EventsContract, WebSocketContract, ShutdownContract, NonBlockingContract {
}
