package dev.sequin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link PathParts}: segments split on every slash, then each decoded once. */
class PathPartsTest {

    @Test
    void splitsOnEverySlashKeepingEmptySegments() {
        assertEquals(new PathParts(List.of(), false, "/"), PathParts.parse("/"));
        assertEquals(new PathParts(List.of("a"), false, "/a"), PathParts.parse("/a"));
        assertEquals(new PathParts(List.of("a", "b"), false, "/a/b"), PathParts.parse("/a/b"));
        assertEquals(new PathParts(List.of("a"), true, "/a/"), PathParts.parse("/a/"));
        assertEquals(new PathParts(List.of("a", "", "b"), false, "/a//b"), PathParts.parse("/a//b"));
        assertEquals(new PathParts(List.of(""), true, "//"), PathParts.parse("//"));
        assertEquals(new PathParts(List.of("", ""), true, "///"), PathParts.parse("///"));
    }

    @Test
    void decodesEachSegmentAfterSplitting() {
        assertEquals(new PathParts(List.of("a/b", "c d"), false, "/a/b/c d"), PathParts.parse("/a%2Fb/c%20d"));
        assertEquals(new PathParts(List.of("€", "x+y"), true, "/€/x+y/"), PathParts.parse("/%E2%82%AC/x+y/"));
    }

    @Test
    void refusesAPathWithoutItsLeadingSlashOrWithABadEscape() {
        assertThrows(IllegalArgumentException.class, () -> PathParts.parse("a/b"));
        assertThrows(IllegalArgumentException.class, () -> PathParts.parse("/a%2"));
    }
}
