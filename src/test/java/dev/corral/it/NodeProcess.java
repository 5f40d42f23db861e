package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One packaged Corral node ({@code corral.jar}, the fast-jar that failsafe names) run as a real child process
 * on loopback, with its own data directory and free ports, its output in a log file. Black-box: tests see
 * only its HTTP surface, its output and its exit code.
 *
 * <p>Nothing here sleeps to synchronise: every wait polls a condition against a deadline, with deadlines
 * generous enough for a loaded machine where several builds run at once.
 */
final class NodeProcess implements AutoCloseable {
    static final Duration START_DEADLINE = Duration.ofSeconds(180);
    static final Duration EXIT_DEADLINE = Duration.ofSeconds(120);
    static final Duration POLL = Duration.ofMillis(50);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECOVERED = Pattern.compile(
            "recovered to zxid (\\d+) \\(snapshot at (\\d+), (\\d+) log entries after it\\) in (\\d+) ms");

    /** An HTTP answer; {@code zxid} is the {@code Corral-Zxid} header, or -1 without one; {@code retryAfter} the header, or null. */
    record Reply(int status, String body, long zxid, String retryAfter) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** What the node logged about its recovery: {@code recovered to zxid … (snapshot at …, … log entries after it) in … ms}. */
    record Recovered(long zxid, long snapshotZxid, long logEntries, long millis) {}

    final Path dataDir;
    final Path logFile;
    final int httpPort;
    final Process process;
    final long startedNanos;
    private final URI base;
    private final HttpClient http;
    /**
     * How long the plain request methods wait for an answer. A cluster member may be paused (SIGSTOP) with requests
     * in flight; {@link Cluster} shortens this so that a client meets the pause as an unknown outcome, not a hang.
     */
    volatile Duration requestTimeout = Duration.ofSeconds(60);

    private NodeProcess(Path dataDir, Path logFile, int httpPort, Process process, long startedNanos) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.httpPort = httpPort;
        this.process = process;
        this.startedNanos = startedNanos;
        this.base = URI.create("http://127.0.0.1:" + httpPort);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * How the node's JVM is launched: {@code prefix} runs before the java binary (e.g. {@code setpriv} to run it as
     * another user), {@code java} is the binary, {@code jvmArgs} come before {@code -jar}.
     */
    record Launch(List<String> prefix, String java, List<String> jvmArgs) {
        /** As the README says: this build's Java, with native access enabled. */
        static Launch standard() {
            return new Launch(List.of(), Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    List.of("--enable-native-access=ALL-UNNAMED"));
        }

        /**
         * As {@link #standard}, with the JIT's first tier only: a node starts in less than half the time when several
         * start at once on two cores (9 s instead of 20 s for three), and a test cluster never runs long enough for the
         * optimizing tier to repay its compile time. Not for anything that measures speed.
         */
        static Launch quickStart() {
            Launch s = standard();
            List<String> args = new ArrayList<>(s.jvmArgs());
            args.add("-XX:TieredStopAtLevel=1");
            return new Launch(s.prefix(), s.java(), List.copyOf(args));
        }
    }

    /** Starts the packaged node on {@code dataDir} with free ports and {@code env} added; does not wait for it. */
    static NodeProcess start(Path dataDir, Path logFile, Map<String, String> env) {
        return start(dataDir, logFile, env, Launch.standard());
    }

    static NodeProcess start(Path dataDir, Path logFile, Map<String, String> env, Launch launch) {
        return start(dataDir, logFile, env, launch, freePort());
    }

    /** Starts the packaged node on {@code httpPort} (a cluster member's port is fixed by the members list); does not wait for it. */
    static NodeProcess start(Path dataDir, Path logFile, Map<String, String> env, Launch launch, int httpPort) {
        String jar = jar();
        List<String> command = new ArrayList<>(launch.prefix());
        command.add(launch.java());
        command.addAll(launch.jvmArgs());
        command.addAll(List.of("-jar", jar));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(logFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> e = pb.environment();
        // Settings inherited from whoever runs the build must not leak into the node under test.
        e.keySet().removeIf(k -> k.startsWith("CORRAL_") || k.startsWith("QUARKUS_") || k.equals("JAVA_TOOL_OPTIONS"));
        e.put("CORRAL_DATA_DIR", dataDir.toString());
        e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        e.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        e.put("CORRAL_CLIENT_PORT", Integer.toString(freePort()));
        e.putAll(env);
        try {
            Files.writeString(logFile, "=== starting node on " + dataDir + ", http port " + httpPort + ", env " + env + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            long started = System.nanoTime();
            return new NodeProcess(dataDir, logFile, httpPort, pb.start(), started);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + jar, ex);
        }
    }

    /** The packaged node, {@code quarkus-run.jar}, that failsafe names in {@code corral.jar}. */
    static String jar() {
        String jar = System.getProperty("corral.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property corral.jar must name the packaged quarkus-run.jar (failsafe sets it), was " + jar);
        }
        return jar;
    }

    /**
     * Starts a node and waits until {@code /q/health/ready} says UP. A port taken by someone else between
     * choosing and binding it is retried with new ports, a few times.
     */
    static NodeProcess startReady(Path dataDir, Path logFile, Map<String, String> env) {
        for (int attempt = 1; ; attempt++) {
            long logStart = size(logFile);
            NodeProcess node = start(dataDir, logFile, env);
            try {
                node.awaitReady();
                return node;
            } catch (AssertionError e) {
                node.close();
                String out = node.outputSince(logStart);
                if (attempt < 3 && (out.contains("Address already in use") || out.contains("Port already bound"))) continue;
                throw e;
            }
        }
    }

    /** Waits until the node reports ready, failing early (with its output) if it exits. */
    void awaitReady() {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("node on " + dataDir + " exited with " + process.exitValue() + " before it was ready:\n" + tail(40));
            }
            try {
                if (get("/q/health/ready", Duration.ofSeconds(5)).status() == 200) return;
            } catch (IOException e) {
                // Not listening yet.
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("node on " + dataDir + " not ready within " + START_DEADLINE + ":\n" + tail(40));
            }
            pause();
        }
    }

    /** Milliseconds from process start to now; call right after {@link #awaitReady}. */
    long millisSinceStart() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit() {
        try {
            if (!process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node on " + dataDir + " still running after " + EXIT_DEADLINE + ":\n" + tail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code kill -9}: on Linux {@link Process#destroyForcibly} sends SIGKILL. Returns the exit code (137). */
    int kill9() {
        process.destroyForcibly();
        return awaitExit();
    }

    /** A graceful stop (SIGTERM), as an operator or supervisor does it; forcibly if it does not end in time. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) kill9();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    // ---- HTTP ----

    Reply get(String path) throws IOException {
        return get(path, requestTimeout);
    }

    Reply get(String path, Duration timeout) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build());
    }

    /** A GET that acts as the session whose secret is {@code sessionSecret} (null: as no session). */
    Reply get(String path, String sessionSecret) throws IOException {
        return send(withSecret(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET(), sessionSecret).build());
    }

    Reply post(String path, String json) throws IOException {
        return post(path, json, null);
    }

    Reply post(String path, String json, String sessionSecret) throws IOException {
        return send(withSecret(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), sessionSecret).build());
    }

    Reply put(String path, String json) throws IOException {
        return put(path, json, null);
    }

    Reply put(String path, String json, String sessionSecret) throws IOException {
        return send(withSecret(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), sessionSecret).build());
    }

    Reply delete(String path) throws IOException {
        return delete(path, null);
    }

    Reply delete(String path, String sessionSecret) throws IOException {
        return send(withSecret(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).DELETE(), sessionSecret).build());
    }

    /**
     * Any request with its own timeout (a paused node never answers, so callers that may meet one bound their wait);
     * {@code json} null sends no body, {@code headers} are name/value pairs.
     */
    Reply request(String method, String path, String json, Duration timeout, String... headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (json != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    /** A POST of raw bytes as {@code application/octet-stream}, e.g. a peer message. */
    Reply postBytes(String path, byte[] body, Duration timeout, String... headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Content-Type", "application/octet-stream");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpRequest.Builder withSecret(HttpRequest.Builder b, String sessionSecret) {
        return sessionSecret == null ? b : b.header("Corral-Session-Secret", sessionSecret);
    }

    private Reply send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long zxid = r.headers().firstValue("Corral-Zxid").map(Long::parseLong).orElse(-1L);
            return new Reply(r.statusCode(), r.body(), zxid, r.headers().firstValue("Retry-After").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Value of an untagged Prometheus sample in {@code /q/metrics}, e.g. {@code corral_log_entries}. */
    Optional<Double> metric(String name) throws IOException {
        Reply r = get("/q/metrics", Duration.ofSeconds(30));
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Optional.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return Optional.empty();
    }

    // ---- output ----

    /** Everything the node (and earlier nodes logging to the same file) wrote. */
    String output() {
        try {
            return Files.readString(logFile, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String outputSince(long offset) {
        String all = output();
        return offset >= all.length() ? "" : all.substring((int) offset);
    }

    String tail(int lines) {
        String[] all = output().split("\n");
        List<String> last = new ArrayList<>(List.of(all).subList(Math.max(0, all.length - lines), all.length));
        return "--- " + logFile + " (last " + last.size() + " lines) ---\n" + String.join("\n", last);
    }

    /** The recovery line the node logged after {@code offset} in its log, once it is there. */
    Recovered recovered(long offset) {
        Matcher m = RECOVERED.matcher(outputSince(offset));
        if (!m.find()) throw new AssertionError("no recovery line in the node's output:\n" + tail(40));
        return new Recovered(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // ---- helpers ----

    /** Polls {@code condition} until it holds or the deadline passes. */
    static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) throw new AssertionError("timed out after " + deadline + " waiting for " + what);
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }
}
