package dev.sequin.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void namesAreCaseInsensitiveAndValuesKeepTheirOrder() {
        Headers headers = new Headers().add("Vary", "Accept").add("X-Other", "1").add("vary", "Cookie");
        assertEquals("Accept", headers.get("VARY"));
        assertEquals(List.of("Accept", "Cookie"), headers.getAll("vary"));
        assertEquals(Set.of("Vary", "X-Other"), headers.names());
        assertEquals(3, headers.size());
        assertNull(headers.get("Missing"));
        assertEquals(List.of(), headers.getAll("Missing"));
    }

    @Test
    void setReplacesEveryValueInPlaceOfTheFirst() {
        Headers headers = new Headers().add("A", "1").add("B", "2").add("a", "3");
        headers.set("A", "9");
        StringBuilder seen = new StringBuilder();
        headers.forEach((name, value) -> seen.append(name).append('=').append(value).append(';'));
        assertEquals("A=9;B=2;", seen.toString());
    }

    @Test
    void removeDropsEveryValue() {
        Headers headers = new Headers().add("A", "1").add("a", "2");
        assertTrue(headers.remove("A"));
        assertFalse(headers.contains("a"));
        assertFalse(headers.remove("A"));
        assertTrue(headers.isEmpty());
    }

    @Test
    void growsPastItsFirstArrayAndRemovesFromTheMiddle() {
        Headers headers = new Headers();
        for (int i = 0; i < 20; i++) {
            headers.add(i % 2 == 0 ? "Even" : "X-" + i, Integer.toString(i));
        }
        assertEquals(20, headers.size());
        assertTrue(headers.remove("even"));
        assertEquals(10, headers.size());
        assertEquals("1", headers.get("X-1"));
        assertEquals("19", headers.get("X-19"));
        headers.clear();
        assertTrue(headers.isEmpty());
        assertNull(headers.get("X-1"));
        headers.add("After", "clear");
        assertEquals(List.of("After"), List.copyOf(headers.names()));
    }

    @Test
    void addAllAppendsEveryPairInOrder() {
        Headers from = new Headers().add("A", "1").add("B", "2").add("a", "3");
        Headers into = new Headers().add("Z", "0").addAll(from);
        assertEquals("Headers[Z: 0, A: 1, B: 2, a: 3]", into.toString());
        from.set("A", "changed");
        assertEquals("1", into.get("A"));
        assertEquals("Headers[Z: 0, A: 1, B: 2, a: 3, Z: 0, A: 1, B: 2, a: 3]", into.addAll(into).toString());
    }

    @Test
    void refusesHeaderInjection() {
        Headers headers = new Headers();
        assertThrows(IllegalArgumentException.class, () -> headers.set("X", "a\r\nSet-Cookie: evil=1"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X Y", "a"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X:", "a"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("", "a"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", null));
        assertTrue(headers.isEmpty());
    }
}
