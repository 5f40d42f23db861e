package dev.corral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.PurityRules.PurePackage;
import dev.corral.PurityRules.Violation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure core (STYLE.md section 1) does no I/O, reads no clock, starts no threads and draws no unseeded
 * randomness, so that the deterministic simulator runs it unchanged. This test reads the compiled classes of
 * the pure packages in {@code target/classes} and checks everything they refer to, lambdas and nested classes
 * included, against the allow-list in {@link PurityRules}; {@link BytecodeReferences} finds the references.
 * Checking bytecode rather than source text catches fully qualified names, static imports, method references
 * and whatever a call returns, and a new way to reach the world fails until someone decides to allow it.
 */
class PurityTest {
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void purePackagesReferOnlyToTheAllowListAndThePackagesTheyMayUse() {
        for (PurePackage pkg : PurityRules.PURE_PACKAGES) {
            if (pkg.name().equals("dev.corral.replica")) continue; // not created yet in every branch
            assertFalse(BytecodeReferences.classFiles(CLASSES, pkg.name()).isEmpty(),
                    "no compiled classes of " + pkg.name() + " under " + CLASSES.toAbsolutePath());
        }
        List<Violation> violations = PurityRules.check(CLASSES);
        if (!violations.isEmpty()) {
            fail(violations.size() + " forbidden reference(s) in the pure packages (see PurityRules):\n"
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        }
    }

    @Test
    void clientReferOnlyToTheJdkJacksonAndItself() {
        assertFalse(PurityRules.clientClassFiles(CLASSES).isEmpty(), "no compiled classes of " + PurityRules.CLIENT_PACKAGE);
        List<Violation> violations = PurityRules.checkClient(CLASSES);
        if (!violations.isEmpty()) {
            fail(violations.size() + " forbidden reference(s) in the client library (see PurityRules.CLIENT_MAY_USE):\n"
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        }
    }

    @Test
    void clientCheckReportsEachFixtureForExactlyWhatItBreaks() throws Exception {
        Path out = Files.createDirectories(compiledFixtures.resolve("client"));
        compile(Map.ofEntries(
                clientFixture("", "UsesVertx", "Object vertx() { return io.vertx.core.Vertx.vertx(); }"),
                clientFixture("", "NamesVertxInSignature", "void run(io.vertx.core.Handler<String> h) { }"),
                clientFixture(".internal", "UsesTree", "Object op(Object o) { return (dev.corral.tree.Op) o; }"),
                clientFixture(".internal", "UsesApi", "Object api() { return dev.corral.api.ApiException.badArguments(\"x\", null); }"),
                clientFixture("", "Clean", """
                        Object json() throws Exception { return new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}"); }
                        Object http() { return java.net.http.HttpClient.newHttpClient(); }
                        Object self() { return new dev.corral.client.internal.UsesTree(); }
                        """)), out, "dev/corral/client");
        Map<String, Set<String>> found = new TreeMap<>();
        for (Violation v : PurityRules.checkClient(out)) {
            String simpleName = v.site().className().substring(v.site().className().lastIndexOf('.') + 1);
            found.computeIfAbsent(simpleName, k -> new TreeSet<>()).add(v.site().member() + ": " + v.subject());
        }
        assertEquals(new TreeMap<>(Map.of(
                "UsesVertx", Set.of("vertx: io.vertx.core.Vertx"),
                "NamesVertxInSignature", Set.of("run: io.vertx.core.Handler"),
                "UsesTree", Set.of("op: dev.corral.tree.Op"),
                "UsesApi", Set.of("api: dev.corral.api.ApiException"))), found);
    }

    private static Map.Entry<String, String> clientFixture(String subpackage, String className, String body) {
        String pkg = "dev.corral.client" + subpackage;
        return Map.entry(pkg.replace('.', '/') + "/" + className + ".java",
                "package " + pkg + ";\npublic class " + className + " {\n" + body + "\n}\n");
    }

    /** Fixture classes, each compiled into a pure package and each breaking one rule, bar the clean ones. */
    private static final Map<String, String> FIXTURES = Map.ofEntries(
            fixture("consensus", "StartsThread", "void run() { new Thread(() -> {}).start(); }"),
            fixture("consensus", "UsesExecutor",
                    "void run() { java.util.concurrent.Executors.newSingleThreadExecutor(); }"),
            fixture("consensus", "DrawsMathRandom", "double draw() { return Math.random(); }"),
            fixture("consensus", "DrawsByMethodReference",
                    "java.util.function.DoubleSupplier draw() { return Math::random; }"),
            fixture("consensus", "DrawsUuid", "Object draw() { return java.util.UUID.randomUUID(); }"),
            fixture("consensus", "DrawsThreadLocalRandom",
                    "int draw() { return java.util.concurrent.ThreadLocalRandom.current().nextInt(); }"),
            fixture("consensus", "NewRandom", "Object draw() { return new java.util.Random(); }"),
            fixture("consensus", "ReadsClock", "Object clock() { return java.time.Clock.systemUTC(); }"),
            fixture("consensus", "ReadsMillis", "long now() { return System.currentTimeMillis(); }"),
            fixture("consensus", "ReadsInstant", "Object now() { return java.time.Instant.now(); }"),
            fixture("consensus", "ReadsEnvironment", "String env() { return System.getenv(\"X\"); }"),
            fixture("consensus", "RunsParallel", "long count(java.util.List<String> xs) {"
                    + " return xs.parallelStream().count(); }"),
            fixture("consensus", "HoldsThread", "Thread worker;"),
            fixture("consensus", "NamesThreadInSignature",
                    "java.util.List<Thread> workers() { return java.util.List.of(); }"),
            fixture("consensus", "Prints", "void print() { System.out.println(1); }"),
            fixture("consensus", "OpensFile", "Object open() { return new java.io.File(\"x\"); }"),
            fixture("consensus", "OpensChannel", "Object open() throws java.io.IOException {"
                    + " return java.nio.channels.FileChannel.open(null, (java.nio.file.OpenOption[]) null); }"),
            fixture("consensus", "UsesVertx", "Object vertx() { return io.vertx.core.Vertx.vertx(); }"),
            fixture("consensus", "UsesTree", "Object op(Object o) { return (dev.corral.tree.Op) o; }"),
            fixture("consensus", "Clean", """
                    record Entry(long term, String name) {}
                    enum Kind { A, B }
                    int size(Object o) {
                        return switch (o) { case Kind.A -> 1; case Entry e -> e.name().length(); default -> 0; };
                    }
                    String names(java.util.List<Entry> es) {
                        return es.stream().map(e -> e.name() + e.term()).reduce("", String::concat);
                    }
                    long crc(byte[] b) { var c = new java.util.zip.CRC32C(); c.update(b); return c.getValue(); }
                    int jitter(java.util.random.RandomGenerator random) { return random.nextInt(10); }
                    void copy(byte[] a, byte[] b) { System.arraycopy(a, 0, b, 0, a.length); }
                    """),
            fixture("tree", "CleanUsesTxn", "Object txn(Object o) { return (dev.corral.txn.Txn) o; }"));

    @TempDir
    static Path compiledFixtures;

    @BeforeAll
    static void compileFixtures() throws Exception {
        compile(FIXTURES, compiledFixtures, "dev/corral/consensus");
    }

    @Test
    void checkerReportsEachFixtureForExactlyWhatItBreaks() {
        Map<String, Set<String>> found = new TreeMap<>();
        for (Violation v : PurityRules.check(compiledFixtures)) {
            String simpleName = v.site().className().substring(v.site().className().lastIndexOf('.') + 1);
            found.computeIfAbsent(simpleName, k -> new TreeSet<>()).add(v.site().member() + ": " + v.subject());
        }
        Map<String, Set<String>> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("StartsThread", Set.of("run: java.lang.Thread")),
                Map.entry("UsesExecutor", Set.of("run: java.util.concurrent.Executors")),
                Map.entry("DrawsMathRandom", Set.of("draw: java.lang.Math.random")),
                Map.entry("DrawsByMethodReference", Set.of("draw: java.lang.Math.random")),
                Map.entry("DrawsUuid", Set.of("draw: java.util.UUID.randomUUID")),
                Map.entry("DrawsThreadLocalRandom", Set.of("draw: java.util.concurrent.ThreadLocalRandom")),
                Map.entry("NewRandom", Set.of("draw: java.util.Random")),
                Map.entry("ReadsClock", Set.of("clock: java.time.Clock")),
                Map.entry("ReadsMillis", Set.of("now: java.lang.System.currentTimeMillis")),
                Map.entry("ReadsInstant", Set.of("now: java.time.Instant.now")),
                Map.entry("ReadsEnvironment", Set.of("env: java.lang.System.getenv")),
                Map.entry("RunsParallel", Set.of("count: java.util.List.parallelStream")),
                Map.entry("HoldsThread", Set.of("worker: java.lang.Thread")),
                Map.entry("NamesThreadInSignature", Set.of("workers: java.lang.Thread")),
                Map.entry("Prints", Set.of("print: java.lang.System.out", "print: java.io.PrintStream")),
                Map.entry("OpensFile", Set.of("open: java.io.File")),
                // A real call needs an OpenOption too, and the cast names it.
                Map.entry("OpensChannel",
                        Set.of("open: java.nio.channels.FileChannel", "open: java.nio.file.OpenOption")),
                Map.entry("UsesVertx", Set.of("vertx: io.vertx.core.Vertx")),
                Map.entry("UsesTree", Set.of("op: dev.corral.tree.Op"))));
        assertEquals(expected, found);
    }

    @Test
    void violationNamesTheClassTheMemberTheReferenceAndTheReason() {
        assertEquals(List.of(
                        "dev.corral.consensus.ReadsMillis.now: java.lang.System.currentTimeMillis — only arraycopy,"
                                + " identityHashCode, lineSeparator of it are allowed",
                        "dev.corral.consensus.UsesTree.op: dev.corral.tree.Op — dev.corral.consensus may not use"
                                + " dev.corral.tree (STYLE.md section 1)"),
                PurityRules.check(compiledFixtures).stream().map(Violation::toString)
                        .filter(line -> line.contains(".ReadsMillis.") || line.contains(".UsesTree."))
                        .toList());
    }

    @Test
    void allowListNamesClassesThatExist() {
        List<String> named = new ArrayList<>(PurityRules.OPEN_CLASSES);
        named.addAll(PurityRules.DENIED_CLASSES.keySet());
        named.addAll(PurityRules.ONLY_MEMBERS.keySet());
        PurityRules.DENIED_MEMBERS.stream().map(PurityRules.DeniedMember::owner).filter(o -> !o.endsWith("*"))
                .forEach(named::add);
        List<String> missing = named.stream().filter(name -> !loads(name)).toList();
        assertEquals(List.of(), missing, "misspelt names in PurityRules");
    }

    private static boolean loads(String className) {
        try {
            Class.forName(className, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Map.Entry<String, String> fixture(String pkg, String className, String body) {
        String source = "package dev.corral." + pkg + ";\nclass " + className + " {\n" + body + "\n}\n";
        return Map.entry("dev/corral/" + pkg + "/" + className + ".java", source);
    }

    /**
     * Compiles {@code sources} (path to text) into {@code out} against the main classes, Vert.x and Jackson; {@code expected}
     * is a directory the classes must land in.
     */
    private static void compile(Map<String, String> sources, Path out, String expected) throws IOException, URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((path, text) -> units.add(new SimpleJavaFileObject(
                Path.of(path).toUri(), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        Path vertx = Path.of(io.vertx.core.Vertx.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jackson = Path.of(com.fasterxml.jackson.databind.ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jacksonCore = Path.of(com.fasterxml.jackson.core.JsonParser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classPath = String.join(java.io.File.pathSeparator, CLASSES.toAbsolutePath().toString(), vertx.toString(),
                jackson.toString(), jacksonCore.toString());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-classpath", classPath, "-proc:none"), null, units).call();
            assertTrue(ok, diagnostics.getDiagnostics().toString());
        }
        assertFalse(Files.notExists(out.resolve(expected)), "nothing compiled");
    }
}
