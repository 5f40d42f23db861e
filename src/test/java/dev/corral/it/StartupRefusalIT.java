package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.testing.EnabledWithPostgres;
import dev.corral.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with a data directory that must not be served as it is: in use by another node, written by a newer
 * schema, owned by another node id, or with a damaged log (a flipped byte in the last record, on SQLite and on
 * PostgreSQL, damage in the middle, a missing record: damage is never cut, the node names the index and says how
 * to recover); and starts refused before anything is opened: an old Java, bad configuration values, a
 * configuration this release cannot run, an unusable data directory, a busy HTTP port. The packaged node runs as
 * a child process; each test works on its own copy of one prepared data directory (a node that made a few writes
 * and was stopped).
 *
 * <p>A refusal must be one line that names what is wrong ({@link #assertRefused}): no stack trace on the
 * console, exit code 2, and nothing created by a start refused before storage is opened.
 */
class StartupRefusalIT {
    @TempDir
    static Path shared;

    /** The prepared data directory: znodes under /refusal, the last write a setData of /refusal/last. */
    private static Path template;
    /** The console of the node that prepared the template: a fresh start. */
    private static Path templateLog;
    /** zxid of the last write in the template (setData of /refusal/last to "v2"), and of the one before it ("v1"). */
    private static long lastZxid;
    private static long v1Zxid;

    @TempDir
    Path work;

    private NodeProcess first;
    private NodeProcess second;

    @BeforeAll
    static void prepareDataDirectory() throws Exception {
        template = shared.resolve("template");
        templateLog = CrashRecoveryIT.logFile("StartupRefusalIT-template.log");
        try (NodeProcess node = NodeProcess.startReady(template, templateLog, Map.of())) {
            expect(201, node.post("/v1/nodes/refusal", data("root")));
            for (int i = 0; i < 10; i++) expect(201, node.post("/v1/nodes/refusal/n" + i, data("n" + i)));
            expect(201, node.post("/v1/nodes/refusal/last", data("v0")));
            v1Zxid = expect(200, node.put("/v1/nodes/refusal/last", data("v1"))).zxid();
            lastZxid = expect(200, node.put("/v1/nodes/refusal/last", data("v2"))).zxid();
            node.stop();
        }
        assertEquals(lastZxid, maxLogIndex(template), "the template's last log entry should be its last write");
    }

    /**
     * The template's node was a fresh start polled for readiness every 50 ms: its console has no warnings
     * (Hibernate's "unsupported properties", Micrometer's gauge registered twice), Flyway's lines once, and no
     * line per readiness poll.
     */
    @Test
    void aFreshStartLogsNoWarningsAndNothingTwice() throws IOException {
        String out = Files.readString(templateLog, StandardCharsets.ISO_8859_1);
        // Vert.x warns when an event loop is blocked for 2 s, which on a loaded machine class loading alone can do:
        // that depends on the machine's load, not on the node's configuration.
        List<String> warnings = out.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                .filter(l -> !l.contains("[io.vertx.core.impl.BlockedThreadChecker]")).toList();
        assertEquals(List.of(), warnings, "a fresh start should log no warnings or errors");
        assertEquals(1, out.lines().filter(l -> l.contains("[org.flywaydb.core.FlywayExecutor]") && l.contains("Database: ")).count(),
                "Flyway should connect and log once:\n" + out);
        assertFalse(out.contains("SRHCK01001"), "a readiness poll while starting should not log a line:\n" + out);
    }

    @AfterEach
    void stopNodes() {
        if (first != null) first.close();
        if (second != null) second.close();
    }

    @Test
    void secondNodeOnTheSameDataDirectoryExitsAndTheFirstKeepsServing(TestInfo test) throws Exception {
        Path dir = copyOfTemplate();
        first = NodeProcess.startReady(dir, log(test, "first"), Map.of());
        second = NodeProcess.start(dir, log(test, "second"), Map.of());
        assertRefused(second, "data directory " + dir, "is in use by another Corral node");

        assertTrue(first.isAlive(), "the first node stopped:\n" + first.tail(30));
        assertEquals("v2", text(expect(200, first.get("/v1/nodes/refusal/last"))));
        expect(201, first.post("/v1/nodes/refusal/still-serving", data("yes")));
        assertEquals("yes", text(expect(200, first.get("/v1/nodes/refusal/still-serving"))));
        assertEquals(200, first.get("/q/health/ready").status());
    }

    @Test
    void databaseWithANewerSchemaIsRefusedAndLeftUnchanged(TestInfo test) throws Exception {
        Path dir = copyOfTemplate();
        sql(dir, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by,"
                + " execution_time, success) VALUES (2, '2', 'from a newer Corral', 'SQL', 'V2__from_a_newer_corral.sql', 0, 'it', 0, 1)");
        first = NodeProcess.start(dir, log(test, "node"), Map.of());
        assertRefused(first, "was written by a newer Corral (schema version 2; this build knows up to 1); refusing to start");
        assertEquals(2, count(dir, "SELECT count(*) FROM flyway_schema_history"), "the schema history was changed");
        assertEquals(lastZxid, maxLogIndex(dir), "the log was changed");
    }

    @Test
    void databaseOfNodeOneStartedAsNodeTwoIsRefused(TestInfo test) throws Exception {
        Path dir = copyOfTemplate();
        first = NodeProcess.start(dir, log(test, "node"), NodeProcess.env("CORRAL_NODE_ID", "2"));
        assertRefused(first, "belongs to node 1, but this is node 2");
        assertEquals(1, count(dir, "SELECT node_id FROM corral_node"), "the database's owner was changed");
        assertEquals(lastZxid, maxLogIndex(dir), "the log was changed");
    }

    /**
     * The last record is committed and fsync'd: SQLite commits atomically, so a record that fails its checksum is
     * damage, never an unfinished write. Cutting it would silently lose the acknowledged setData of v2.
     */
    @Test
    void flippedByteInTheLastLogRecordStopsTheNodeNamingTheIndexAndChangesNothing(TestInfo test) throws Exception {
        Path dir = copyOfTemplate();
        byte[] before = payload(dir, lastZxid);
        flipPayloadByte(dir, lastZxid);
        first = NodeProcess.start(dir, log(test, "node"), Map.of());
        assertNotEquals(0, first.awaitExit(), "a damaged last record should stop the node:\n" + first.tail(30));
        assertRefusal(first.output(), "log entry " + lastZxid + " is corrupt: it fails its checksum");
        assertEquals(lastZxid, maxLogIndex(dir), "the node cut a log it refused to serve");
        assertNotEquals(Arrays.toString(before), Arrays.toString(payload(dir, lastZxid)), "the damage was repaired behind our back");
    }

    @Test
    void damagedLogRecordFollowedByIntactOnesStopsTheNode(TestInfo test) throws Exception {
        Path dir = copyOfTemplate();
        long damaged = lastZxid - 3;
        assertEquals(1, corruptCrc(dir, damaged));
        first = NodeProcess.start(dir, log(test, "node"), Map.of());
        assertNotEquals(0, first.awaitExit(), "a log damaged in the middle should stop the node:\n" + first.tail(30));
        assertRefusal(first.output(), "log entry " + damaged + " is corrupt: it fails its checksum");
        assertEquals(lastZxid, maxLogIndex(dir), "the node cut a log it refused to serve");
    }

    @Test
    void missingLogRecordInTheMiddleStopsTheNodeAndNothingAfterItIsCut(TestInfo test) throws Exception {
        Path dir = copyOfTemplate();
        long missing = lastZxid - 4;
        assertEquals(1, sql(dir, "DELETE FROM corral_log WHERE idx = " + missing));
        first = NodeProcess.start(dir, log(test, "node"), Map.of());
        assertNotEquals(0, first.awaitExit(), "a gap in the log should stop the node:\n" + first.tail(30));
        assertRefusal(first.output(), "log entry " + missing + " is missing (the next stored entry is " + (missing + 1) + ")");
        assertEquals(lastZxid, maxLogIndex(dir), "the node cut a log it refused to serve");
        assertEquals(4, count(dir, "SELECT count(*) FROM corral_log WHERE idx > " + missing));
    }

    @Test
    void flippedByteInTheLastLogRecordOnPostgresStopsTheNode(TestInfo test) throws Exception {
        if (!TestPostgres.required()) {
            Assumptions.assumeTrue(TestPostgres.reachable(), "no PostgreSQL at " + TestPostgres.URL + " (run .ci/postgres-up.sh)");
        }
        TestPostgres.wipe();
        Map<String, String> env = NodeProcess.env("CORRAL_STORAGE_JDBC_URL", TestPostgres.URL, "CORRAL_STORAGE_USERNAME", TestPostgres.USER,
                "CORRAL_STORAGE_PASSWORD", TestPostgres.PASSWORD);
        long last;
        try (NodeProcess node = NodeProcess.startReady(work.resolve("pg-data"), log(test, "writer"), env)) {
            expect(201, node.post("/v1/nodes/pg", data("root")));
            last = expect(200, node.put("/v1/nodes/pg", data("acknowledged"))).zxid();
            node.stop();
        }
        try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD)) {
            assertEquals(last, query(c, "SELECT max(idx) FROM corral_log").getLong(1), "the last write should be the last log entry");
            byte[] data = query(c, "SELECT payload FROM corral_log WHERE idx = " + last).getBytes(1);
            data[data.length / 2] ^= 0x01;
            try (PreparedStatement u = c.prepareStatement("UPDATE corral_log SET payload = ? WHERE idx = ?")) {
                u.setBytes(1, data);
                u.setLong(2, last);
                assertEquals(1, u.executeUpdate());
            }
        }
        first = NodeProcess.start(work.resolve("pg-data"), log(test, "node"), env);
        assertNotEquals(0, first.awaitExit(), "a damaged last record should stop the node:\n" + first.tail(30));
        assertRefusal(first.output(), "log entry " + last + " is corrupt: it fails its checksum");
    }

    /** The first row of {@code query}; the statement stays open with the connection. */
    private static ResultSet query(Connection c, String query) throws SQLException {
        ResultSet rs = c.createStatement().executeQuery(query);
        assertTrue(rs.next(), query);
        return rs;
    }

    private static void assertRefusal(String output, String what) {
        String line = output.lines().filter(l -> l.contains(what)).findFirst().orElse(null);
        assertNotNull(line, "the node should say: " + what + "\n" + output.substring(Math.max(0, output.length() - 4000)));
        assertTrue(line.contains("ERROR") && line.contains("not an unfinished write"), line);
        assertTrue(line.contains("restore this node's storage from a backup"), "the refusal should say how to recover: " + line);
        assertTrue(output.lines().noneMatch(l -> l.contains("cut") && l.contains("record")), "the node cut records:\n" + output);
    }

    @Test
    @EnabledWithPostgres
    void secondNodeOnTheSameDatabaseIsRefusedAndTheFirstKeepsServing(TestInfo test) throws Exception {
        TestPostgres.wipe();
        Map<String, String> postgres = NodeProcess.env("CORRAL_STORAGE_JDBC_URL", TestPostgres.URL, "CORRAL_STORAGE_USERNAME",
                TestPostgres.USER, "CORRAL_STORAGE_PASSWORD", TestPostgres.PASSWORD);
        first = NodeProcess.startReady(work.resolve("first"), log(test, "first"), postgres);
        second = NodeProcess.start(work.resolve("second"), log(test, "second"), postgres);
        assertRefused(second, "database " + TestPostgres.URL + " is in use by another Corral node");
        assertTrue(first.isAlive(), "the first node stopped:\n" + first.tail(30));
        expect(201, first.post("/v1/nodes/still-serving", data("yes")));
    }

    @Test
    void javaOlderThan25IsToldThatCorralNeedsJava25(TestInfo test) throws Exception {
        Optional<Path> java = olderJava();
        assumeTrue(java.isPresent(), "no Java older than 25 under /usr/lib/jvm");
        Path dir = work.resolve("data");
        // Exactly `java -jar quarkus-run.jar`, the command a user with the wrong default Java types.
        first = NodeProcess.start(dir, log(test, "node"), Map.of(), new NodeProcess.Launch(List.of(), java.get().toString(), List.of()));
        assertRefused(first, "Corral needs Java 25 or newer, but this is Java ");
        assertFalse(first.output().contains("UnsupportedClassVersionError"), first.tail(30));
        assertFalse(Files.exists(dir), "a refused start created the data directory");
    }

    @Test
    void nodeIdOutOfRangeIsRefusedBeforeAnythingIsCreated(TestInfo test) throws Exception {
        for (String id : List.of("0", "300")) {
            Path dir = work.resolve("data-" + id);
            try (NodeProcess node = NodeProcess.start(dir, log(test, "id-" + id), NodeProcess.env("CORRAL_NODE_ID", id))) {
                assertRefused(node, "corral.node-id (CORRAL_NODE_ID) is " + id + "; it must be between 1 and 254");
            }
            assertFalse(Files.exists(dir), "a refused start created the data directory");
        }
    }

    @Test
    void badDurationOrNumberIsRefusedNamingTheProperty(TestInfo test) throws Exception {
        Map<String, String> cases = Map.of(
                "CORRAL_LIMITS_REQUEST_TIMEOUT", "corral.limits.request-timeout (CORRAL_LIMITS_REQUEST_TIMEOUT): \"ten\" is not valid",
                "CORRAL_SNAPSHOT_EVERY_ENTRIES", "corral.snapshot.every-entries (CORRAL_SNAPSHOT_EVERY_ENTRIES): \"ten\" is not valid");
        for (var c : cases.entrySet()) {
            Path dir = work.resolve("data-" + c.getKey());
            try (NodeProcess node = NodeProcess.start(dir, log(test, c.getKey()), NodeProcess.env(c.getKey(), "ten"))) {
                assertRefused(node, c.getValue());
            }
            assertFalse(Files.exists(dir), "a refused start created the data directory");
        }
    }

    @Test
    void severalMembersWithoutAClusterSecretAreRefused(TestInfo test) throws Exception {
        Path dir = work.resolve("data");
        first = NodeProcess.start(dir, log(test, "node"), NodeProcess.env("CORRAL_MEMBERS", "1=http://127.0.0.1:1,2=http://127.0.0.1:2"));
        assertRefused(first, "corral.members names 2 members but corral.cluster-secret (CORRAL_CLUSTER_SECRET) is not set");
        assertFalse(Files.exists(dir), "a refused start created the data directory");
    }

    @Test
    void dataDirectoryThatCannotBeCreatedIsRefused(TestInfo test) throws Exception {
        Path file = Files.writeString(work.resolve("a-file"), "not a directory");
        Path dir = file.resolve("data");
        first = NodeProcess.start(dir, log(test, "node"), Map.of());
        assertRefused(first, "cannot create data directory " + dir + " (corral.data-dir): " + file + " is not a directory");
    }

    /**
     * The container's case: a data directory that exists (a volume) but belongs to another user. Run as uid 185
     * (as the image does) when the tests run as root, which may write anywhere.
     */
    @Test
    void dataDirectoryThatIsNotWritableIsRefused(TestInfo test) throws Exception {
        Path dir = Files.createDirectories(work.resolve("data"));
        NodeProcess.Launch launch = NodeProcess.Launch.standard();
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Optional<Path> setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable).findFirst();
            assumeTrue(setpriv.isPresent(), "running as root and no setpriv to run the node as another user");
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            launch = new NodeProcess.Launch(List.of(setpriv.get().toString(), "--reuid=185", "--regid=185", "--clear-groups"),
                    launch.java(), launch.jvmArgs());
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        first = NodeProcess.start(dir, log(test, "node"), Map.of(), launch);
        assertRefused(first, "data directory " + dir + " (corral.data-dir) is not writable by this user");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "a refused start wrote into the data directory");
        }
    }

    @Test
    void busyHttpPortIsRefusedBeforeTheDataDirectoryIsCreated(TestInfo test) throws Exception {
        Path dir = work.resolve("data");
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            first = NodeProcess.start(dir, log(test, "node"), NodeProcess.env("QUARKUS_HTTP_PORT", Integer.toString(port)));
            assertRefused(first, "HTTP port " + port + " on 127.0.0.1 (quarkus.http.port, quarkus.http.host) is not available");
        }
        assertFalse(Files.exists(dir), "a refused start created the data directory");
    }

    @Test
    void busyClientPortIsRefusedBeforeTheDataDirectoryIsCreated(TestInfo test) throws Exception {
        Path dir = work.resolve("data");
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            first = NodeProcess.start(dir, log(test, "node"), NodeProcess.env("CORRAL_CLIENT_PORT", Integer.toString(port)));
            assertRefused(first, "ZooKeeper client port " + port + " on 127.0.0.1 (corral.client-port");
        }
        assertFalse(Files.exists(dir), "a refused start created the data directory");
    }

    // ---- helpers ----

    /** A console line of a Java stack trace. */
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|^Caused by: |^Exception in thread ");

    /**
     * The node exited with code 2 and printed exactly one refusal line, {@code Corral cannot start: …}, containing
     * each fragment, and no stack trace.
     */
    private static void assertRefused(NodeProcess node, String... fragments) {
        int exit = node.awaitExit();
        String out = node.output();
        assertEquals(2, exit, "a refused start should exit with 2:\n" + node.tail(40));
        List<String> lines = out.lines().filter(l -> l.contains("Corral cannot start: ")).toList();
        assertEquals(1, lines.size(), "expected one refusal line:\n" + node.tail(40));
        for (String f : fragments) assertTrue(lines.get(0).contains(f), "the refusal should say '" + f + "':\n" + lines.get(0));
        assertFalse(STACK_TRACE.matcher(out).find(), "a refusal should print no stack trace:\n" + node.tail(60));
    }

    /** A JDK older than 25 on this machine, preferring 17; read from each JDK's {@code release} file. */
    private static Optional<Path> olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(d.resolve("release")))
                    .filter(d -> feature(d) > 0 && feature(d) < 25)
                    .min(Comparator.comparingInt(d -> Math.abs(feature(d) - 17)))
                    .map(d -> d.resolve("bin/java"));
        }
    }

    private static int feature(Path jdk) {
        try {
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }


    private Path copyOfTemplate() throws IOException {
        Path dir = work.resolve("data");
        try (Stream<Path> files = Files.walk(template)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return dir;
    }

    private static Path log(TestInfo test, String which) throws IOException {
        return CrashRecoveryIT.logFile("StartupRefusalIT-" + test.getTestMethod().orElseThrow().getName() + "-" + which + ".log");
    }

    /** Flips one bit in the middle of the stored payload of log entry {@code index}, as disk damage would. */
    private static void flipPayloadByte(Path dataDir, long index) throws SQLException {
        byte[] data = payload(dataDir, index);
        data[data.length / 2] ^= 0x01;
        try (Connection c = sqlite(dataDir); PreparedStatement u = c.prepareStatement("UPDATE corral_log SET payload = ? WHERE idx = ?")) {
            u.setBytes(1, data);
            u.setLong(2, index);
            assertEquals(1, u.executeUpdate());
        }
    }

    private static byte[] payload(Path dataDir, long index) throws SQLException {
        try (Connection c = sqlite(dataDir); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT payload FROM corral_log WHERE idx = " + index)) {
            assertTrue(rs.next(), "no log entry " + index);
            return rs.getBytes(1);
        }
    }

    /** Flips the lowest bit of the stored CRC of log entry {@code index}; returns the rows changed. */
    private static int corruptCrc(Path dataDir, long index) throws SQLException {
        return sql(dataDir, "UPDATE corral_log SET crc = crc + 1 - 2 * (crc & 1) WHERE idx = " + index);
    }

    private static long maxLogIndex(Path dataDir) throws SQLException {
        return count(dataDir, "SELECT max(idx) FROM corral_log");
    }

    private static int sql(Path dataDir, String statement) throws SQLException {
        try (Connection c = sqlite(dataDir); Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        }
    }

    private static long count(Path dataDir, String query) throws SQLException {
        try (Connection c = sqlite(dataDir); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            assertTrue(rs.next(), query);
            return rs.getLong(1);
        }
    }

    /** The node's embedded database, opened with the SQLite JDBC driver the node itself uses; no node may be running on it. */
    private static Connection sqlite(Path dataDir) throws SQLException {
        Path db = dataDir.resolve("corral.db");
        if (!Files.isRegularFile(db)) throw new UncheckedIOException(new IOException("no database at " + db));
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    private static NodeProcess.Reply expect(int status, NodeProcess.Reply r) {
        assertEquals(status, r.status(), r.body());
        return r;
    }

    private static String data(String text) {
        return "{\"data\":\"" + b64(text) + "\"}";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(NodeProcess.Reply r) {
        return new String(Base64.getDecoder().decode(r.json().path("data").asText()), StandardCharsets.UTF_8);
    }
}
