package dev.corral.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark started, with its output in a log file. Every child is registered so that a JVM
 * shutdown hook stops whatever is still running, also when the benchmark fails or is interrupted.
 */
final class Child implements AutoCloseable {
    private static final Set<Child> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Child c : List.copyOf(RUNNING)) c.close();
        }, "bench-children-stopper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment; stdout and stderr go to {@code log}. */
    static Child start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
        return start(name, command, env, log, null);
    }

    /** As {@link #start(String, List, Map, Path)}, with stderr in its own file {@code errors} unless null. */
    static Child start(String name, List<String> command, Map<String, String> env, Path log, Path errors) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(log.toFile());
        if (errors == null) pb.redirectErrorStream(true);
        else pb.redirectError(errors.toFile());
        pb.environment().putAll(env);
        Child c = new Child(name, pb.start(), log);
        RUNNING.add(c);
        return c;
    }

    /** Runs {@code command} to completion (bounded by {@code timeoutSeconds}) and returns its exit code. */
    static int run(String name, List<String> command, Map<String, String> env, Path log, Path errors, long timeoutSeconds)
            throws IOException, InterruptedException {
        try (Child c = start(name, command, env, log, errors)) {
            if (!c.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; output in " + log);
            }
            return c.process.exitValue();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    /** Kills the process at once (SIGKILL, as {@code kill -9}) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException(name + " still alive 30 s after SIGKILL");
        RUNNING.remove(this);
    }

    /** The last lines of the child's output, for error messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Asks the process to stop (SIGTERM), waits for it, and kills it (SIGKILL) if it does not stop in time. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(this);
        }
    }

    /** A loopback port free at the moment of asking. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(Servers.LOOPBACK))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** The java of this JVM, so that children run on the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
