package dev.sequin.tck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link RemoteTck} reads its system properties, and that without a URL it skips rather than passes. */
class RemoteTckSettingsTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(RemoteTck.URL_PROPERTY);
        System.clearProperty(RemoteTck.CAPABILITIES_PROPERTY);
    }

    @Test
    void withoutAUrlEveryCaseIsSkippedNamingTheProperty() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> new RemoteTck().findServer());
        assertTrue(skipped.getMessage().contains(RemoteTck.URL_PROPERTY), skipped.getMessage());
    }

    @Test
    void urlGivesHostPortAndPrefix() {
        System.setProperty(RemoteTck.URL_PROPERTY, "http://example.test:8123/apps/tck/");
        RemoteTck remote = new RemoteTck();
        remote.findServer();
        assertEquals("example.test", remote.host());
        assertEquals(8123, remote.port());
        assertEquals("/apps/tck", remote.prefix());
        assertEquals("http://example.test:8123/apps/tck/text?a=1", remote.uri("/text?a=1").toString());
        assertTrue(remote.head("GET", "/text").startsWith("GET /apps/tck/text HTTP/1.1\r\n"));
    }

    @Test
    void urlAtTheRootHasNoPrefixAndPort80ByDefault() {
        System.setProperty(RemoteTck.URL_PROPERTY, "http://example.test");
        RemoteTck remote = new RemoteTck();
        remote.findServer();
        assertEquals(80, remote.port());
        assertEquals("", remote.prefix());
    }

    @Test
    void otherSchemesAndQueriesAreRefused() {
        for (String url : new String[] {"https://example.test", "http://example.test/tck?x=1", "example.test:8080"}) {
            System.setProperty(RemoteTck.URL_PROPERTY, url);
            assertThrows(IllegalArgumentException.class, () -> new RemoteTck().findServer(), url);
        }
    }

    @Test
    void capabilitiesAreAllButInProcessUnlessListedAndAlwaysSocket() {
        assertEquals(EnumSet.of(Capability.WEBSOCKET, Capability.LIMITS, Capability.SOCKET, Capability.NON_BLOCKING), new RemoteTck().capabilities());
        System.setProperty(RemoteTck.CAPABILITIES_PROPERTY, " limits, ");
        assertEquals(EnumSet.of(Capability.LIMITS, Capability.SOCKET), new RemoteTck().capabilities());
        System.setProperty(RemoteTck.CAPABILITIES_PROPERTY, "");
        assertEquals(EnumSet.of(Capability.SOCKET), new RemoteTck().capabilities());
    }

    @Test
    void inProcessOrUnknownCapabilitiesAreRefused() {
        for (String listed : new String[] {"IN_PROCESS", "LIMITS,HTTP2"}) {
            System.setProperty(RemoteTck.CAPABILITIES_PROPERTY, listed);
            assertThrows(IllegalArgumentException.class, () -> new RemoteTck().capabilities(), listed);
        }
    }

    @Test
    void inProcessCasesFailLoudlyIfUnguarded() {
        RemoteTck remote = new RemoteTck();
        assertThrows(IllegalStateException.class, remote::app);
        assertThrows(IllegalStateException.class, () -> remote.start(null));
    }
}
