package dev.corral;

import dev.corral.BytecodeReferences.Reference;
import dev.corral.BytecodeReferences.Site;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the compiled classes of the pure packages may refer to (STYLE.md section 1): the pure packages they may
 * depend on, and an allow-list of the JDK. The pure core does no I/O, reads no clock, starts no threads and draws
 * no unseeded randomness, so that the deterministic simulator runs it unchanged; ticks, a seeded
 * {@code RandomGenerator}, the leader's timestamp and the streams to read and write are passed in.
 *
 * <p>The JDK allow-list has three layers: {@link #OPEN_PACKAGES} and {@link #OPEN_CLASSES} say which classes
 * may be used at all (a nested class goes with its outermost class); {@link #DENIED_CLASSES} takes classes back
 * out of the open packages; {@link #ONLY_MEMBERS} and {@link #DENIED_MEMBERS} narrow the members of allowed
 * classes. Anything else, inside the JDK or not, is forbidden.
 */
final class PurityRules {
    private PurityRules() {}

    /** A pure package (exactly that package, not its subpackages) and the other packages it may use. */
    record PurePackage(String name, Set<String> mayUse) {}

    private static final String ROOT = "dev.corral.";

    /**
     * The pure packages and the directions STYLE.md section 1 allows between them. A package without classes
     * (not created yet) is skipped. {@code storage.jdbc} is an adapter and, being a subpackage, not checked.
     * {@code replica} receives {@code Replica}, {@code Speculation}, the sequencer and {@code Outcome} from
     * {@code node}; until they move, {@code dev.corral.node.Replica} stays out of the check with the rest of
     * {@code node}. {@code zk.wire}, the ZooKeeper client protocol's codec, is pure so that the TCP adapter around
     * it stays thin and the codec can be fuzzed and tested without a socket.
     */
    static final List<PurePackage> PURE_PACKAGES = List.of(
            pure("txn"),
            pure("tree", "txn"),
            pure("consensus"),
            pure("session", "txn"),
            pure("storage", "txn", "tree", "consensus", "session"),
            pure("replica", "txn", "tree", "consensus", "session"),
            pure("zk.wire"));

    /** JDK packages (not their subpackages) whose every class pure code may use, bar {@link #DENIED_CLASSES}. */
    static final Set<String> OPEN_PACKAGES = Set.of(
            "java.lang", "java.util", "java.util.function", "java.util.stream", "java.time");

    /** Single classes from other JDK packages (with their nested classes). */
    static final Set<String> OPEN_CLASSES = Set.of(
            // Streams over what the caller passes in, and in-memory ones: the caller owns the file or socket.
            "java.io.InputStream", "java.io.OutputStream", "java.io.FilterInputStream", "java.io.FilterOutputStream",
            "java.io.ByteArrayInputStream", "java.io.ByteArrayOutputStream", "java.io.BufferedInputStream",
            "java.io.BufferedOutputStream", "java.io.DataInput", "java.io.DataOutput", "java.io.DataInputStream",
            "java.io.DataOutputStream", "java.io.SequenceInputStream", "java.io.Closeable", "java.io.Serializable",
            "java.io.IOException", "java.io.UncheckedIOException", "java.io.EOFException",
            "java.nio.Buffer", "java.nio.ByteBuffer", "java.nio.ByteOrder", "java.nio.BufferUnderflowException",
            "java.nio.BufferOverflowException", "java.nio.charset.Charset", "java.nio.charset.StandardCharsets",
            // Checksums and digests: functions of their input.
            "java.util.zip.Checksum", "java.util.zip.CRC32", "java.util.zip.CRC32C", "java.util.zip.CheckedInputStream",
            "java.util.zip.CheckedOutputStream", "java.security.MessageDigest", "java.security.NoSuchAlgorithmException",
            // The seeded generator handed in; see DENIED_MEMBERS for the ways to get an unseeded one.
            "java.util.random.RandomGenerator",
            // Thread-safe containers: parts of the tree are read by the driver's threads (AclTable, EventJournal).
            // They start no thread and read no clock, and behave the same in the single-threaded simulator.
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentMap",
            "java.util.concurrent.atomic.AtomicReference", "java.util.concurrent.atomic.AtomicLong",
            "java.util.concurrent.atomic.AtomicInteger", "java.util.concurrent.atomic.AtomicBoolean",
            // What javac emits for lambdas, string concatenation, records and switches; ONLY_MEMBERS narrows them.
            "java.lang.invoke.LambdaMetafactory", "java.lang.invoke.StringConcatFactory",
            "java.lang.invoke.ConstantBootstraps", "java.lang.invoke.CallSite", "java.lang.invoke.MethodHandle",
            "java.lang.invoke.MethodHandles", "java.lang.invoke.MethodType", "java.lang.invoke.TypeDescriptor",
            "java.lang.runtime.ObjectMethods", "java.lang.runtime.SwitchBootstraps", "java.lang.constant.ClassDesc");

    /** Classes of the open packages that pure code may not use (nested classes included), with the reason. */
    static final Map<String, String> DENIED_CLASSES = Map.ofEntries(
            Map.entry("java.lang.Thread", "threads belong to the driver"),
            Map.entry("java.lang.ThreadGroup", "threads belong to the driver"),
            Map.entry("java.lang.ThreadLocal", "state bound to a thread"),
            Map.entry("java.lang.InheritableThreadLocal", "state bound to a thread"),
            Map.entry("java.lang.ScopedValue", "state bound to a thread"),
            Map.entry("java.lang.Runtime", "process-wide: exit, exec, shutdown hooks, memory"),
            Map.entry("java.lang.Process", "runs processes"),
            Map.entry("java.lang.ProcessBuilder", "runs processes"),
            Map.entry("java.lang.ProcessHandle", "sees processes"),
            Map.entry("java.lang.ClassLoader", "loads code and resources"),
            Map.entry("java.lang.SecurityManager", "process-wide"),
            Map.entry("java.util.Random", "take the seeded RandomGenerator passed in"),
            Map.entry("java.util.Timer", "starts a thread and reads the clock"),
            Map.entry("java.util.TimerTask", "runs on a Timer's thread"),
            Map.entry("java.util.Date", "reads the clock; use java.time values passed in"),
            Map.entry("java.util.Calendar", "reads the clock and the default time zone"),
            Map.entry("java.util.GregorianCalendar", "reads the clock and the default time zone"),
            Map.entry("java.util.TimeZone", "reads or changes the JVM's default time zone"),
            Map.entry("java.util.Formatter", "its constructors taking a file name write files; use String.format"),
            Map.entry("java.util.ServiceLoader", "loads code from the class path"),
            Map.entry("java.time.Clock", "reads the clock; the core counts ticks"),
            Map.entry("java.time.InstantSource", "reads the clock; the core counts ticks"));

    /**
     * Allowed classes of which only the listed members may be used; the key is the exact class, or else the
     * outermost class of a nested one ({@code System.Logger} goes with {@code System}).
     */
    static final Map<String, Set<String>> ONLY_MEMBERS = Map.ofEntries(
            // No clock, environment, properties, console (out, err, in), exit, logger or library loading.
            Map.entry("java.lang.System", Set.of("arraycopy", "identityHashCode", "lineSeparator")),
            // No reflection, class loading or resources; the rest is what enums, asserts and casts need.
            Map.entry("java.lang.Class", Set.of("getName", "getSimpleName", "getTypeName", "isInstance", "cast",
                    "desiredAssertionStatus", "getEnumConstants", "isEnum", "isRecord", "isArray", "getComponentType",
                    "equals", "hashCode", "toString")),
            // As bootstrap methods and their types only: no method handles made or called by the code itself.
            Map.entry("java.lang.invoke.LambdaMetafactory", Set.of("metafactory", "altMetafactory")),
            Map.entry("java.lang.invoke.StringConcatFactory", Set.of("makeConcatWithConstants", "makeConcat")),
            Map.entry("java.lang.invoke.ConstantBootstraps", Set.of("invoke")),
            Map.entry("java.lang.runtime.ObjectMethods", Set.of("bootstrap")),
            Map.entry("java.lang.runtime.SwitchBootstraps", Set.of("typeSwitch", "enumSwitch")),
            Map.entry("java.lang.constant.ClassDesc", Set.of("of")),
            Map.entry("java.lang.invoke.CallSite", Set.of()),
            Map.entry("java.lang.invoke.MethodHandle", Set.of()),
            Map.entry("java.lang.invoke.MethodHandles", Set.of()),
            Map.entry("java.lang.invoke.MethodType", Set.of()),
            Map.entry("java.lang.invoke.TypeDescriptor", Set.of()));

    /**
     * A member pure code may not use: {@code owner} is a class, {@code "pkg.*"} for every class in that package
     * and its subpackages, or {@code "*"} for every JDK class; {@code name} and {@code descriptor} ending in
     * {@code *} are prefixes; {@code descriptor} null matches any.
     */
    record DeniedMember(String owner, String name, String descriptor, String reason) {
        boolean matches(Reference ref) {
            return matches(owner, ref.owner()) && matches(name, ref.member())
                    && (descriptor == null || matches(descriptor, ref.descriptor()));
        }

        private static boolean matches(String pattern, String value) {
            return pattern.endsWith("*")
                    ? value.startsWith(pattern.substring(0, pattern.length() - 1))
                    : value.equals(pattern);
        }
    }

    static final List<DeniedMember> DENIED_MEMBERS = List.of(
            new DeniedMember("java.lang.Math", "random", null, "unseeded global randomness"),
            new DeniedMember("java.lang.StrictMath", "random", null, "unseeded global randomness"),
            new DeniedMember("java.util.UUID", "randomUUID", null, "unseeded randomness (SecureRandom)"),
            new DeniedMember("java.util.SplittableRandom", "<init>", "()V", "unseeded; pass a seed"),
            new DeniedMember("java.util.random.RandomGenerator", "getDefault", null, "unseeded randomness"),
            new DeniedMember("java.util.random.RandomGenerator", "of", null, "unseeded randomness"),
            new DeniedMember("java.util.Collections", "shuffle", "(Ljava/util/List;)V",
                    "shuffles with a global Random; pass the RandomGenerator"),
            new DeniedMember("java.time.*", "now", null, "reads the clock; the core counts ticks"),
            new DeniedMember("java.time.ZoneId", "systemDefault", null, "reads the JVM's default time zone"),
            new DeniedMember("java.util.Locale", "getDefault", null, "reads the JVM's default locale"),
            new DeniedMember("java.util.Locale", "setDefault", null, "changes the JVM's default locale"),
            new DeniedMember("java.lang.Integer", "getInteger", null, "reads a system property (STYLE.md section 7)"),
            new DeniedMember("java.lang.Long", "getLong", null, "reads a system property (STYLE.md section 7)"),
            new DeniedMember("java.lang.Boolean", "getBoolean", null, "reads a system property (STYLE.md section 7)"),
            new DeniedMember("java.util.*", "parallel*", null, "runs on the common ForkJoinPool's threads"),
            new DeniedMember("java.util.concurrent.ConcurrentHashMap", "*", "(J*",
                    "a bulk operation (parallelismThreshold) runs on the common ForkJoinPool's threads"),
            // Object's final methods, whatever class the call names: the core never blocks nor wakes a thread.
            new DeniedMember("*", "wait", "()V", "blocks the thread"),
            new DeniedMember("*", "wait", "(J)V", "blocks the thread"),
            new DeniedMember("*", "wait", "(JI)V", "blocks the thread"),
            new DeniedMember("*", "notify", "()V", "thread coordination belongs to the driver"),
            new DeniedMember("*", "notifyAll", "()V", "thread coordination belongs to the driver"));

    /**
     * One forbidden reference: the class and member where it occurs, what it names (a class, or a class and
     * member) and why it is forbidden.
     */
    record Violation(Site site, String subject, String reason) {
        @Override
        public String toString() {
            return site + ": " + subject + " — " + reason;
        }
    }

    /** Every forbidden reference made by the pure packages compiled under {@code classesRoot}, each once per site. */
    static List<Violation> check(Path classesRoot) {
        Set<Violation> found = new LinkedHashSet<>();
        for (PurePackage pkg : PURE_PACKAGES) {
            for (Reference ref : BytecodeReferences.ofPackage(classesRoot, pkg.name())) {
                violation(pkg, ref).ifPresent(found::add);
            }
        }
        return List.copyOf(found);
    }

    /** Why {@code ref}, made in a class of {@code pkg}, is forbidden; empty if it is allowed. */
    static Optional<Violation> violation(PurePackage pkg, Reference ref) {
        Optional<String> ownerProblem = classProblem(pkg, ref.owner());
        if (ownerProblem.isPresent()) return Optional.of(new Violation(ref.site(), ref.owner(), ownerProblem.get()));
        if (ref.member() != null) {
            String subject = ref.owner() + "." + ref.member();
            Optional<String> memberProblem = memberProblem(ref);
            if (memberProblem.isPresent()) return Optional.of(new Violation(ref.site(), subject, memberProblem.get()));
            for (String type : ref.descriptorClasses()) {
                Optional<String> typeProblem = classProblem(pkg, type);
                if (typeProblem.isPresent()) {
                    return Optional.of(new Violation(ref.site(), subject, "uses " + type + ": " + typeProblem.get()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> classProblem(PurePackage pkg, String className) {
        String packageName = packageOf(className);
        if (className.startsWith(ROOT)) {
            if (packageName.equals(pkg.name()) || pkg.mayUse().contains(packageName)) return Optional.empty();
            return Optional.of(pkg.name() + " may not use " + packageName + " (STYLE.md section 1)");
        }
        String outermost = outermost(className);
        String denied = DENIED_CLASSES.get(outermost);
        if (denied != null) return Optional.of(denied);
        if (OPEN_PACKAGES.contains(packageName) || OPEN_CLASSES.contains(outermost)) return Optional.empty();
        return Optional.of(className.startsWith("java.")
                ? "not on the allow-list of JDK classes"
                : "neither the JDK nor a pure package");
    }

    private static Optional<String> memberProblem(Reference ref) {
        Set<String> only = ONLY_MEMBERS.getOrDefault(ref.owner(), ONLY_MEMBERS.get(outermost(ref.owner())));
        if (only != null && !only.contains(ref.member())) {
            return Optional.of(only.isEmpty()
                    ? "allowed as a type only"
                    : "only " + String.join(", ", only.stream().sorted().toList()) + " of it are allowed");
        }
        if (ref.owner().startsWith(ROOT)) return Optional.empty();
        return DENIED_MEMBERS.stream().filter(d -> d.matches(ref)).findFirst().map(DeniedMember::reason);
    }

    /** The Java client library: {@code dev.corral.client} and its subpackages. */
    static final String CLIENT_PACKAGE = ROOT + "client";

    /**
     * What the client library may refer to. It ships as its own jar and runs with only the JDK and Jackson on the class
     * path (issue 8), so it may use nothing of Quarkus, Vert.x, JBoss logging, MicroProfile or the rest of Corral.
     */
    static final List<String> CLIENT_MAY_USE = List.of("java.", "javax.", "com.fasterxml.jackson.", CLIENT_PACKAGE + ".");

    /** Every reference made by the client library's classes under {@code classesRoot} to anything else, each once per site. */
    static List<Violation> checkClient(Path classesRoot) {
        Set<Violation> found = new LinkedHashSet<>();
        for (Path file : clientClassFiles(classesRoot)) {
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (Reference ref : BytecodeReferences.ofClass(bytes)) {
                if (!clientMayUse(ref.owner())) {
                    found.add(new Violation(ref.site(), ref.owner(), "the client may use only the JDK, Jackson and itself"));
                    continue;
                }
                if (ref.member() == null) continue;
                for (String type : ref.descriptorClasses()) {
                    if (!clientMayUse(type)) {
                        found.add(new Violation(ref.site(), ref.owner() + "." + ref.member(),
                                "uses " + type + ": the client may use only the JDK, Jackson and itself"));
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** The class files of the client library, its subpackages included; none if it has no directory there. */
    static List<Path> clientClassFiles(Path classesRoot) {
        Path dir = classesRoot.resolve(CLIENT_PACKAGE.replace('.', '/'));
        if (!java.nio.file.Files.isDirectory(dir)) return List.of();
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".class")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean clientMayUse(String className) {
        return CLIENT_MAY_USE.stream().anyMatch(className::startsWith);
    }

    private static PurePackage pure(String name, String... mayUse) {
        return new PurePackage(ROOT + name, Set.copyOf(Arrays.stream(mayUse).map(p -> ROOT + p).toList()));
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static String outermost(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }
}
