package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour, replayed word for word on a fresh packaged node: every {@code $ } command of the tour,
 * in order, in one bash session (so that shell variables and background jobs carry over, as for a user
 * pasting them), with {@code localhost:8080} pointed at the node's port; each command's output must be what
 * the README shows, as {@link ReadmeTour} compares it.
 */
class ReadmeTourIT {
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final String MARKER = "@@corral-readme-tour-step@@";

    @TempDir
    Path work;

    @Test
    void theReadmeTourPrintsWhatTheReadmeShowsOnAFreshNode() throws Exception {
        ReadmeTour tour = ReadmeTour.parse(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        try (NodeProcess node = NodeProcess.startReady(work.resolve("data"), CrashRecoveryIT.logFile("ReadmeTourIT.log"), Map.of())) {
            List<String> outputs = replay(tour, node.httpPort);
            for (int i = 0; i < tour.steps().size(); i++) {
                Optional<String> mismatch = ReadmeTour.mismatch(tour.steps().get(i), outputs.get(i));
                if (mismatch.isPresent()) fail("the tour does not replay as README.md shows it:\n" + mismatch.get());
            }
            assertTrue(node.isAlive(), node.tail(30));
        }
    }

    /**
     * Runs every command in one non-interactive bash in an empty directory, a marker line after each, and
     * returns each command's output (standard output and error together).
     */
    private List<String> replay(ReadmeTour tour, int port) throws IOException, InterruptedException {
        Path shell = Files.createDirectories(work.resolve("shell"));
        StringBuilder script = new StringBuilder();
        for (ReadmeTour.Step step : tour.steps()) {
            script.append(ReadmeTour.onPort(step.command(), port)).append('\n');
            script.append("printf '\\n%s\\n' '").append(MARKER).append("'\n");
        }
        Path scriptFile = Files.writeString(work.resolve("tour.sh"), script);
        Path out = work.resolve("tour.out");
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", scriptFile.toString()).directory(shell.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        // A proxy from the environment must not stand between curl and the node on loopback.
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        Process bash = pb.start();
        if (!bash.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            bash.destroyForcibly();
            fail("the tour did not finish within " + DEADLINE + "; its output so far:\n" + Files.readString(out));
        }
        String all = Files.readString(out, StandardCharsets.UTF_8);
        List<String> outputs = new ArrayList<>(List.of(all.split("\n" + MARKER + "\n", -1)));
        assertEquals("", outputs.removeLast(), "output after the last step:\n" + all);
        assertEquals(tour.steps().size(), outputs.size(), "steps and outputs differ in number:\n" + all);
        return outputs;
    }
}
