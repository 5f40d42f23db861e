package dev.corral.client.cli;

import static dev.corral.client.cli.CliTests.closedPort;
import static dev.corral.client.cli.CliTests.concat;
import static dev.corral.client.cli.CliTests.run;
import static dev.corral.client.cli.CliTests.uniquePath;
import static dev.corral.client.cli.CliTests.url;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.client.CorralClient;
import dev.corral.client.Op;
import dev.corral.client.Session;
import dev.corral.client.cli.CliTests.Result;
import dev.corral.client.cli.CliTests.Running;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tool, in-process ({@link CorralCli#run}) against the test node: every command, the help of each,
 * and each exit code — 0, 1 for the cluster's refusals, 2 for usage errors, 3 when no node answers — with the one
 * line on standard error that goes with a failure. Changes the tool makes are checked with a separate client, and
 * changes a watch must report are made by one.
 */
@QuarkusTest
class CorralCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMMANDS = List.of("ls", "tree", "get", "stat", "create", "set", "delete", "watch", "multi",
            "cluster status", "session info");

    @TempDir
    Path work;

    private CorralClient client;

    @BeforeEach
    void connect() {
        CliTests.awaitReady();
        client = CorralClient.builder().servers(url()).sessionTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    // ---- help and usage ----

    @Test
    void everyCommandHasHelpByHelpCommandAndByOptionOnStandardOutput() {
        for (String command : COMMANDS) {
            String[] words = command.split(" ");
            Result byHelp = tool(concat(List.of("help"), words));
            assertEquals(0, byHelp.code(), () -> command + ": " + byHelp);
            assertTrue(byHelp.out().startsWith("Usage: corral " + command), () -> command + ": " + byHelp);
            assertEquals("", byHelp.err(), command);
            for (String flag : List.of("--help", "-h")) {
                Result byFlag = tool(concat(List.of(words), flag));
                assertEquals(0, byFlag.code(), () -> command + " " + flag + ": " + byFlag);
                assertEquals(byHelp.out(), byFlag.out(), command + " " + flag);
            }
        }
        Result overview = tool("--help");
        assertEquals(0, overview.code(), overview::toString);
        for (String command : COMMANDS) assertTrue(overview.out().contains("\n  " + command + " "), () -> command + " missing from " + overview);
        assertTrue(overview.out().contains("Exit codes:"), overview::toString);
        assertEquals(overview.out(), tool("help").out());
        assertEquals(overview.out(), tool("-h").out());
        // Help wins over whatever else the line holds, even an option the command does not know.
        assertTrue(tool("get", "--bogus", "--help").out().startsWith("Usage: corral get"));
        assertTrue(tool("--help", "set").out().startsWith("Usage: corral set"));
        assertTrue(tool("help", "cluster").out().contains("cluster status"));
        assertTrue(tool("session", "--help").out().contains("session info ID"));
        assertTrue(tool("multi", "--help").out().contains("\"op\": \"create\""), "the multi file format is documented in its help");
    }

    @Test
    void usageErrorsExitTwoWithOneLineOnStandardErrorAndNothingOnStandardOutput() throws IOException {
        String path = uniquePath("usage");
        Path notJson = Files.writeString(work.resolve("bad.json"), "[{\"op\":");
        Path badOp = Files.writeString(work.resolve("bad-op.json"), "[{\"op\":\"create\",\"path\":\"/x\",\"vaule\":\"typo\"}]");
        List<List<String>> lines = List.of(
                List.of(),
                List.of("frobnicate", "/x"),
                List.of("help", "frobnicate"),
                List.of("get"),
                List.of("get", "/a", "/b"),
                List.of("get", "relative/path"),
                List.of("get", "/a", "--bogus"),
                List.of("set", "/a"),
                List.of("set", "/a", "v", "--version", "seven"),
                List.of("set", "/a", "v", "--version"),
                List.of("create", path, "--mode", "eternal"),
                List.of("create", path, "--mode", "persistent_ttl"),
                List.of("create", path, "--ttl", "5s"),
                List.of("create", path, "--mode", "persistent_ttl", "--ttl", "soon"),
                List.of("tree", "/", "--depth", "-1"),
                List.of("watch", path, "--count", "0"),
                List.of("multi", work.resolve("missing.json").toString()),
                List.of("multi", notJson.toString()),
                List.of("multi", badOp.toString()),
                List.of("cluster"),
                List.of("cluster", "members"),
                List.of("session", "info", "not-an-id"),
                List.of("get", "/a", "--timeout", "0s"),
                List.of("--server", "ftp://example.test", "get", "/a"));
        for (List<String> line : lines) {
            Result r = tool(line.toArray(String[]::new));
            assertEquals(2, r.code(), () -> line + ": " + r);
            assertEquals("", r.out(), () -> line + ": " + r);
            assertEquals(1, r.err().lines().count(), () -> line + ": " + r);
            assertTrue(r.err().startsWith("corral"), () -> line + ": " + r);
        }
        assertNull(client.exists(path), "no usage error may have created anything");
        assertTrue(tool("multi", badOp.toString()).err().contains("operation 0: unknown field \"vaule\""));
        // An unknown command points at the overview, not at the unknown command's own help.
        assertTrue(tool("frobnicate", "/x").err().endsWith("(see corral --help)" + System.lineSeparator()), () -> tool("frobnicate").err());
        assertTrue(tool("cluster", "members").err().contains("(see corral cluster --help)"), () -> tool("cluster", "members").err());
    }

    // ---- znodes ----

    @Test
    void createGetSetStatDeleteRoundTripAndRefusalsExitOneWithTheCode() throws Exception {
        String path = uniquePath("crud");
        Result created = tool("create", path, "v1");
        assertEquals(0, created.code(), created::toString);
        assertEquals(List.of(path), created.lines());
        assertEquals("v1", client.getData(path).text());

        Result get = tool("get", path);
        assertEquals("v1", get.out(), "raw data, nothing added");
        Result getStat = tool("get", path, "--stat");
        assertEquals("v1", getStat.lines().get(0));
        assertTrue(getStat.lines().contains("version: 0"), getStat::toString);
        assertTrue(getStat.lines().contains("dataLength: 2"), getStat::toString);
        JsonNode json = JSON.readTree(tool("get", path, "--json").out());
        assertEquals(path, json.get("path").asText());
        assertEquals("djE=", json.get("data").asText());
        assertEquals(client.exists(path).mzxid(), json.get("stat").get("mzxid").asLong());

        assertEquals(0, tool("set", path, "v2", "--version", "0").code());
        assertEquals("v2", client.getData(path).text());
        Result stale = tool("set", path, "v3", "-v", "0");
        assertEquals(1, stale.code(), stale::toString);
        assertEquals("corral set: BAD_VERSION " + path + ": expected version 0 but the node is at version 1\n", stale.err());
        assertEquals("v2", client.getData(path).text());
        Result setStat = tool("set", "--stat", path, "v3");
        assertTrue(setStat.lines().contains("version: 2"), setStat::toString);

        byte[] binary = {0, (byte) 0xff, '\n', 'x', (byte) 0x80};
        assertEquals(0, toolWithInput(binary, "set", path, "-").code());
        assertArrayEquals(binary, client.getData(path).data());
        assertArrayEquals(binary, tool("get", path).outBytes(), "get gives the bytes back unchanged");

        Result stat = tool("stat", path);
        assertEquals(0, stat.code(), stat::toString);
        assertEquals(11, stat.lines().size(), stat::toString);
        assertTrue(stat.lines().contains("version: 3"), stat::toString);
        assertTrue(stat.lines().contains("ephemeralOwner: 0"), stat::toString);
        assertEquals(3, JSON.readTree(tool("stat", path, "--json").out()).get("version").asInt());

        Result exists = tool("create", path);
        assertEquals(1, exists.code(), exists::toString);
        assertTrue(exists.err().startsWith("corral create: NODE_EXISTS " + path), exists::toString);
        Result badDelete = tool("delete", path, "--version", "0");
        assertEquals(1, badDelete.code(), badDelete::toString);
        assertTrue(badDelete.err().contains("BAD_VERSION"), badDelete::toString);
        assertEquals(0, tool("delete", path, "--version", "3").code());
        assertNull(client.exists(path));

        for (String command : List.of("get", "stat", "ls", "tree", "delete")) {
            Result missing = tool(command, path);
            assertEquals(1, missing.code(), () -> command + ": " + missing);
            assertEquals("", missing.out(), command);
            assertTrue(missing.err().startsWith("corral " + command + ": NO_NODE " + path + ": "), () -> command + ": " + missing);
        }
        assertEquals(1, tool("set", path, "x").code());
    }

    @Test
    void createTakesEveryModeAndDataFromStandardInput() {
        String parent = uniquePath("modes");
        assertEquals(0, toolWithInput("from stdin".getBytes(StandardCharsets.UTF_8), "create", parent, "-").code());
        assertEquals("from stdin", client.getData(parent).text());

        Result seq = tool("create", parent + "/job-", "--mode", "persistent_sequential");
        assertEquals(List.of(parent + "/job-0000000000"), seq.lines(), seq::toString);
        Result seq2 = tool("create", parent + "/job-", "-m", "PERSISTENT-SEQUENTIAL");
        assertEquals(List.of(parent + "/job-0000000001"), seq2.lines(), seq2::toString);

        // The ephemeral belongs to the command's session, which closes as the command ends.
        Result eph = tool("create", parent + "/worker", "--mode", "ephemeral");
        assertEquals(0, eph.code(), eph::toString);
        assertEquals(List.of(parent + "/worker"), eph.lines());
        assertNull(client.exists(parent + "/worker"), "the command's session closed, and its ephemeral with it");

        assertEquals(0, tool("create", parent + "/box", "--mode", "container").code());
        assertEquals(0, tool("create", parent + "/ttl", "--mode", "persistent_ttl", "--ttl", "1m").code());
        assertNotNull(client.exists(parent + "/box"));
        assertNotNull(client.exists(parent + "/ttl"));

        Result noParent = tool("create", parent + "/none/child");
        assertEquals(1, noParent.code(), noParent::toString);
        assertTrue(noParent.err().contains("NO_NODE"), noParent::toString);
    }

    @Test
    void lsListsSortedChildrenAcrossPagesAndTreeWalksDepthFirst() throws Exception {
        String root = uniquePath("tree");
        client.create(root, null);
        client.create(root + "/b", null);
        client.create(root + "/a", null);
        client.create(root + "/a/y", null);
        client.create(root + "/a/x", null);
        client.create(root + "/a/x/deep", null);

        assertEquals(List.of("a", "b"), tool("ls", root).lines());
        Result lsStat = tool("ls", root, "--stat");
        assertEquals(List.of("a", "b"), lsStat.lines().subList(0, 2));
        assertTrue(lsStat.lines().contains("numChildren: 2"), lsStat::toString);
        JsonNode ls = JSON.readTree(tool("ls", root, "--json").out());
        assertEquals("[\"a\",\"b\"]", ls.get("children").toString());
        assertEquals(2, ls.get("stat").get("numChildren").asInt());

        assertEquals(List.of(root, root + "/a", root + "/a/x", root + "/a/x/deep", root + "/a/y", root + "/b"), tool("tree", root).lines());
        assertEquals(List.of(root, root + "/a", root + "/b"), tool("tree", root, "--depth", "1").lines());
        assertEquals(List.of(root), tool("tree", root, "-d", "0").lines());
        assertTrue(tool("ls", "/").lines().contains(root.substring(1)));

        String big = root + "/big";
        client.create(big, null);
        List<Op> creates = new ArrayList<>();
        int n = NodeCommands.PAGE_NAMES_MAX + 5;
        for (int i = 0; i < n; i++) creates.add(Op.create(big + "/c" + String.format("%05d", i), null));
        client.multi(creates);
        List<String> names = tool("ls", big).lines();
        assertEquals(n, names.size(), "every child, over more than one page");
        assertEquals("c00000", names.getFirst());
        assertEquals("c" + String.format("%05d", n - 1), names.getLast());
    }

    @Test
    void deleteRecursiveRemovesEverythingBelowAndPlainDeleteOfAParentIsRefused() {
        String root = uniquePath("rmr");
        client.create(root, null);
        client.create(root + "/a", null);
        client.create(root + "/a/b", null);
        client.create(root + "/a/b/c", null);
        client.create(root + "/d", null);
        Result notEmpty = tool("delete", root);
        assertEquals(1, notEmpty.code(), notEmpty::toString);
        assertTrue(notEmpty.err().contains("NOT_EMPTY"), notEmpty::toString);
        assertNotNull(client.exists(root + "/a/b/c"));

        Result rmr = tool("delete", "--recursive", root);
        assertEquals(0, rmr.code(), rmr::toString);
        assertNull(client.exists(root));
        assertEquals(2, tool("delete", "-r", "/").code(), "the root is refused");
    }

    @Test
    void multiAppliesAFileAllOrNothingAndReadsStandardInput() throws IOException {
        String root = uniquePath("multi");
        client.create(root, null);
        client.create(root + "/old", null);
        Path file = Files.writeString(work.resolve("ops.json"), """
                [{"op": "check",  "path": "%1$s", "version": 0},
                 {"op": "create", "path": "%1$s/config", "value": "{}"},
                 {"op": "create", "path": "%1$s/job-", "mode": "persistent_sequential", "data": "AAE="},
                 {"op": "set",    "path": "%1$s", "value": "updated"},
                 {"op": "delete", "path": "%1$s/old", "version": 0}]
                """.formatted(root));
        Result ok = tool("multi", file.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertEquals(List.of("check " + root, "create " + root + "/config", "create " + root + "/job-0000000002", "set " + root + " version=1",
                "delete " + root + "/old"), ok.lines());
        assertEquals("{}", client.getData(root + "/config").text());
        assertArrayEquals(new byte[] {0, 1}, client.getData(root + "/job-0000000002").data());
        assertEquals("updated", client.getData(root).text());
        assertNull(client.exists(root + "/old"));

        String failing = """
                {"ops": [{"op": "create", "path": "%1$s/new"}, {"op": "delete", "path": "%1$s/missing"}]}
                """.formatted(root);
        Result refused = toolWithInput(failing.getBytes(StandardCharsets.UTF_8), "multi", "-");
        assertEquals(1, refused.code(), refused::toString);
        assertTrue(refused.err().startsWith("corral multi: NO_NODE " + root + "/missing: "), refused::toString);
        assertTrue(refused.err().contains("operation 1"), refused::toString);
        assertNull(client.exists(root + "/new"), "all or nothing");
    }

    // ---- watch ----

    @Test
    void watchPrintsChangesMadeByAnotherClientAndExitsAfterCount() throws Exception {
        String path = uniquePath("watch");
        Running watch = new Running("watch", path, "--count", "3");
        watch.awaitWatching();
        client.create(path, "a".getBytes(StandardCharsets.UTF_8));
        long set = client.setData(path, "b".getBytes(StandardCharsets.UTF_8)).mzxid();
        client.create(path + "/child", null);
        Result r = watch.result();
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.lines();
        assertEquals(3, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("NodeCreated " + path + " zxid="), r::toString);
        assertEquals("NodeDataChanged " + path + " zxid=" + set, lines.get(1));
        assertTrue(lines.get(2).startsWith("NodeChildrenChanged " + path + " zxid="), r::toString);
    }

    @Test
    void watchRecursiveSeesChangesBelowAsJson() throws Exception {
        String root = uniquePath("watchr");
        client.create(root, null);
        Running watch = new Running("watch", root, "-r", "-n", "2", "--json");
        watch.awaitWatching();
        long created = client.create(root + "/a", null).stat().czxid();
        client.delete(root + "/a");
        Result r = watch.result();
        assertEquals(0, r.code(), r::toString);
        JsonNode first = JSON.readTree(r.lines().get(0));
        assertEquals("NodeCreated", first.get("type").asText());
        assertEquals(root + "/a", first.get("path").asText());
        assertEquals(created, first.get("zxid").asLong());
        JsonNode second = JSON.readTree(r.lines().get(1));
        assertEquals("NodeDeleted", second.get("type").asText());
        assertEquals(root + "/a", second.get("path").asText());
        assertTrue(second.get("zxid").asLong() > created, r::toString);
    }

    // ---- cluster and sessions ----

    @Test
    void clusterStatusShowsTheLeaderTermAndMembers() throws Exception {
        Result r = tool("cluster", "status");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.lines().get(0).startsWith("leader: 1  term: "), r::toString);
        assertTrue(r.lines().get(1).startsWith("ID "), r::toString);
        assertTrue(r.lines().get(2).matches("1\\s+leader\\s+yes\\s+\\d+\\s+\\d+\\s+\\d+\\s+.*\\(answered\\)"), r::toString);
        JsonNode json = JSON.readTree(tool("cluster", "status", "--json").out());
        assertEquals(1, json.get("leader").asInt());
        assertEquals(1, json.get("members").size());
        assertEquals("leader", json.get("members").get(0).get("role").asText());
        assertTrue(json.get("members").get(0).get("self").asBoolean());
    }

    @Test
    void sessionInfoDescribesASessionGivenItsSecretAndRefusesOtherwise() throws Exception {
        Session s;
        try (CorralClient owner = CorralClient.builder().servers(url()).sessionTimeout(Duration.ofSeconds(20)).build()) {
            s = owner.session();
            Result r = tool("session", "info", s.id(), "--secret", s.secret());
            assertEquals(0, r.code(), r::toString);
            assertEquals(List.of("id: " + s.id(), "timeout: " + s.timeout().toMillis() + " ms"), r.lines());
            Result fromEnv = run(Map.of(ClusterCommands.SECRET_ENV, s.secret()), new byte[0], "--server", url(), "session", "info", s.id(), "--json");
            assertEquals(0, fromEnv.code(), fromEnv::toString);
            assertEquals(s.timeout().toMillis(), JSON.readTree(fromEnv.out()).get("timeoutMs").asLong());
            Result noSecret = tool("session", "info", s.id());
            assertEquals(1, noSecret.code(), noSecret::toString);
            assertTrue(noSecret.err().contains("AUTH_FAILED"), noSecret::toString);
        }
        Result closed = tool("session", "info", s.id(), "--secret", s.secret());
        assertEquals(1, closed.code(), closed::toString);
        assertTrue(closed.err().contains("SESSION_EXPIRED"), closed::toString);
    }

    // ---- servers ----

    @Test
    void anUnreachableClusterExitsThreeWithTheConnectionError() {
        int closed = closedPort();
        long start = System.nanoTime();
        Result r = run(Map.of(), new byte[0], "--server", "http://127.0.0.1:" + closed, "--timeout", "2s", "get", "/");
        assertEquals(3, r.code(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("corral get: CONNECTION_LOSS"), r::toString);
        assertTrue(r.err().contains("127.0.0.1:" + closed), r::toString);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by --timeout");
    }

    @Test
    void aNodeThatNeverAnswersExitsThreeAfterTheTimeout() throws IOException {
        // Connections are accepted by the kernel (the backlog) and never answered.
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            Result r = run(Map.of(), new byte[0], "--server", "http://127.0.0.1:" + silent.getLocalPort(), "--timeout", "1500ms", "set", "/x", "v");
            assertEquals(3, r.code(), r::toString);
            assertTrue(r.err().contains("OPERATION_TIMEOUT"), r::toString);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by --timeout");
        }
    }

    @Test
    void aDeadFirstServerIsSkippedForTheNextInEveryFormAndTheEnvironmentGivesTheDefault() {
        String path = uniquePath("servers");
        client.create(path, "here".getBytes(StandardCharsets.UTF_8));
        String dead = "http://127.0.0.1:" + closedPort();
        Result repeated = run(Map.of(), new byte[0], "--server", dead, "--server", url(), "get", path);
        assertEquals(0, repeated.code(), repeated::toString);
        assertEquals("here", repeated.out());
        Result commaList = run(Map.of(), new byte[0], "get", path, "--server", dead + "," + url());
        assertEquals("here", commaList.out(), commaList::toString);
        Result fromEnv = run(Map.of(CorralCli.SERVER_ENV, dead + "," + url()), new byte[0], "get", path);
        assertEquals("here", fromEnv.out(), fromEnv::toString);
        Result globalsAfter = run(Map.of(), new byte[0], "get", path, "--timeout", "5s", "--server", url());
        assertEquals("here", globalsAfter.out(), globalsAfter::toString);
        Result defaultOnly = run(Map.of(), new byte[0], "--timeout", "1s", "get", path);
        // Nothing else names a server, so the default is asked: it has no such znode, or (usually) no node is there.
        assertTrue(defaultOnly.code() == 1 || defaultOnly.err().contains("127.0.0.1:8080"), defaultOnly::toString);
    }

    // ---- plumbing ----

    /** One run with the test node as server (help needs none). */
    private static Result tool(String... args) {
        return toolWithInput(new byte[0], args);
    }

    private static Result toolWithInput(byte[] stdin, String... args) {
        if (args.length > 0 && (args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))) {
            return run(Map.of(), stdin, args);
        }
        return run(Map.of(), stdin, concat(List.of("--server", url()), args));
    }
}
