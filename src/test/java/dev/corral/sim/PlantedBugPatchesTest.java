package dev.corral.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deliberate bugs in {@code src/test/bugs} still apply to the production sources, so that {@code bin/planted-bugs}
 * keeps showing that the simulation catches each of them. A patch that no longer applies must be redone against the
 * changed code (the bug, not the text, is what matters).
 */
class PlantedBugPatchesTest {
    private static final Path BUGS = Path.of("src/test/bugs");

    @Test
    void everyPlantedBugStillAppliesCleanly() throws Exception {
        assumeTrue(Files.isDirectory(BUGS), "not run from the project root: no " + BUGS);
        assumeTrue(run(List.of("git", "rev-parse", "--is-inside-work-tree")).exitCode == 0, "git is unavailable or this is not a git checkout");
        List<Path> patches;
        try (Stream<Path> s = Files.list(BUGS)) {
            patches = s.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
        }
        assertEquals(7, patches.size(), "planted bugs: " + patches);
        for (Path p : patches) {
            String first = Files.readAllLines(p, StandardCharsets.UTF_8).getFirst();
            assertTrue(first.startsWith("Bug "), p + " must start with a line that describes the bug, not with: " + first);
            Result r = run(List.of("git", "apply", "--check", p.toString()));
            assertEquals(0, r.exitCode, p + " no longer applies: " + r.output);
            String touched = run(List.of("git", "apply", "--numstat", p.toString())).output;
            assertFalse(touched.isBlank(), p + " touches nothing");
            for (String line : touched.strip().split("\n")) {
                String file = line.split("\t")[2];
                assertTrue(file.startsWith("src/main/java/dev/corral/consensus/") || file.equals("src/main/java/dev/corral/replica/Sequencer.java"),
                        p + " touches " + file + ": planted bugs live in the replication core or the sequencer");
            }
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }
}
