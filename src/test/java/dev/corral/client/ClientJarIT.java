package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.it.PackagedNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client jar is a library of its own: a program compiled against exactly {@code corral-client.jar} and Jackson's
 * three jars, and run in a child JVM with exactly that class path, talks to a packaged node. It creates, reads, sets,
 * lists and deletes znodes and receives a watch event. The jar must hold nothing but the client's classes.
 */
class ClientJarIT {
    private static final String PROGRAM = """
            import dev.corral.client.*;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.LinkedBlockingQueue;
            import java.util.concurrent.TimeUnit;

            public class ClientJarProgram {
                public static void main(String[] args) throws Exception {
                    try (CorralClient client = CorralClient.builder().servers(args[0]).sessionTimeout(Duration.ofSeconds(10)).build()) {
                        Created created = client.create("/jar", "v1".getBytes(StandardCharsets.UTF_8));
                        System.out.println("created " + created.path() + " version " + created.stat().version());
                        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
                        NodeData read = client.getData("/jar", events::add);
                        System.out.println("read " + read.text());
                        Stat set = client.setData("/jar", "v2".getBytes(StandardCharsets.UTF_8), read.stat().version());
                        System.out.println("set version " + set.version());
                        WatchedEvent event = events.poll(20, TimeUnit.SECONDS);
                        System.out.println("event " + (event == null ? "none" : event.type() + " " + event.path()));
                        client.create("/jar/child", null, CreateMode.EPHEMERAL);
                        System.out.println("children " + client.async().getChildren("/jar").get().names());
                        client.delete("/jar/child");
                        client.delete("/jar", set.version());
                        System.out.println("exists " + (client.exists("/jar") != null));
                        try {
                            client.getData("/jar");
                        } catch (CorralException.NoNodeException e) {
                            System.out.println("error " + e.code());
                        }
                    }
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aProgramWithOnlyTheClientJarAndJacksonOnItsClassPathTalksToANode() throws Exception {
        Path clientJar = Path.of(requiredProperty("corral.client.jar"));
        assertOnlyClientClasses(clientJar);
        List<Path> classPath = new ArrayList<>();
        classPath.add(clientJar);
        classPath.addAll(jacksonJars(Path.of(requiredProperty("corral.jar")).getParent().resolve("lib/main")));
        String cp = String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());

        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path source = Files.writeString(src.resolve("ClientJarProgram.java"), PROGRAM);
        compile(source, cp, classes);

        try (PackagedNode node = PackagedNode.startReady(work.resolve("data"), "ClientJarIT.log")) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp + File.pathSeparator + classes, "ClientJarProgram", node.url())
                    .redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile());
            pb.environment().remove("CLASSPATH");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the program did not end within 60 s (a non-daemon thread left running?):\n" + output() + errors());
            }
            assertEquals(0, p.exitValue(), () -> "the program failed:\n" + output() + errors() + "\nnode:\n" + node.tail(30));
            assertEquals(List.of(
                    "created /jar version 0",
                    "read v1",
                    "set version 1",
                    "event NODE_DATA_CHANGED /jar",
                    "children [child]",
                    "exists false",
                    "error NO_NODE"), output().lines().toList(), () -> "standard error:\n" + errors());
        }
    }

    /** What the program printed; its standard error (logging) goes into failure messages only. */
    private String output() {
        return read("out.txt");
    }

    private String errors() {
        return read("err.txt");
    }

    private String read(String file) {
        try {
            return Files.readString(work.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException("system property " + name + " must name a built jar (failsafe sets it), was " + value);
        }
        return value;
    }

    /** The client jar holds the client's classes and the jar's own metadata, nothing else. */
    private static void assertOnlyClientClasses(Path jar) throws IOException {
        List<String> others = new ArrayList<>();
        int classes = 0;
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(f.entries())) {
                String name = e.getName();
                if (name.startsWith("dev/corral/client/") && name.endsWith(".class")) classes++;
                else if (!name.startsWith("META-INF/") && !name.endsWith("/")) others.add(name);
            }
        }
        assertEquals(List.of(), others, "entries of " + jar + " outside dev/corral/client");
        assertTrue(classes > 10, "only " + classes + " client classes in " + jar);
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

    private static void compile(Path source, String classPath, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, List.of("-d", out.toString(), "-classpath", classPath, "-proc:none"), null,
                    files.getJavaFileObjects(source)).call();
            assertTrue(ok, () -> "the program does not compile against " + classPath + ":\n" + diagnostics.getDiagnostics());
        }
    }
}
