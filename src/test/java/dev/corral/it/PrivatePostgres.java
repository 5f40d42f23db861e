package dev.corral.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL 15 server of a test's own, in a temporary directory on a free loopback port, that the test may
 * stop ({@code -m immediate}: a crash) and start again, leaving the machine's shared server alone. It runs
 * from the machine's binaries ({@code /usr/lib/postgresql/15/bin}); PostgreSQL refuses to run as root, so as
 * root every command runs as the {@code postgres} user. Where the binaries are missing the test is skipped,
 * unless {@code CORRAL_TEST_PG_REQUIRED=1}, where it fails.
 */
final class PrivatePostgres implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String USER = "corral";
    static final String DATABASE = "corral";
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(120);

    private final Path root;
    private final Path data;
    private final Path logFile;
    final int port;

    private PrivatePostgres(Path root, int port) {
        this.root = root;
        this.data = root.resolve("data");
        this.logFile = root.resolve("postgres.log");
        this.port = port;
    }

    /** Creates and starts a server with database {@value #DATABASE} owned by {@value #USER} (trusted on loopback). */
    static PrivatePostgres start() throws IOException, SQLException {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            String why = "no PostgreSQL 15 binaries in " + BIN;
            if ("1".equals(System.getenv("CORRAL_TEST_PG_REQUIRED"))) throw new AssertionError(why + ", and CORRAL_TEST_PG_REQUIRED=1");
            Assumptions.abort(why + ": skipping the test that stops its own PostgreSQL");
        }
        // Outside JUnit's temporary directories: the postgres user must be able to reach it.
        Path root = Files.createTempDirectory("corral-pg-");
        run(List.of("chmod", "755", root.toString()), false);
        PrivatePostgres pg = new PrivatePostgres(root, NodeProcess.freePort());
        Files.createDirectories(pg.data);
        if (isRoot()) run(List.of("chown", "-R", "postgres:postgres", root.toString()), false);
        pg.asPostgres(List.of(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-instructions"));
        pg.startServer();
        try (Connection c = DriverManager.getConnection(pg.url("postgres"), USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        return pg;
    }

    String url() {
        return url(DATABASE);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server (again) and waits until it accepts connections. */
    void startServer() throws IOException {
        asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", logFile.toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1", "start"));
    }

    /** Stops the server the way a crash does: no checkpoint, connections cut. */
    void crash() throws IOException {
        asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    @Override
    public void close() {
        try {
            asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } catch (IOException | RuntimeException e) {
            // Already stopped.
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for the OS to clean.
        }
    }

    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void asPostgres(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (isRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        run(full, true);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean fromRoot) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // The postgres user cannot read the build's working directory; run from a directory everyone can.
        if (fromRoot) pb.directory(Path.of("/").toFile());
        Process p = pb.start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_DEADLINE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed with " + p.exitValue() + ":\n" + out);
    }
}
