package dev.corral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pure core (STYLE.md section 1) does no I/O, reads no clock, starts no threads and draws no unseeded
 * randomness, so that the simulator can run it unchanged. This test reads the sources as text.
 */
class PurityTest {
    private static final Path ROOT = Path.of("src/main/java/dev/corral");
    private static final List<String> PURE_PACKAGES = List.of("txn", "tree", "consensus", "session", "storage", "replica");
    private static final Path EXCLUDED = ROOT.resolve("storage/jdbc");
    private static final Path REPLICA = ROOT.resolve("replica/Replica.java");

    private static final Pattern FORBIDDEN_IMPORT = Pattern.compile(
            "(?m)^\\s*import\\s+(?:static\\s+)?(jakarta\\.|io\\.quarkus\\.|org\\.hibernate\\.|java\\.sql\\.|java\\.net\\.|java\\.nio\\.file\\.)[\\w.*]*\\s*;");
    private static final Pattern IMPORT_LINE = Pattern.compile("(?m)^\\s*import\\s[^;\\n]*;");
    private static final Pattern FORBIDDEN_QUALIFIED_USE = Pattern.compile(
            "\\b(jakarta|io\\.quarkus|org\\.hibernate|java\\.sql|java\\.net|java\\.nio\\.file)\\.[A-Za-z]");
    private static final Pattern FORBIDDEN_CALL = Pattern.compile(
            "\\bSystem\\s*\\.\\s*currentTimeMillis\\b|\\bSystem\\s*\\.\\s*nanoTime\\b|\\bInstant\\s*\\.\\s*now\\b"
                    + "|\\bnew\\s+(?:java\\.util\\.)?Random\\s*\\(|\\bThread\\s*\\.");

    /** Returns one line per violation in {@code source}; comments and string literals are ignored. */
    static List<String> violations(String source) {
        String code = stripCommentsAndStrings(source);
        List<String> found = new ArrayList<>();
        String withoutImports = IMPORT_LINE.matcher(code).replaceAll("");
        for (Pattern p : List.of(FORBIDDEN_IMPORT, FORBIDDEN_QUALIFIED_USE, FORBIDDEN_CALL)) {
            Matcher m = p.matcher(p == FORBIDDEN_IMPORT ? code : withoutImports);
            while (m.find()) {
                int line = 1 + (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                found.add("line " + line + ": " + m.group().strip());
            }
        }
        return found;
    }

    /** Blanks comments, string and char literals, keeping line breaks so that line numbers stay right. */
    static String stripCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                for (int k = i; k < end; k++) if (s.charAt(k) == '\n') out.append('\n');
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                for (int k = i; k < end; k++) if (s.charAt(k) == '\n') out.append('\n');
                out.append("\"\"");
                i = end;
            } else if (c == '"' || c == '\'') {
                int k = i + 1;
                while (k < s.length() && s.charAt(k) != c && s.charAt(k) != '\n') k += s.charAt(k) == '\\' ? 2 : 1;
                out.append(c).append(c);
                i = Math.min(s.length(), k + 1);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static List<Path> pureSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String pkg : PURE_PACKAGES) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(pkg))) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !p.startsWith(EXCLUDED))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void pureCoreUsesNoAdapterImportsClocksRandomnessOrThreads() throws IOException {
        List<Path> files = pureSources();
        assertTrue(files.size() >= 40, "expected the pure packages to hold many sources, found " + files.size());
        assertTrue(Files.isRegularFile(REPLICA), REPLICA + " is missing");
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (String v : violations(Files.readString(file, StandardCharsets.UTF_8))) problems.add(file + " " + v);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void detectorFlagsEachForbiddenImportAndCall() {
        String bad = String.join("\n",
                "package x;",
                "import jakarta.inject.Inject;",
                "import io.quarkus.runtime.Startup;",
                "import org.hibernate.Session;",
                "import java.sql.Connection;",
                "import java.net.URI;",
                "import java.nio.file.Path;",
                "import static java.nio.file.Files.readString;",
                "class X {",
                "  long a = System.currentTimeMillis();",
                "  long b = System.nanoTime();",
                "  Object c = java.time.Instant.now();",
                "  Object d = new Random(1);",
                "  Object e = new java.util.Random();",
                "  void f() { Thread.sleep(1); }",
                "  Object g = java.net.URI.create(\"x\");",
                "}");
        List<String> found = violations(bad);
        assertEquals(14, found.size(), found.toString());
        assertTrue(found.getFirst().startsWith("line 2:"), found.getFirst());
    }

    @Test
    void detectorIgnoresCommentsStringsAndLookalikes() {
        String fine = String.join("\n",
                "package x;",
                "import java.nio.ByteBuffer;",
                "import java.util.random.RandomGenerator;",
                "/** Never calls System.currentTimeMillis or Thread.sleep; see java.net.URI. */",
                "class X {",
                "  // Instant.now() would break determinism.",
                "  String s = \"new Random(\\\"x\\\") Thread.sleep\";",
                "  char q = '\"';",
                "  RandomGenerator r; long ticks; int threadCount; Object o = new RandomState();",
                "  /* System.nanoTime() */ long nanoTimeTicks = MyThread.count();",
                "}");
        assertEquals(List.of(), violations(fine));
    }
}
