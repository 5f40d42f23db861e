package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * For the integration tests of the client library as users get it: the built client jar and Jackson's three jars
 * (the packaged node's copies), compiling a program against exactly those, and running it in a child JVM with
 * exactly that class path.
 */
final class ClientJars {
    private ClientJars() {}

    /** What a program run did: its exit code, standard output and standard error. */
    record Ran(int code, String out, String err) {}

    /** {@code target/corral-<version>-client.jar}, as failsafe names it. */
    static Path clientJar() {
        return requiredJar("corral.client.jar");
    }

    /** The client jar and Jackson's three jars, as a class path. */
    static String classPath() throws IOException {
        List<Path> jars = new ArrayList<>();
        jars.add(clientJar());
        jars.addAll(jacksonJars(requiredJar("corral.jar").getParent().resolve("lib/main")));
        return String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
    }

    private static Path requiredJar(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " must name a built jar (failsafe sets it), was " + value);
        }
        return Path.of(value);
    }

    /** jackson-databind, -core and -annotations from the packaged node's libraries. */
    private static List<Path> jacksonJars(Path libMain) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String artifact : List.of("jackson-databind", "jackson-core", "jackson-annotations")) {
            try (Stream<Path> files = Files.list(libMain)) {
                List<Path> found = files.filter(f -> f.getFileName().toString().matches("com\\.fasterxml\\.jackson\\.core\\." + artifact + "-\\d.*\\.jar"))
                        .toList();
                assertEquals(1, found.size(), () -> artifact + " in " + libMain + ": " + found);
                jars.add(found.get(0));
            }
        }
        return jars;
    }

    /** Compiles {@code source} against {@code classPath} into {@code out}, failing with the compiler's messages. */
    static void compile(Path source, String classPath, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, List.of("-d", out.toString(), "-classpath", classPath, "-proc:none"), null,
                    files.getJavaFileObjects(source)).call();
            assertTrue(ok, () -> "the program does not compile against " + classPath + ":\n" + diagnostics.getDiagnostics());
        }
    }

    /**
     * Runs {@code mainClass} in a child JVM (this test's Java) with exactly {@code classPath}, in {@code dir}, failing if
     * it does not end within {@code deadline} (a non-daemon thread left running, say).
     */
    static Ran run(String classPath, String mainClass, List<String> args, Path dir, Duration deadline) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, mainClass));
        command.addAll(args);
        Path out = dir.resolve(mainClass + ".out");
        Path err = dir.resolve(mainClass + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(mainClass + " did not end within " + deadline + " (a non-daemon thread left running?):\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
