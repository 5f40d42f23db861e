package dev.corral.diff;

import dev.corral.tree.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;

/**
 * A server driven through ZooKeeper's official Java client, one client (and session) per actor: the reference (the real
 * ZooKeeper server), or Corral's ZooKeeper client port, answering through the very same client code.
 */
final class ZooKeeperSide implements Side {
    /** The server's tree as seen in this JVM, without a session or an ACL check. */
    interface Tree {
        /** The znode's Stat, or null if there is none. */
        dev.corral.tree.Stat stat(String path);

        /** Whether the znode exists and, if it does, its data, ACL and Stat; null if it does not. */
        Outcome node(String path);
    }

    static final int SESSION_TIMEOUT_MS = 30_000;
    private static final int CONNECT_DEADLINE_S = 20;

    private final String name;
    private final String connectString;
    private final Tree server;
    private final List<ZooKeeper> clients = new ArrayList<>();
    /** Each actor's session id, kept after its session closes (its Stats may still be compared). */
    private final List<Long> sessionIds = new ArrayList<>();

    ZooKeeperSide(EmbeddedZooKeeper server) {
        this("ZooKeeper", server.connectString(), new Tree() {
            @Override
            public dev.corral.tree.Stat stat(String path) {
                return ZooKeeperSide.stat(server.stat(path));
            }

            @Override
            public Outcome node(String path) {
                return server.node(path);
            }
        });
    }

    ZooKeeperSide(String name, String connectString, Tree tree) {
        this.name = name;
        this.connectString = connectString;
        this.server = tree;
    }

    @Override
    public String name() {
        return name;
    }

    /** A connected client with a fresh session, authenticated as {@code auth}. */
    static ZooKeeper connect(String connectString, Step.Auth auth) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(CONNECT_DEADLINE_S, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no ZooKeeper session within " + CONNECT_DEADLINE_S + " s at " + connectString);
        }
        // Requests on one connection are handled in order, so the next request already runs with this identity.
        if (auth.credentials != null) zk.addAuthInfo("digest", auth.credentials.getBytes(StandardCharsets.UTF_8));
        return zk;
    }

    @Override
    public Outcome run(Step step) throws Exception {
        try {
            return execute(step);
        } catch (KeeperException e) {
            if (step instanceof Step.Multi && e.getResults() != null) {
                List<Outcome> results = new ArrayList<>();
                for (OpResult r : e.getResults()) results.add(Outcome.error(codeName(((OpResult.ErrorResult) r).getErr())));
                return Outcome.multi(codeName(e.code().intValue()), results);
            }
            return Outcome.error(codeName(e.code().intValue()));
        }
    }

    private Outcome execute(Step step) throws Exception {
        return switch (step) {
            case Step.OpenSession o -> {
                if (o.actor() != clients.size()) throw new IllegalStateException("actors open in order: " + o.actor());
                ZooKeeper zk = connect(connectString, o.auth());
                clients.add(zk);
                sessionIds.add(zk.getSessionId());
                yield Outcome.ok();
            }
            case Step.CloseSession c -> {
                clients.get(c.actor()).close();
                yield Outcome.ok();
            }
            case Step.Create c -> {
                Stat stat = new Stat();
                CreateMode mode = CreateMode.fromFlag(c.mode().flag);
                String path = c.mode().isTtl()
                        ? zk(c).create(c.path(), c.data(), acl(c.acl()), mode, stat, c.ttlMs())
                        : zk(c).create(c.path(), c.data(), acl(c.acl()), mode, stat);
                yield Outcome.created(path, stat(stat));
            }
            case Step.Delete d -> {
                zk(d).delete(d.path(), d.version());
                yield Outcome.ok();
            }
            case Step.SetData d -> Outcome.stat(stat(zk(d).setData(d.path(), d.data(), d.version())));
            case Step.GetData g -> {
                Stat stat = new Stat();
                byte[] data = zk(g).getData(g.path(), false, stat);
                yield Outcome.data(Base64.getEncoder().encodeToString(data == null ? new byte[0] : data), stat(stat));
            }
            case Step.Exists e -> Outcome.exists(stat(zk(e).exists(e.path(), false)));
            case Step.Children c -> {
                Stat stat = new Stat();
                List<String> names = zk(c).getChildren(c.path(), false, stat);
                yield Outcome.children(names, stat(stat));
            }
            case Step.GetAcl g -> {
                Stat stat = new Stat();
                List<String> acl = zk(g).getACL(g.path(), stat).stream()
                        .map(a -> a.getId().getScheme() + ":" + a.getId().getId() + ":" + a.getPerms()).toList();
                yield Outcome.acl(acl, stat(stat));
            }
            case Step.SetAcl s -> Outcome.stat(stat(zk(s).setACL(s.path(), acl(s.acl()), s.aversion())));
            case Step.Multi m -> {
                List<Op> ops = new ArrayList<>();
                for (Step op : m.ops()) ops.add(op(op));
                List<Outcome> results = new ArrayList<>();
                for (OpResult r : zk(m).multi(ops)) results.add(result(r));
                yield Outcome.multi(Outcome.OK, results);
            }
            case Step.Check c -> throw new IllegalArgumentException("check exists only inside a multi");
        };
    }

    private static Op op(Step step) throws KeeperException {
        return switch (step) {
            case Step.Create c -> {
                CreateOptions.Builder b = CreateOptions.newBuilder(acl(c.acl()), CreateMode.fromFlag(c.mode().flag));
                if (c.mode().isTtl()) b.withTtl(c.ttlMs());
                // Through create2 (CreateOptions), so that the result carries the Stat as Corral's does.
                yield Op.create(c.path(), c.data(), b.build());
            }
            case Step.Delete d -> Op.delete(d.path(), d.version());
            case Step.SetData d -> Op.setData(d.path(), d.data(), d.version());
            case Step.Check c -> Op.check(c.path(), c.version());
            default -> throw new IllegalArgumentException("not a multi operation: " + Step.describe(step));
        };
    }

    private static Outcome result(OpResult r) {
        return switch (r) {
            case OpResult.CreateResult c -> Outcome.created(c.getPath(), stat(c.getStat()));
            case OpResult.SetDataResult s -> Outcome.stat(stat(s.getStat()));
            case OpResult.DeleteResult d -> Outcome.ok();
            case OpResult.CheckResult c -> Outcome.ok();
            default -> throw new IllegalStateException("unexpected multi result " + r);
        };
    }

    private ZooKeeper zk(Step step) {
        return clients.get(step.actor());
    }

    /** The default ACL when the step names none: open to anyone, as Corral's default. */
    private static List<ACL> acl(List<Step.Ace> acl) {
        if (acl == null) return org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE;
        List<ACL> out = new ArrayList<>();
        for (Step.Ace a : acl) out.add(new ACL(a.perms(), new Id(a.scheme(), a.id())));
        return out;
    }

    static dev.corral.tree.Stat stat(Stat s) {
        if (s == null) return null;
        return new dev.corral.tree.Stat(s.getCzxid(), s.getMzxid(), s.getPzxid(), s.getCtime(), s.getMtime(), s.getVersion(),
                s.getCversion(), s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren());
    }

    static String codeName(int wireCode) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.wireCode == wireCode) return c.name();
        }
        return "ZOOKEEPER_CODE_" + wireCode;
    }

    @Override
    public long sessionId(int actor) {
        return sessionIds.get(actor);
    }

    @Override
    public boolean absent(String path) {
        return server.stat(path) == null;
    }

    @Override
    public Outcome peek(String path) {
        Outcome node = server.node(path);
        return node == null ? Outcome.exists(null) : node;
    }

    /** The znode's Stat as ZooKeeper reports it now, or null if there is none: the oracle the sequence consults. */
    dev.corral.tree.Stat current(String path) {
        return server.stat(path);
    }

    @Override
    public void close() {
        for (ZooKeeper zk : clients) {
            try {
                zk.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
