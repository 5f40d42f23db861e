package dev.corral.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.it.PackagedNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/corral} as users run it: the real script, finding a JDK 25 and the built jars (the client jar and
 * Jackson's, from {@code ./mvnw package}) by itself, against a packaged node; the README's command-line session,
 * replayed line by line; and the script's clear refusals when there is no JDK 25 or no build.
 */
class CliScriptIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Path SCRIPT = Path.of("bin/corral").toAbsolutePath();
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** The README section whose session {@link #theReadmesCommandLineSessionPrintsWhatTheReadmeShows} replays. */
    private static final String SECTION = "## Command line";
    private static final String README_SERVER = "http://127.0.0.1:8080";
    private static final String MARKER = "@@corral-cli-readme-step@@";

    @TempDir
    Path work;

    /** One run of the script. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    @Test
    void theScriptRunsCommandsAgainstAPackagedNodeWithEachExitCode() throws Exception {
        try (PackagedNode node = PackagedNode.startReady(work.resolve("data"), "CliScriptIT.log")) {
            Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), CorralCli.SERVER_ENV, node.url());
            Run version = corral(env, "--version");
            assertEquals(0, version.code(), version::toString);
            assertTrue(version.out().matches("corral \\d+\\.\\d+\\.\\d+.*\n"), "the client jar's manifest gives the version: " + version);

            assertEquals(new Run(0, "/cli\n", ""), corral(env, "create", "/cli", "v1"));
            assertEquals(new Run(0, "v1", ""), corral(env, "get", "/cli"));
            assertEquals(0, corralWithInput(env, "v2 ünïcödé".getBytes(StandardCharsets.UTF_8), "set", "/cli", "-", "--version", "0").code());
            assertEquals(new Run(0, "v2 ünïcödé", ""), corral(env, "get", "/cli"));
            // Through standard input rather than an argument, which this JVM would encode by its own locale.
            byte[] ops = "[{\"op\": \"create\", \"path\": \"/cli/ä\"}]".getBytes(StandardCharsets.UTF_8);
            assertEquals(new Run(0, "create /cli/ä\n", ""), corralWithInput(env, ops, "multi", "-"));
            assertEquals(new Run(0, "ä\n", ""), corral(env, "ls", "/cli"));
            Run status = corral(env, "cluster", "status");
            assertTrue(status.out().startsWith("leader: 1  term: "), status::toString);

            Run watch = watchOnce(env, "/cli");
            assertEquals(0, watch.code(), watch::toString);
            assertTrue(watch.out().startsWith("NodeDataChanged /cli zxid="), watch::toString);

            Run missing = corral(env, "get", "/missing");
            assertEquals(new Run(1, "", "corral get: NO_NODE /missing: node does not exist\n"), missing);
            Run usage = corral(env, "get");
            assertEquals(2, usage.code(), usage::toString);
            assertTrue(usage.err().startsWith("corral get: missing operand"), usage::toString);
            // Two dead servers: the client logs each move between them, which only --verbose shows.
            String dead = "http://127.0.0.1:" + closedPort() + ",http://127.0.0.1:" + closedPort();
            Run unreachable = corral(env, "--server", dead, "--timeout", "2s", "get", "/cli");
            assertEquals(3, unreachable.code(), unreachable::toString);
            assertTrue(unreachable.err().startsWith("corral get: CONNECTION_LOSS"), unreachable::toString);
            assertEquals(1, unreachable.err().lines().count(), "the client's own logging stays quiet: " + unreachable);
            Run verbose = corral(env, "--verbose", "--server", dead, "--timeout", "2s", "get", "/cli");
            assertEquals(3, verbose.code(), verbose::toString);
            assertTrue(verbose.err().contains("failed; moving to"), verbose::toString);
        }
    }

    @Test
    void theReadmesCommandLineSessionPrintsWhatTheReadmeShows() throws Exception {
        List<ReadmeStep> steps = readmeSteps(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("corral"), SCRIPT);
        Path shell = Files.createDirectories(work.resolve("shell"));
        try (PackagedNode node = PackagedNode.startReady(work.resolve("readme-data"), "CliScriptIT-readme.log")) {
            // One shell for all the commands, as a user typing them; standard error in line with standard output.
            StringBuilder script = new StringBuilder("exec 2>&1\ncd \"$1\"\nexport PATH=" + bin + ":$PATH\n");
            for (ReadmeStep step : steps) {
                script.append(step.command().replace(README_SERVER, node.url())).append('\n');
                script.append("printf '\\n%s\\n' '").append(MARKER).append("'\n");
            }
            Path file = Files.writeString(work.resolve("readme.sh"), script);
            Run run = run(Path.of("/bin/bash"), Map.of("JAVA_HOME", System.getProperty("java.home")), new byte[0], "--noprofile", "--norc",
                    file.toString(), shell.toString());
            assertEquals(0, run.code(), run::toString);
            List<String> outputs = new ArrayList<>(List.of(run.out().split("\n" + MARKER + "\n", -1)));
            assertEquals("", outputs.removeLast(), () -> "output after the last step: " + run);
            assertEquals(steps.size(), outputs.size(), run::toString);
            for (int i = 0; i < steps.size(); i++) {
                ReadmeStep step = steps.get(i);
                String actual = outputs.get(i).replaceAll("\n+$", "");
                if (!step.pattern().matcher(actual.isEmpty() ? "" : actual + "\n").matches()) {
                    fail("README.md line " + step.readmeLine() + ": " + step.command() + "\nREADME shows:\n" + String.join("\n", step.expected())
                            + "\nbut it printed:\n" + actual);
                }
            }
        }
    }

    /** One {@code $ } command of the README's command-line session and the lines it shows after it. */
    record ReadmeStep(String command, List<String> expected, int readmeLine) {
        /**
         * The expected lines as a pattern: {@code ...} within a line stands for any text in it, a line of just
         * {@code ...} for any number of lines; all else is literal.
         */
        java.util.regex.Pattern pattern() {
            StringBuilder regex = new StringBuilder();
            for (String line : expected) {
                if (line.equals("...")) {
                    regex.append("(?:[^\\n]*\\n)*?");
                    continue;
                }
                String[] parts = line.split("\\.\\.\\.", -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) regex.append("[^\\n]*");
                    regex.append(java.util.regex.Pattern.quote(parts[i]));
                }
                regex.append("\\n");
            }
            return java.util.regex.Pattern.compile(regex.toString());
        }
    }

    /** The {@code $ } commands of the sh blocks in the section {@value #SECTION}, in order. */
    static List<ReadmeStep> readmeSteps(String readme) {
        List<String> lines = readme.lines().toList();
        int start = lines.indexOf(SECTION);
        if (start < 0) throw new AssertionError("README.md has no line '" + SECTION + "'");
        List<ReadmeStep> steps = new ArrayList<>();
        boolean inBlock = false;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!inBlock && line.startsWith("## ")) break;
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) continue;
            if (line.startsWith("$ ")) {
                steps.add(new ReadmeStep(line.substring(2), new ArrayList<>(), i + 1));
            } else if (steps.isEmpty()) {
                throw new AssertionError("README.md line " + (i + 1) + ": output before any command: " + line);
            } else {
                steps.getLast().expected().add(line);
            }
        }
        if (steps.isEmpty()) throw new AssertionError("README.md: '" + SECTION + "' shows no command");
        return steps;
    }

    @Test
    void anOldJavaHomeIsPassedOverForAJdk25InTheJdkDirectory() throws Exception {
        Path old = fakeOldJava();
        Path jdks = Files.createDirectories(work.resolve("jdks"));
        Files.createSymbolicLink(jdks.resolve("temurin-25"), Path.of(System.getProperty("java.home")));
        Run r = corral(Map.of("JAVA_HOME", old.toString(), "CORRAL_JDK_DIR", jdks.toString(),
                "PATH", old.resolve("bin") + ":/usr/bin:/bin"), "--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("corral "), r::toString);
    }

    @Test
    void withoutAJdk25TheScriptSaysWhatItNeedsAndExitsTwo() throws Exception {
        Path old = fakeOldJava();
        Path noJdks = Files.createDirectories(work.resolve("no-jdks"));
        Run r = corral(Map.of("JAVA_HOME", old.toString(), "CORRAL_JDK_DIR", noJdks.toString(), "PATH", old.resolve("bin") + ":/usr/bin:/bin"),
                "--version");
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("corral: needs Java 25 or newer and found none"), r::toString);
        assertTrue(r.err().contains("java on the PATH is version 17"), r::toString);
    }

    @Test
    void withoutABuildTheScriptSaysHowToMakeOneAndExitsTwo() throws Exception {
        Path checkout = Files.createDirectories(work.resolve("checkout/bin"));
        Path copy = Files.copy(SCRIPT, checkout.resolve("corral"));
        Run r = run(copy, Map.of("JAVA_HOME", System.getProperty("java.home")), new byte[0], "ls", "/");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("corral: no client jar"), r::toString);
        assertTrue(r.err().contains("./mvnw -B package -DskipTests"), r::toString);
    }

    /** A JAVA_HOME whose java says it is version 17. */
    private Path fakeOldJava() throws IOException {
        Path home = Files.createDirectories(work.resolve("old-jdk/bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\necho 'openjdk version \"17.0.2\" 2022-01-18' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home.getParent();
    }

    /**
     * {@code watch PATH --count 1} in the background, a change made once it says it is watching, and the watch's end.
     */
    private Run watchOnce(Map<String, String> env, String path) throws Exception {
        int n = RUNS.incrementAndGet();
        Path out = work.resolve("watch-" + n + ".out");
        Path err = work.resolve("watch-" + n + ".err");
        Process watch = processBuilder(SCRIPT, env, "watch", path, "--count", "1").redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            await("the watch to be set", () -> read(err).contains("watching ") || !watch.isAlive());
            assertEquals(0, corral(env, "set", path, "changed").code());
            if (!watch.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) fail("the watch did not end: " + read(out) + read(err));
            return new Run(watch.exitValue(), read(out), read(err));
        } finally {
            watch.destroyForcibly();
        }
    }

    private Run corral(Map<String, String> env, String... args) throws Exception {
        return run(SCRIPT, env, new byte[0], args);
    }

    private Run corralWithInput(Map<String, String> env, byte[] stdin, String... args) throws Exception {
        return run(SCRIPT, env, stdin, args);
    }

    private Run run(Path script, Map<String, String> env, byte[] stdin, String... args) throws Exception {
        int n = RUNS.incrementAndGet();
        Path in = Files.write(work.resolve("run-" + n + ".in"), stdin);
        Path out = work.resolve("run-" + n + ".out");
        Path err = work.resolve("run-" + n + ".err");
        Process p = processBuilder(script, env, args).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("bin/corral " + String.join(" ", args) + " did not end within " + DEADLINE + ": " + read(out) + read(err));
        }
        return new Run(p.exitValue(), read(out), read(err));
    }

    /** The script with {@code args}; the environment less what could steer it elsewhere, plus {@code env}. */
    private ProcessBuilder processBuilder(Path script, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> e = pb.environment();
        for (String k : new ArrayList<>(e.keySet())) {
            if (k.equals("JAVA_HOME") || k.startsWith("CORRAL_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("CLASSPATH")
                    || k.toLowerCase().endsWith("_proxy")) {
                e.remove(k);
            }
        }
        e.putAll(new HashMap<>(env));
        return pb;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls {@code condition} until it holds, failing after the deadline; the pause between polls orders nothing. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) fail("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            Thread.sleep(50);
        }
    }
}
