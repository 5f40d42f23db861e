package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the client against the in-process node, synchronous and asynchronous, with the typed exception
 * of each error the REST API answers.
 */
@QuarkusTest
class CorralClientOperationsTest {
    private CorralClient client;

    @BeforeEach
    void connect() {
        ClientTests.awaitReady();
        client = ClientTests.client();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void createReadSetDeleteRoundTripWithStatsAndVersions() {
        String path = uniquePath("crud");
        Created created = client.create(path, bytes("v1"));
        assertEquals(path, created.path());
        assertEquals(0, created.stat().version());
        assertEquals(2, created.stat().dataLength());
        assertEquals(created.stat().czxid(), created.stat().mzxid());

        NodeData read = client.getData(path);
        assertEquals("v1", read.text());
        assertEquals(created.stat(), read.stat());

        Stat set = client.setData(path, bytes("v2"), 0);
        assertEquals(1, set.version());
        assertTrue(set.mzxid() > created.stat().mzxid());
        assertEquals("v2", client.getData(path).text());
        assertEquals(set, client.exists(path));

        CorralException.BadVersionException stale = assertThrows(CorralException.BadVersionException.class,
                () -> client.setData(path, bytes("x"), 0));
        assertEquals(ErrorCode.BAD_VERSION, stale.code());
        assertEquals(path, stale.path());
        assertThrows(CorralException.BadVersionException.class, () -> client.delete(path, 0));

        client.setData(path, null);
        assertEquals(0, client.getData(path).data().length, "null data is no data");
        client.delete(path, 2);
        assertNull(client.exists(path));
        CorralException.NoNodeException gone = assertThrows(CorralException.NoNodeException.class, () -> client.getData(path));
        assertEquals(path, gone.path());
        assertThrows(CorralException.NoNodeException.class, () -> client.delete(path));
        assertThrows(CorralException.NoNodeException.class, () -> client.setData(path, bytes("x")));
    }

    @Test
    void createRefusalsAreTyped() {
        String path = uniquePath("refusals");
        client.create(path, null);
        assertThrows(CorralException.NodeExistsException.class, () -> client.create(path, null));
        CorralException.NoNodeException noParent = assertThrows(CorralException.NoNodeException.class,
                () -> client.create(path + "/missing/child", null));
        assertEquals(ErrorCode.NO_NODE, noParent.code());
        client.create(path + "/child", null);
        assertThrows(CorralException.NotEmptyException.class, () -> client.delete(path));
        String ephemeral = client.create(path + "/eph", null, CreateMode.EPHEMERAL).path();
        assertThrows(CorralException.NoChildrenForEphemeralsException.class, () -> client.create(ephemeral + "/x", null));
        assertThrows(CorralException.BadArgumentsException.class, () -> client.create(path + "//double", null));
        assertThrows(CorralException.BadArgumentsException.class, () -> client.create("no-slash", null));
        assertThrows(CorralException.InvalidAclException.class,
                () -> client.create(path + "/badacl", null, CreateOptions.PERSISTENT.withAcl(List.of(new Acl(Acl.ALL, "nosuchscheme", "x")))));
        // Unusual characters travel percent-encoded and come back as they were.
        String odd = path + "/a b?c#d%e+f&ü";
        assertEquals(odd, client.create(odd, bytes("odd")).path());
        assertEquals("odd", client.getData(odd).text());
        assertTrue(client.getChildren(path).names().contains("a b?c#d%e+f&ü"));
    }

    @Test
    void everyCreateModeMakesWhatItSays() {
        String parent = uniquePath("modes");
        client.create(parent, null);
        Created seq1 = client.create(parent + "/job-", null, CreateMode.PERSISTENT_SEQUENTIAL);
        Created seq2 = client.create(parent + "/job-", null, CreateMode.PERSISTENT_SEQUENTIAL);
        assertTrue(seq1.path().matches(Pattern.quote(parent) + "/job-\\d{10}"), seq1.path());
        assertTrue(seq2.path().compareTo(seq1.path()) > 0);

        Session session = client.session();
        Created eph = client.create(parent + "/eph", null, CreateMode.EPHEMERAL);
        assertEquals(session.idNumber(), eph.stat().ephemeralOwner());
        Created ephSeq = client.create(parent + "/eph-", null, CreateMode.EPHEMERAL_SEQUENTIAL);
        assertEquals(session.idNumber(), ephSeq.stat().ephemeralOwner());
        assertTrue(ephSeq.path().matches(Pattern.quote(parent) + "/eph-\\d{10}"), ephSeq.path());

        Created container = client.create(parent + "/container", null, CreateMode.CONTAINER);
        assertEquals(0, container.stat().ephemeralOwner());
        Created ttl = client.create(parent + "/ttl", null, CreateOptions.ttl(Duration.ofMinutes(5)));
        assertEquals(0, ttl.stat().ephemeralOwner());
        Created ttlSeq = client.create(parent + "/ttl-", null,
                new CreateOptions(CreateMode.PERSISTENT_SEQUENTIAL_TTL, null, Duration.ofMinutes(5)));
        assertTrue(ttlSeq.path().matches(Pattern.quote(parent) + "/ttl-\\d{10}"), ttlSeq.path());

        assertEquals(List.of("container", "eph", ephSeq.path().substring(parent.length() + 1), seq1.path().substring(parent.length() + 1),
                seq2.path().substring(parent.length() + 1), "ttl", ttlSeq.path().substring(parent.length() + 1)),
                client.getChildren(parent).names());
        assertThrows(IllegalArgumentException.class, () -> CreateOptions.of(CreateMode.PERSISTENT_TTL));
    }

    @Test
    void childrenComeSortedWholeOrInPages() {
        String parent = uniquePath("children");
        client.create(parent, null);
        for (String name : List.of("d", "b", "e", "a", "c")) client.create(parent + "/" + name, null);
        Children all = client.getChildren(parent);
        assertEquals(List.of("a", "b", "c", "d", "e"), all.names());
        assertEquals(5, all.stat().numChildren());
        assertFalse(all.hasMore());

        Children first = client.getChildrenPage(parent, null, 2, ReadOptions.DEFAULT);
        assertEquals(List.of("a", "b"), first.names());
        assertEquals("b", first.next());
        Children second = client.getChildrenPage(parent, first.next(), 2, ReadOptions.DEFAULT);
        assertEquals(List.of("c", "d"), second.names());
        Children last = client.getChildrenPage(parent, second.next(), 2, ReadOptions.DEFAULT);
        assertEquals(List.of("e"), last.names());
        assertNull(last.next());
        assertThrows(CorralException.NoNodeException.class, () -> client.getChildren(parent + "/missing"));
        assertTrue(client.getChildren("/").names().contains(parent.substring(1)), "the root lists its children");
    }

    @Test
    void aclsAreSetReadAndEnforced() {
        String path = uniquePath("acl");
        try (CorralClient alice = CorralClient.builder().servers(ClientTests.url()).credentials("alice", "wonderland").build()) {
            Created c = alice.create(path, bytes("secret"), CreateOptions.PERSISTENT.withAcl(Acl.CREATOR_ALL_ACL));
            assertEquals("secret", alice.getData(path).text());
            CorralException.NoAuthException refused = assertThrows(CorralException.NoAuthException.class, () -> client.getData(path));
            assertEquals(ErrorCode.NO_AUTH, refused.code());
            assertThrows(CorralException.NoAuthException.class, () -> client.setData(path, bytes("x")));

            NodeAcl acl = alice.getAcl(path);
            assertEquals(List.of(Acl.digest("alice", "wonderland", Acl.ALL)), acl.acl());
            assertEquals(c.stat().aversion(), acl.stat().aversion());

            List<Acl> open = List.of(Acl.world(Acl.READ), Acl.digest("alice", "wonderland", Acl.ALL));
            NodeAcl set = alice.setAcl(path, open, acl.stat().aversion());
            assertEquals(open, set.acl());
            assertEquals(acl.stat().aversion() + 1, set.stat().aversion());
            assertThrows(CorralException.BadVersionException.class, () -> alice.setAcl(path, open, acl.stat().aversion()));
            assertEquals("secret", client.getData(path).text(), "world may READ now");
            assertThrows(CorralException.NoAuthException.class, () -> client.setAcl(path, Acl.OPEN_ACL_UNSAFE, -1));
        }
        try (CorralClient wrong = CorralClient.builder().servers(ClientTests.url()).credentials("alice", "not-her-password").build()) {
            assertThrows(CorralException.NoAuthException.class, () -> wrong.setData(path, bytes("x")));
        }
        assertThrows(CorralException.NoNodeException.class, () -> client.getAcl(path + "/missing"));
    }

    @Test
    void multiAppliesAllOrNothingAndNamesTheCulprit() {
        String path = uniquePath("multi");
        client.create(path, bytes("0"));
        List<OpResult> results = client.multi(List.of(
                Op.check(path, 0),
                Op.create(path + "/a", bytes("a")),
                Op.create(path + "/seq-", null, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.setData(path, bytes("1"), 0),
                Op.delete(path + "/a", 0)));
        assertEquals(5, results.size());
        assertEquals(new OpResult.CheckResult(path), results.get(0));
        OpResult.CreateResult a = assertInstanceOf(OpResult.CreateResult.class, results.get(1));
        assertEquals(path + "/a", a.path());
        OpResult.CreateResult seq = assertInstanceOf(OpResult.CreateResult.class, results.get(2));
        assertTrue(seq.path().startsWith(path + "/seq-"), seq.path());
        OpResult.SetDataResult set = assertInstanceOf(OpResult.SetDataResult.class, results.get(3));
        assertEquals(1, set.stat().version());
        assertEquals(new OpResult.DeleteResult(path + "/a"), results.get(4));
        assertEquals(a.stat().czxid(), set.stat().mzxid(), "one zxid for the whole multi");

        CorralException.NoNodeException failed = assertThrows(CorralException.NoNodeException.class, () -> client.multi(List.of(
                Op.create(path + "/b", null),
                Op.delete(path + "/missing", -1),
                Op.setData(path, bytes("2"), -1))));
        assertEquals(1, failed.failedOp());
        assertEquals(path + "/missing", failed.path());
        assertEquals(List.of(new OpResult.ErrorResult(ErrorCode.OK, path + "/b"), new OpResult.ErrorResult(ErrorCode.NO_NODE, path + "/missing"),
                new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY, path)), failed.results());
        assertNull(client.exists(path + "/b"), "nothing of a failed multi happened");
        assertEquals("1", client.getData(path).text());

        CorralException.BadVersionException badVersion = assertThrows(CorralException.BadVersionException.class,
                () -> client.multi(List.of(Op.check(path, 0))));
        assertEquals(0, badVersion.failedOp());

        Session session = client.session();
        List<OpResult> eph = client.multi(List.of(Op.create(path + "/eph", null, CreateMode.EPHEMERAL)));
        assertEquals(session.idNumber(), ((OpResult.CreateResult) eph.get(0)).stat().ephemeralOwner());
    }

    @Test
    void readsCarryTheHighestZxidSeenAndTheConsistencyAsked() {
        String path = uniquePath("zxid");
        long written;
        try (TcpProxy proxy = TcpProxy.start(ClientTests.port());
                CorralClient viaProxy = CorralClient.builder().servers(proxy.url()).build()) {
            written = viaProxy.create(path, bytes("x")).stat().czxid();
            assertTrue(viaProxy.lastZxidSeen() >= written);
            viaProxy.getData(path);
            long seen = viaProxy.lastZxidSeen();
            viaProxy.exists(path, null, ReadOptions.linearizable());
            String sent = proxy.sent();
            Matcher m = Pattern.compile("GET /v1/nodes" + Pattern.quote(path) + "\\?exists=true&consistency=linearizable&minZxid=(\\d+) ")
                    .matcher(sent);
            assertTrue(m.find(), () -> "no linearizable exists with minZxid in:\n" + sent);
            assertTrue(Long.parseLong(m.group(1)) >= seen, "minZxid is the highest zxid seen");
            assertTrue(sent.contains("GET /v1/nodes" + path + "?minZxid="), () -> "no plain read with minZxid in:\n" + sent);
        }
        assertTrue(client.sync() >= written, "sync answers a zxid at least that of every write before it");
        assertEquals("x", client.getData(path, null, ReadOptions.linearizable()).text());
        assertEquals("x", client.getData(path, null, ReadOptions.atLeast(client.lastZxidSeen())).text());
        // A zxid no write ever had: the node refuses to wait for it, which shows that the option reaches it.
        assertThrows(CorralException.BadArgumentsException.class,
                () -> client.getData(path, null, ReadOptions.atLeast(client.lastZxidSeen() + 10_000_000)));
    }

    @Test
    void asyncCallsCompleteWithTheSameResultsAndFailWithTheTypedException() throws Exception {
        AsyncCorralClient async = client.async();
        String path = uniquePath("async");
        Created created = async.create(path, bytes("a")).get(20, TimeUnit.SECONDS);
        assertEquals(path, created.path());
        CompletableFuture<NodeData> read = async.getData(path);
        assertArrayEquals(bytes("a"), read.get(20, TimeUnit.SECONDS).data());
        assertEquals(1, async.setData(path, bytes("b"), 0).get(20, TimeUnit.SECONDS).version());
        assertEquals(1, async.exists(path).get(20, TimeUnit.SECONDS).version());
        async.create(path + "/c", null).get(20, TimeUnit.SECONDS);
        assertEquals(List.of("c"), async.getChildren(path).get(20, TimeUnit.SECONDS).names());
        assertEquals(List.of("c"), async.getChildrenPage(path, null, 10, ReadOptions.DEFAULT).get(20, TimeUnit.SECONDS).names());
        assertEquals(Acl.OPEN_ACL_UNSAFE, async.getAcl(path).get(20, TimeUnit.SECONDS).acl());
        assertEquals(1, async.setAcl(path, Acl.OPEN_ACL_UNSAFE, 0).get(20, TimeUnit.SECONDS).stat().aversion());
        assertEquals(2, async.multi(List.of(Op.delete(path + "/c", -1), Op.check(path, 1))).get(20, TimeUnit.SECONDS).size());
        assertTrue(async.sync().get(20, TimeUnit.SECONDS) > 0);
        assertNotNull(async.session().get(20, TimeUnit.SECONDS).id());

        ExecutionException noNode = assertThrows(ExecutionException.class, () -> async.getData(path + "/missing").get(20, TimeUnit.SECONDS));
        assertInstanceOf(CorralException.NoNodeException.class, noNode.getCause());
        Throwable seen = async.getData(path + "/missing").handle((v, e) -> e).get(20, TimeUnit.SECONDS);
        assertInstanceOf(CorralException.NoNodeException.class, seen, "callbacks see the exception itself, not a CompletionException");
        ExecutionException exists = assertThrows(ExecutionException.class, () -> async.create(path, null).get(20, TimeUnit.SECONDS));
        assertInstanceOf(CorralException.NodeExistsException.class, exists.getCause());
        ExecutionException badVersion = assertThrows(ExecutionException.class, () -> async.delete(path, 7).get(20, TimeUnit.SECONDS));
        assertInstanceOf(CorralException.BadVersionException.class, badVersion.getCause());
        ExecutionException badPath = assertThrows(ExecutionException.class, () -> async.create("relative", null).get(20, TimeUnit.SECONDS));
        assertInstanceOf(CorralException.BadArgumentsException.class, badPath.getCause());
        ExecutionException multi = assertThrows(ExecutionException.class,
                () -> async.multi(List.of(Op.check(path, 0))).get(20, TimeUnit.SECONDS));
        assertEquals(0, assertInstanceOf(CorralException.BadVersionException.class, multi.getCause()).failedOp());

        async.delete(path, 1).get(20, TimeUnit.SECONDS);
        assertNull(async.exists(path).get(20, TimeUnit.SECONDS));
    }

    @Test
    void aNodeThatIsDownIsSkippedAndANodeListOfOnlyDeadNodesFailsWithConnectionLoss() {
        String dead = "http://127.0.0.1:" + ClientTests.closedPort();
        try (CorralClient c = CorralClient.builder().servers(dead, ClientTests.url()).build()) {
            String path = uniquePath("failover");
            c.create(path, bytes("x"));
            assertEquals("x", c.getData(path).text());
            assertEquals(ClientTests.url(), c.currentServer().toString());
            c.create(path + "/eph", null, CreateMode.EPHEMERAL);
            assertEquals(c.session().idNumber(), c.exists(path + "/eph").ephemeralOwner());
        }
        try (CorralClient c = CorralClient.builder().servers(dead).retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(10),
                Duration.ofMillis(20))).build()) {
            CorralException.ConnectionLossException lost = assertThrows(CorralException.ConnectionLossException.class,
                    () -> c.create(uniquePath("nowhere"), null));
            assertFalse(lost.outcomeUnknown(), "a refused connection never carried the write");
            assertThrows(CorralException.ConnectionLossException.class, () -> c.getData("/"));
        }
    }
}
