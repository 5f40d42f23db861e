package dev.corral.zk.server;

import dev.corral.node.Corral;
import dev.corral.node.NodeStatus;
import dev.corral.replica.Outcome;
import dev.corral.tree.AclCheck;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Paths;
import dev.corral.tree.SessionEntry;
import dev.corral.tree.TreeState;
import dev.corral.tree.WatchKind;
import dev.corral.tree.WatchRegistry;
import dev.corral.tree.Znode;
import dev.corral.txn.Acl;
import dev.corral.zk.server.ZkConvert.ZkRefusal;
import dev.corral.zk.wire.Create2Response;
import dev.corral.zk.wire.CreateRequest;
import dev.corral.zk.wire.CreateResponse;
import dev.corral.zk.wire.CreateTtlRequest;
import dev.corral.zk.wire.ErrorResponse;
import dev.corral.zk.wire.ExistsResponse;
import dev.corral.zk.wire.GetAclResponse;
import dev.corral.zk.wire.GetAllChildrenNumberResponse;
import dev.corral.zk.wire.GetChildren2Response;
import dev.corral.zk.wire.GetChildrenResponse;
import dev.corral.zk.wire.GetDataResponse;
import dev.corral.zk.wire.GetEphemeralsResponse;
import dev.corral.zk.wire.MultiOp;
import dev.corral.zk.wire.MultiResponse;
import dev.corral.zk.wire.MultiResult;
import dev.corral.zk.wire.OpCodes;
import dev.corral.zk.wire.ResponseBody;
import dev.corral.zk.wire.SetAclResponse;
import dev.corral.zk.wire.SetDataResponse;
import dev.corral.zk.wire.SyncResponse;
import dev.corral.zk.wire.ZkRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What each ZooKeeper request does on a Corral node, with ZooKeeper's rules and error codes: reads against the
 * node's tree (setting watches atomically with the read, so no change slips between them), writes through
 * {@link Corral#write}, and the session's watch bookkeeping. The connection decides when each runs (in order) and
 * encodes the {@link Answer}s.
 */
final class ZkHandler {
    /** A reply before encoding: ZooKeeper's error code (0: {@code body}, if any, follows) and the zxid it reflects. */
    record Answer(int err, long zxid, ResponseBody body) {
        static Answer ok(long zxid, ResponseBody body) {
            return new Answer(0, zxid, body);
        }

        static Answer error(ErrorCode code, long zxid) {
            return new Answer(code.wireCode, zxid, null);
        }
    }

    private final Corral corral;
    /** Where reads too big for the event loop are computed. */
    private final java.util.concurrent.Executor worker;

    ZkHandler(Corral corral) {
        this(corral, io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
    }

    ZkHandler(Corral corral, java.util.concurrent.Executor worker) {
        this.corral = corral;
        this.worker = worker;
    }

    /** Requests that change the tree or wait for the leader: they run one at a time, and later reads wait for them. */
    static boolean isWrite(ZkRequest r) {
        return switch (r) {
            case ZkRequest.Create c -> true;
            case ZkRequest.Create2 c -> true;
            case ZkRequest.CreateContainer c -> true;
            case ZkRequest.CreateTtl c -> true;
            case ZkRequest.Delete d -> true;
            case ZkRequest.SetData s -> true;
            case ZkRequest.SetAcl s -> true;
            case ZkRequest.Check c -> true;
            case ZkRequest.Multi m -> true;
            case ZkRequest.Sync s -> true;
            case ZkRequest.CloseSession c -> true;
            default -> false;
        };
    }

    // ---- writes ----

    CompletableFuture<Answer> write(ZkRequest r, Caller caller) {
        if (r instanceof ZkRequest.Sync sync) {
            String path = sync.body().path();
            return corral.sync().thenApply(o -> o instanceof Outcome.Done d
                    ? Answer.ok(Math.max(d.zxid(), corral.state().lastZxid()), new SyncResponse(path)) : failure(o));
        }
        Op op;
        try {
            op = toOp(r);
        } catch (ZkRefusal e) {
            return CompletableFuture.completedFuture(Answer.error(e.code, corral.state().lastZxid()));
        }
        return corral.write(op, caller).thenApply(o -> switch (o) {
            case Outcome.Done d -> Answer.ok(d.zxid(), body(r, d.result()));
            case Outcome.Refused x when r instanceof ZkRequest.Multi m -> multiFailed(m, x);
            default -> failure(o);
        });
    }

    private Answer failure(Outcome o) {
        long zxid = corral.state().lastZxid();
        return switch (o) {
            case Outcome.Refused x -> Answer.error(x.code(), zxid);
            // Not taken, lost to a new leader, or unknown: ZooKeeper's "connection loss", after which a client reads
            // before it retries (the write may have happened).
            default -> Answer.error(ErrorCode.CONNECTION_LOSS, zxid);
        };
    }

    private static Op toOp(ZkRequest r) {
        return switch (r) {
            case ZkRequest.Create c -> create(c.body(), false);
            case ZkRequest.Create2 c -> create(c.body(), false);
            case ZkRequest.CreateContainer c -> create(c.body(), true);
            case ZkRequest.CreateTtl c -> createTtl(c.body());
            case ZkRequest.Delete d -> new Op.Delete(given(d.body().path()), d.body().version());
            case ZkRequest.SetData s -> new Op.SetData(given(s.body().path()), data(s.body().data()), s.body().version());
            case ZkRequest.SetAcl s -> new Op.SetAcl(given(s.body().path()), ZkConvert.acl(s.body().acl()), s.body().version());
            case ZkRequest.Check c -> new Op.Check(given(c.body().path()), c.body().version());
            case ZkRequest.Multi m -> {
                List<Op> ops = new ArrayList<>(m.body().ops().size());
                for (MultiOp op : m.body().ops()) ops.add(toOp(op));
                yield new Op.Multi(ops);
            }
            case ZkRequest.CloseSession c -> throw new IllegalArgumentException("closeSession is the connection's");
            default -> throw new IllegalArgumentException("not a write: " + r.getClass().getSimpleName());
        };
    }

    private static Op toOp(MultiOp op) {
        return switch (op) {
            case MultiOp.Create c -> create(c.request(), c.opcode() == OpCodes.CREATE_CONTAINER);
            case MultiOp.CreateTtl c -> createTtl(c.request());
            case MultiOp.Delete d -> new Op.Delete(given(d.request().path()), d.request().version());
            case MultiOp.SetData s -> new Op.SetData(given(s.request().path()), data(s.request().data()), s.request().version());
            case MultiOp.Check c -> new Op.Check(given(c.request().path()), c.request().version());
            case MultiOp.GetChildren g -> throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "a read in a multi");
            case MultiOp.GetData g -> throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "a read in a multi");
        };
    }

    private static Op create(CreateRequest c, boolean container) {
        CreateMode mode = ZkConvert.mode(c.flags());
        // ZooKeeper: a container needs createContainer, and createContainer makes only containers; TTL needs createTTL.
        if (container != (mode == CreateMode.CONTAINER) || mode.isTtl()) {
            throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "create mode " + mode + " does not go with this operation");
        }
        return new Op.Create(given(c.path()), data(c.data()), ZkConvert.acl(c.acl()), mode, -1);
    }

    private static Op createTtl(CreateTtlRequest c) {
        CreateMode mode = ZkConvert.mode(c.flags());
        if (!mode.isTtl()) throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "createTTL needs a TTL mode, not " + mode);
        return new Op.Create(given(c.path()), data(c.data()), ZkConvert.acl(c.acl()), mode, c.ttl());
    }

    /** ZooKeeper's client sends null data as a buffer of length -1; the znode then has no data. */
    private static byte[] data(byte[] data) {
        return data == null ? new byte[0] : data;
    }

    /** A path for a write: the node validates it (a sequential create's may end in '/'). */
    private static String given(String path) {
        if (path == null) throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "no path");
        return path;
    }

    private static String path(String path) {
        if (path == null) throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "no path");
        String why = Paths.invalidReason(path);
        if (why != null) throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, why);
        return path;
    }

    private static ResponseBody body(ZkRequest r, OpResult result) {
        return switch (r) {
            case ZkRequest.Create c -> new CreateResponse(((OpResult.Created) result).path());
            case ZkRequest.Create2 c -> created2(result);
            case ZkRequest.CreateContainer c -> created2(result);
            case ZkRequest.CreateTtl c -> created2(result);
            case ZkRequest.SetData s -> new SetDataResponse(ZkConvert.stat(((OpResult.DataSet) result).stat()));
            case ZkRequest.SetAcl s -> new SetAclResponse(ZkConvert.stat(((OpResult.AclSet) result).stat()));
            case ZkRequest.Multi m -> multiDone(m, (OpResult.MultiDone) result);
            default -> null;
        };
    }

    private static Create2Response created2(OpResult result) {
        OpResult.Created c = (OpResult.Created) result;
        return new Create2Response(c.path(), ZkConvert.stat(c.stat()));
    }

    private static MultiResponse multiDone(ZkRequest.Multi m, OpResult.MultiDone done) {
        List<MultiResult> out = new ArrayList<>(done.results().size());
        for (int i = 0; i < done.results().size(); i++) {
            OpResult r = done.results().get(i);
            MultiOp op = m.body().ops().get(i);
            out.add(switch (r) {
                case OpResult.Created c when op.opcode() == OpCodes.CREATE -> new MultiResult.Create(c.path());
                case OpResult.Created c -> new MultiResult.Create2(c.path(), ZkConvert.stat(c.stat()));
                case OpResult.Deleted d -> new MultiResult.Delete();
                case OpResult.DataSet s -> new MultiResult.SetData(ZkConvert.stat(s.stat()));
                case OpResult.Checked c -> new MultiResult.Check();
                default -> new MultiResult.Error(ErrorCode.SYSTEM_ERROR.wireCode);
            });
        }
        return new MultiResponse(out);
    }

    /**
     * A multi that failed as a whole: ZooKeeper answers with a successful header and one error result per operation
     * (those before the culprit OK, the culprit its code, those after RUNTIMEINCONSISTENCY), from which its client
     * raises the culprit's exception with every result attached.
     */
    private Answer multiFailed(ZkRequest.Multi m, Outcome.Refused x) {
        int n = m.body().ops().size();
        int culprit = x.failedIndex() >= 0 && x.failedIndex() < n ? x.failedIndex() : -1;
        if (culprit < 0) return Answer.error(x.code(), corral.state().lastZxid());
        List<MultiResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int err = i < culprit ? ErrorCode.OK.wireCode : i == culprit ? x.code().wireCode : ErrorCode.RUNTIME_INCONSISTENCY.wireCode;
            out.add(new MultiResult.Error(err));
        }
        return Answer.ok(corral.state().lastZxid(), new MultiResponse(out));
    }

    // ---- reads ----

    /**
     * A read, or the session's watch bookkeeping, answered at once from the node's tree. Throws {@link ZkRefusal} with
     * CONNECTION_LOSS if this node cannot serve reads now (still recovering, or cut off before it caught up). Listings
     * and getAllChildrenNumber are not answered here but by {@link #startHeavyRead}.
     */
    Answer read(ZkRequest r, Caller caller, long session) {
        TreeState s0 = state();
        long zxid = s0.lastZxid();
        try {
            return switch (r) {
                case ZkRequest.Exists e -> watched(e.body().watch(), () -> {
                    TreeState s = state();
                    String path = path(e.body().path());
                    Znode node = s.find(path);
                    readable(node, caller);
                    if (e.body().watch()) addWatch(session, path, WatchKind.DATA, caller);
                    return node == null ? Answer.error(ErrorCode.NO_NODE, s.lastZxid()) : Answer.ok(s.lastZxid(), new ExistsResponse(ZkConvert.stat(node.stat())));
                });
                case ZkRequest.GetData g -> watched(g.body().watch(), () -> {
                    TreeState s = state();
                    String path = path(g.body().path());
                    Znode node = existing(s, path);
                    readable(node, caller);
                    if (g.body().watch()) addWatch(session, path, WatchKind.DATA, caller);
                    return Answer.ok(s.lastZxid(), new GetDataResponse(node.data(), ZkConvert.stat(node.stat())));
                });
                case ZkRequest.GetAcl g -> {
                    String path = path(g.body().path());
                    Znode node = existing(s0, path);
                    // As ZooKeeper 3.9: READ or ADMIN; digest hashes are shown only with ADMIN.
                    if (!AclCheck.permits(node.acl(), Acl.READ | Acl.ADMIN, caller.ids())) throw new ZkRefusal(ErrorCode.NO_AUTH, path);
                    List<Acl> acl = AclCheck.permits(node.acl(), Acl.ADMIN, caller.ids()) ? node.acl() : AclCheck.redacted(node.acl());
                    yield Answer.ok(zxid, new GetAclResponse(ZkConvert.wireAcl(acl), ZkConvert.stat(node.stat())));
                }
                case ZkRequest.GetEphemerals g -> {
                    String prefix = g.body().prefixPath() == null ? "/" : g.body().prefixPath();
                    SessionEntry entry = s0.session(session);
                    List<String> out = new ArrayList<>();
                    if (entry != null) for (String p : entry.ephemerals().keys()) if (p.startsWith(prefix)) out.add(p);
                    out.sort(null);
                    yield Answer.ok(zxid, new GetEphemeralsResponse(out));
                }
                case ZkRequest.MultiRead m -> Answer.ok(zxid, multiRead(s0, m, caller));
                case ZkRequest.AddWatch a -> {
                    String path = path(a.body().path());
                    WatchKind kind = switch (a.body().mode()) {
                        case 0 -> WatchKind.PERSISTENT;
                        case 1 -> WatchKind.PERSISTENT_RECURSIVE;
                        default -> throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "unknown addWatch mode " + a.body().mode());
                    };
                    addWatch(session, path, kind, caller);
                    // ZooKeeper's client reads an ErrorResponse (of 0) after a successful addWatch's header.
                    yield Answer.ok(zxid, new ErrorResponse(0));
                }
                case ZkRequest.CheckWatches c -> {
                    String path = path(c.body().path());
                    boolean any = false;
                    for (WatchKind k : kinds(c.body().type())) any |= corral.watches().has(session, path, k);
                    yield any ? Answer.ok(zxid, null) : Answer.error(ErrorCode.NO_WATCHER, zxid);
                }
                case ZkRequest.RemoveWatches rw -> {
                    String path = path(rw.body().path());
                    boolean removed = corral.watches().remove(session, path, kinds(rw.body().type()));
                    yield removed ? Answer.ok(zxid, null) : Answer.error(ErrorCode.NO_WATCHER, zxid);
                }
                case ZkRequest.SetWatches sw -> restore(session, caller, sw.body().relativeZxid(), List.of(
                        restored(sw.body().dataWatches(), WatchRegistry.RestoredKind.DATA),
                        restored(sw.body().existWatches(), WatchRegistry.RestoredKind.EXISTS),
                        restored(sw.body().childWatches(), WatchRegistry.RestoredKind.CHILD)));
                case ZkRequest.SetWatches2 sw -> restore(session, caller, sw.body().relativeZxid(), List.of(
                        restored(sw.body().dataWatches(), WatchRegistry.RestoredKind.DATA),
                        restored(sw.body().existWatches(), WatchRegistry.RestoredKind.EXISTS),
                        restored(sw.body().childWatches(), WatchRegistry.RestoredKind.CHILD),
                        restored(sw.body().persistentWatches(), WatchRegistry.RestoredKind.PERSISTENT),
                        restored(sw.body().persistentRecursiveWatches(), WatchRegistry.RestoredKind.PERSISTENT_RECURSIVE)));
                default -> throw new IllegalArgumentException("not a read answered here: " + r.getClass().getSimpleName());
            };
        } catch (ZkRefusal e) {
            return Answer.error(e.code, zxid);
        }
    }

    /** Directories up to this size are listed on the event loop; listing them takes microseconds. */
    static final int INLINE_CHILDREN_MAX = 1024;

    /**
     * A read whose answer may take long to compute, started here: the checks (and the watch, if asked) at once, the
     * subtree walk of getAllChildrenNumber or the listing of a large directory on a worker thread, so that one client's
     * big read never stalls the event loop that serves other connections. Null if {@code r} is not such a read (answer
     * it with {@link #read}). The node read is immutable: computing on another thread sees the same state.
     */
    Heavy startHeavyRead(ZkRequest r, Caller caller, long session) {
        long zxid0 = corral.state().lastZxid();
        try {
            return switch (r) {
                case ZkRequest.GetAllChildrenNumber g -> {
                    TreeState s = state();
                    Znode node = existing(s, path(g.body().path()));
                    readable(node, caller);
                    long zxid = s.lastZxid();
                    yield new Heavy(zxid, CompletableFuture.supplyAsync(() -> Answer.ok(zxid,
                            new GetAllChildrenNumberResponse((int) Math.min(Integer.MAX_VALUE, descendants(node)))), worker));
                }
                case ZkRequest.GetChildren g -> heavyChildren(session, g.body().path(), g.body().watch(), caller, false);
                case ZkRequest.GetChildren2 g -> heavyChildren(session, g.body().path(), g.body().watch(), caller, true);
                default -> null;
            };
        } catch (ZkRefusal e) {
            return new Heavy(zxid0, CompletableFuture.completedFuture(Answer.error(e.code, zxid0)));
        }
    }

    /**
     * A read computed off the event loop: the answer, and the zxid of the tree it reads. Watch events after that zxid
     * must reach the client after the answer (it may set the watch they fire), those up to it before.
     */
    record Heavy(long zxid, CompletableFuture<Answer> answer) {}

    /**
     * getChildren, or getChildren2 ({@code withStat}): the node read and the watch set in one step; the names listed
     * here if there are few, else on a worker.
     */
    private Heavy heavyChildren(long session, String given, boolean watch, Caller caller, boolean withStat) {
        Listed l = watched(watch, () -> {
            TreeState s = state();
            String path = path(given);
            Znode node = existing(s, path);
            readable(node, caller);
            if (watch) addWatch(session, path, WatchKind.CHILD, caller);
            return new Listed(node, s.lastZxid());
        });
        if (l.node().numChildren() <= INLINE_CHILDREN_MAX) {
            return new Heavy(l.zxid(), CompletableFuture.completedFuture(childrenAnswer(l.zxid(), l.node(), withStat)));
        }
        return new Heavy(l.zxid(), CompletableFuture.supplyAsync(() -> childrenAnswer(l.zxid(), l.node(), withStat), worker));
    }

    /** A directory as a read found it, and the zxid of the tree it was read from. */
    private record Listed(Znode node, long zxid) {}

    private static Answer childrenAnswer(long zxid, Znode node, boolean withStat) {
        return Answer.ok(zxid, withStat ? new GetChildren2Response(node.childNames(), ZkConvert.stat(node.stat()))
                : new GetChildrenResponse(node.childNames()));
    }

    /** The node's tree, if it may serve reads now. */
    TreeState state() {
        NodeStatus s = corral.status();
        if (!s.servesReads()) throw new ZkRefusal(ErrorCode.CONNECTION_LOSS, "node " + s.nodeId() + " cannot serve reads now");
        return corral.state();
    }

    /** Runs a read that may set a watch inside the registry's lock, so that no change is missed between the two. */
    private <T> T watched(boolean watch, java.util.function.Supplier<T> read) {
        if (!watch) return read.get();
        return corral.watches().atomically(read);
    }

    private void addWatch(long session, String path, WatchKind kind, Caller caller) {
        if (!corral.watches().add(session, path, kind, caller.ids())) {
            // Past the session's or the node's quota of watched paths: ZooKeeper has no code for it.
            throw new ZkRefusal(ErrorCode.THROTTLED_OP, "watch quota");
        }
    }

    private static Znode existing(TreeState s, String path) {
        Znode node = s.find(path);
        if (node == null) throw new ZkRefusal(ErrorCode.NO_NODE, path);
        return node;
    }

    /** ZooKeeper 3.9.5 checks READ for exists too, once the znode exists. */
    private static void readable(Znode node, Caller caller) {
        if (node != null && !AclCheck.permits(node.acl(), Acl.READ, caller.ids())) throw new ZkRefusal(ErrorCode.NO_AUTH, "no READ permission");
    }

    private static long descendants(Znode root) {
        long n = 0;
        ArrayDeque<Znode> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Znode z = todo.poll();
            for (String name : z.childNames()) {
                n++;
                todo.add(z.child(name));
            }
        }
        return n;
    }

    private static MultiResponse multiRead(TreeState s, ZkRequest.MultiRead m, Caller caller) {
        List<MultiResult> out = new ArrayList<>(m.body().ops().size());
        for (MultiOp op : m.body().ops()) {
            try {
                out.add(switch (op) {
                    case MultiOp.GetData g -> {
                        Znode node = existing(s, path(g.request().path()));
                        readable(node, caller);
                        yield new MultiResult.GetData(node.data(), ZkConvert.stat(node.stat()));
                    }
                    case MultiOp.GetChildren g -> {
                        Znode node = existing(s, path(g.request().path()));
                        readable(node, caller);
                        yield new MultiResult.GetChildren(node.childNames());
                    }
                    default -> throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "a write in a multiRead");
                });
            } catch (ZkRefusal e) {
                out.add(new MultiResult.Error(e.code.wireCode));
            }
        }
        return new MultiResponse(out);
    }

    /** ZooKeeper's {@code WatcherType}: 1 children, 2 data, 3 any, 4 persistent, 5 persistent recursive. */
    private static Set<WatchKind> kinds(int type) {
        return switch (type) {
            case 1 -> EnumSet.of(WatchKind.CHILD);
            case 2 -> EnumSet.of(WatchKind.DATA);
            case 3 -> EnumSet.allOf(WatchKind.class);
            case 4 -> EnumSet.of(WatchKind.PERSISTENT);
            case 5 -> EnumSet.of(WatchKind.PERSISTENT_RECURSIVE);
            default -> throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "unknown watcher type " + type);
        };
    }

    private static List<WatchRegistry.Restored> restored(List<String> paths, WatchRegistry.RestoredKind kind) {
        if (paths == null) return List.of();
        List<WatchRegistry.Restored> out = new ArrayList<>(paths.size());
        for (String p : paths) out.add(new WatchRegistry.Restored(path(p), kind));
        return out;
    }

    /**
     * setWatches on reconnect: the watches the client had, judged against the zxid it last saw, as ZooKeeper judges
     * them ({@link WatchRegistry#restore}). The client sent the zxid it saw; this node has applied at least that (the
     * handshake waited for it).
     */
    private Answer restore(long session, Caller caller, long lastZxid, List<List<WatchRegistry.Restored>> groups) {
        List<WatchRegistry.Restored> all = new ArrayList<>();
        for (List<WatchRegistry.Restored> g : groups) all.addAll(g);
        int fired = corral.watches().atomically(() -> corral.watches().restore(session, caller.ids(), lastZxid, state(), all));
        long zxid = corral.state().lastZxid();
        return fired < 0 ? Answer.error(ErrorCode.THROTTLED_OP, zxid) : Answer.ok(zxid, null);
    }
}
