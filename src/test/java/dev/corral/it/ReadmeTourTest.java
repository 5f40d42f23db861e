package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README tour as text, without a node: how {@link ReadmeTour} reads and compares it (a wrong zxid or a
 * missing line must fail, run-to-run values must not), and the tour's own rules (JSON bodies say so, session
 * acts carry the session's secret).
 */
class ReadmeTourTest {
    private static ReadmeTour readme() throws IOException {
        return ReadmeTour.parse(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
    }

    private static ReadmeTour.Step step(String... expected) {
        return new ReadmeTour.Step("curl …", List.of(expected), 1);
    }

    @Test
    void aWrongZxidOrAMissingOrExtraLineIsAMismatch() {
        assertTrue(ReadmeTour.mismatch(step("{\"zxid\":9}"), "{\"zxid\":9}").isEmpty());
        assertTrue(ReadmeTour.mismatch(step("{\"zxid\":9}"), "{\"zxid\":8}").isPresent(), "wrong zxid");
        assertTrue(ReadmeTour.mismatch(step("id:7", "event:watch"), "id:7").isPresent(), "a line missing from the output");
        assertTrue(ReadmeTour.mismatch(step("id:7"), "id:7\nevent:watch").isPresent(), "a line missing from the README");
        assertTrue(ReadmeTour.mismatch(step("a", "", "b"), "a\nb").isPresent(), "a blank line is a line");
        assertTrue(ReadmeTour.mismatch(step("a", "b", ""), "a\nb\n\n").isEmpty(), "trailing blank lines are not");
    }

    @Test
    void elisionsMatchAnyTextWithinTheLineOnly() {
        assertTrue(ReadmeTour.lineMatches("{\"path\":\"/app\",\"stat\":{...,\"version\":1,...}}",
                "{\"path\":\"/app\",\"stat\":{\"czxid\":2,\"version\":1,\"cversion\":0}}"));
        assertTrue(!ReadmeTour.lineMatches("{\"path\":\"/app\",\"stat\":{...,\"version\":1,...}}",
                "{\"path\":\"/app\",\"stat\":{\"czxid\":2,\"version\":2,\"cversion\":0}}"), "the text around an elision still counts");
        assertTrue(ReadmeTour.mismatch(step("a...c"), "abc\nd").isPresent(), "an elision does not swallow lines");
    }

    @Test
    void onlyTimesSessionIdsAndSecretsAreMasked() {
        assertTrue(ReadmeTour.lineMatches("{\"ctime\":1796166712222,\"mtime\":1796166712222}", "{\"ctime\":1,\"mtime\":2}"));
        assertTrue(ReadmeTour.lineMatches("{\"id\":\"0195216398b178ff\",\"timeoutMs\":10000}", "{\"id\":\"00000000000000aa\",\"timeoutMs\":10000}"));
        assertTrue(!ReadmeTour.lineMatches("{\"id\":\"0195216398b178ff\",\"timeoutMs\":10000}", "{\"id\":\"00000000000000aa\",\"timeoutMs\":4000}"));
        assertTrue(ReadmeTour.lineMatches("\"secret\":\"" + "ab".repeat(16) + "\"", "\"secret\":\"" + "cd".repeat(16) + "\""));
        assertTrue(ReadmeTour.lineMatches("\"ephemeralOwner\":114034077215062271", "\"ephemeralOwner\":5"));
        assertTrue(!ReadmeTour.lineMatches("\"ephemeralOwner\":0", "\"ephemeralOwner\":5"), "a persistent znode has no owner");
        assertTrue(!ReadmeTour.lineMatches("\"czxid\":2", "\"czxid\":3"), "zxids are never masked");
    }

    @Test
    void theReadmeTourSendsJsonAsJsonAndActsAsTheSessionWithItsSecret() throws IOException {
        ReadmeTour tour = readme();
        assertTrue(tour.steps().size() >= 20, "the tour should have its commands: " + tour.steps().size());
        for (ReadmeTour.Step s : tour.steps()) {
            String c = s.command();
            if (c.contains(" -d ")) {
                assertTrue(c.contains("-H 'Content-Type: application/json'"), "README.md line " + s.readmeLine() + " sends a body without its type: " + c);
            }
            if (c.startsWith("curl ") && c.contains("$SESSION")) {
                assertTrue(c.contains("-H \"Corral-Session-Secret: $SECRET\""), "README.md line " + s.readmeLine() + " acts as the session without its secret: " + c);
            }
        }
        assertEquals(1, tour.steps().stream().filter(s -> s.command().startsWith("SECRET=")).count(), "the tour should keep the secret in $SECRET");
    }

    @Test
    void commandsArePointedAtTheNodesPort() {
        assertEquals("curl -s localhost:41234/v1/nodes/app", ReadmeTour.onPort("curl -s localhost:8080/v1/nodes/app", 41234));
    }
}
