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
