package dev.corral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.node.LogAppendBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options of {@code bench-storage}; the first argument is the command's name. */
class StorageBenchCommandTest {
    @Test
    void noOptionsGiveTheDocumentedDefaults() {
        LogAppendBenchmark.Settings s = StorageBenchCommand.parse("bench-storage");
        assertEquals(List.of(1, 64, 512), s.batchSizes());
        assertEquals(100, s.entryBytes());
        assertEquals(5_000_000_000L, s.durationNanos());
        assertEquals(2_000_000, s.entriesMax());
    }

    @Test
    void optionsOverrideTheDefaults() {
        LogAppendBenchmark.Settings s = StorageBenchCommand.parse("bench-storage", "--seconds=0.5", "--batches=8, 16", "--entry-bytes=4096",
                "--max-entries=99");
        assertEquals(List.of(8, 16), s.batchSizes());
        assertEquals(4096, s.entryBytes());
        assertEquals(500_000_000L, s.durationNanos());
        assertEquals(99, s.entriesMax());
    }

    @Test
    void badOptionsAreRejectedWithTheOptionNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StorageBenchCommand.parse("bench-storage", "--colour=red"))
                .getMessage().contains("--colour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StorageBenchCommand.parse("bench-storage", "--seconds=soon"))
                .getMessage().contains("--seconds"));
        assertThrows(IllegalArgumentException.class, () -> StorageBenchCommand.parse("bench-storage", "--seconds=0"));
        assertThrows(IllegalArgumentException.class, () -> StorageBenchCommand.parse("bench-storage", "seconds=3"));
        assertThrows(IllegalArgumentException.class, () -> StorageBenchCommand.parse("bench-storage", "--batches=0"));
    }
}
