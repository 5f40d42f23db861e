package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathsTest {

    @Test
    void acceptsWhatZooKeeperAccepts() {
        List<String> valid = List.of(
                "/", "/a", "/a/b/c", "/zookeeper", "/a/.b", "/a/..b", "/a/b.", "/a/b..", "/a/...", "/.a", "/..a",
                "/a.b/c..d", "/ünï/日本", "/\u00a0", "/\u007e", "/\ufeff", "/\uffef", "/a b", "/a-b_c:d@e",
                "/0000000001");
        for (String path : valid) {
            assertNull(Paths.invalidReason(path), path);
            assertTrue(Paths.isValid(path), path);
        }
    }

    @Test
    void refusesWhatZooKeeperRefuses() {
        List<String> invalid = List.of(
                "", "a", "a/b", "//", "/a/", "/a//b", "/./", "/.", "/..", "/a/.", "/a/..", "/a/./b", "/a/../b",
                "/./a", "/../a", "/a\u0000b", "/\u0000", "/a\u0001", "/a\u001f", "/a\u007f", "/a\u009f",
                "/a\ud800", "/\udfff", "/\ue000", "/\uf8ff", "/\ufff0", "/\uffff", "/a/b\u0000/c");
        for (String path : invalid) {
            assertNotNull(Paths.invalidReason(path), "should be invalid: " + escape(path));
            assertFalse(Paths.isValid(path), escape(path));
        }
        assertNotNull(Paths.invalidReason(null));
    }

    @Test
    void boundaryCharactersAroundTheRefusedRanges() {
        assertTrue(Paths.isValid("/a\u0020"));
        assertTrue(Paths.isValid("/a\u00a0"));
        assertTrue(Paths.isValid("/a\ud7ff"));
        assertTrue(Paths.isValid("/a\uf900"));
        assertTrue(Paths.isValid("/a\uffef"));
        assertFalse(Paths.isValid("/a\u0080"));
    }

    @Test
    void parentAndNameSplitAtTheLastSlash() {
        assertEquals("/", Paths.parent("/a"));
        assertEquals("/a", Paths.parent("/a/b"));
        assertEquals("/a/b", Paths.parent("/a/b/c"));
        assertEquals("a", Paths.name("/a"));
        assertEquals("c", Paths.name("/a/b/c"));
        assertEquals("..b", Paths.name("/a/..b"));
        assertEquals("/a", Paths.child("/", "a"));
        assertEquals("/a/b", Paths.child("/a", "b"));
    }

    @Test
    void segmentsListTheNamesFromTheRoot() {
        assertArrayEquals(new String[0], Paths.segments("/"));
        assertArrayEquals(new String[] {"a"}, Paths.segments("/a"));
        assertArrayEquals(new String[] {"a", "bb", "c.c"}, Paths.segments("/a/bb/c.c"));
    }

    @Test
    void isAtOrBelowComparesWholeSegments() {
        assertTrue(Paths.isAtOrBelow("/a", "/a"));
        assertTrue(Paths.isAtOrBelow("/a/b", "/a"));
        assertTrue(Paths.isAtOrBelow("/a/b/c", "/a"));
        assertTrue(Paths.isAtOrBelow("/", "/"));
        assertTrue(Paths.isAtOrBelow("/x", "/"));
        assertFalse(Paths.isAtOrBelow("/ab", "/a"));
        assertFalse(Paths.isAtOrBelow("/a", "/a/b"));
        assertFalse(Paths.isAtOrBelow("/b", "/a"));
        assertFalse(Paths.isAtOrBelow("/", "/a"));
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
