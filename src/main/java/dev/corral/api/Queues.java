package dev.corral.api;

import dev.corral.node.Corral;
import dev.corral.tree.AclCheck;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.SessionEntry;
import dev.corral.tree.TreeState;
import dev.corral.tree.Znode;
import dev.corral.txn.Acl;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared core of the lock and election endpoints: a fair queue of sessions under one znode,
 * {@code /corral/<kind>/<name>}.
 *
 * <p>A session joins by creating the ephemeral sequential child {@code <session id>-<10 digits>}; the child first in
 * sequence order is the head (the lock's holder, the election's leader). Only children named that way count; anything
 * else a client puts there is ignored. The head's fencing token is its child's czxid, the zxid of the write that put
 * it in the queue: every later head joined later, so tokens of successive heads only grow.
 *
 * <p>A queue belongs to sessions, not requests: a session is in a queue at most once, and joining again finds its place
 * (so a retry after a lost answer is safe). The place goes when the session releases it, or ends.
 *
 * <p>Waiting happens here, not in the client: a request that is not at the head waits until the queue's znode
 * changes, its deadline passes, or its connection closes, and it leaves the queue in the last two cases. While it
 * waits it keeps its session alive, as a client that is still waiting is still there. Waiting costs no thread: every
 * change of the served tree compares each waiter's queue znode with the one it last judged (the tree is persistent,
 * so an unchanged queue is the same object).
 */
@ApplicationScoped
class Queues {
    /** The znode under which every queue of a kind lives ({@code /corral/locks}, {@code /corral/elections}). */
    static final String ROOT = "/corral";
    /** Requests waiting at once on this node, over all queues. */
    static final int WAITERS_MAX = 10_000;
    /** Members of one queue; joining a longer one is refused. */
    static final int QUEUE_LENGTH_MAX = 1_000;
    /** The longest a request may wait. */
    static final long WAIT_MS_MAX = 300_000;
    private static final long CONNECTION_CHECK_MS = 500;

    enum Kind {
        LOCKS("locks"), ELECTIONS("elections");

        final String dir;

        Kind(String dir) {
            this.dir = dir;
        }

        String path(String name) {
            return ROOT + "/" + dir + "/" + name;
        }
    }

    /** A queue's member: its session, its child's path, and the zxid that created it (the fencing token). */
    record Member(long session, String path, long token, byte[] data) {}

    /** What a queue looks like: its head (null if empty) and how many members it has. */
    record View(Member head, int length) {}

    @Inject
    Corral corral;

    @Inject
    Outcomes outcomes;

    @Inject
    Vertx vertx;

    private final Set<Entry> waiters = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();

    @PostConstruct
    void listen() {
        corral.addPublishedListener(this::published);
    }

    /** Queue names: one path segment, so that a name can never reach outside its queue. */
    static String validName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw ApiException.badArguments("a name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit; got \""
                    + (name == null ? "" : name.length() > 140 ? name.substring(0, 140) + "…" : name) + "\"", null);
        }
        return name;
    }

    /**
     * The queue as this node's tree shows it now. Null if the caller may not READ the queue's znode: who holds a
     * lock is as private as the znode's children.
     */
    View view(TreeState state, String dir, Caller caller) {
        Znode queue = state.find(dir);
        if (queue == null) return new View(null, 0);
        if (!AclCheck.permits(queue.acl(), Acl.READ, caller.ids())) return null;
        Scan s = scan(queue);
        return new View(s.head == null ? null : member(queue, dir, s.head), s.length);
    }

    /** The paths of every child {@code session} has in the queue (normally one, none if it is not in it). */
    java.util.List<String> places(TreeState state, String dir, long session) {
        Znode queue = state.find(dir);
        if (queue == null) return java.util.List.of();
        String prefix = Sessions.format(session) + "-";
        java.util.List<String> out = new java.util.ArrayList<>(1);
        for (String name : queue.childNames()) {
            if (name.startsWith(prefix) && sequenceOf(name) >= 0) out.add(dir + "/" + name);
        }
        return out;
    }

    /**
     * Joins the queue {@code dir} as the caller's session (or finds its place) and completes once the session is at
     * its head, with the head. Fails with {@code notHead} (whose head the failure names, if the caller may read it)
     * once {@code waitMs} has passed, leaving the queue; with SESSION_EXPIRED if the session ends meanwhile.
     */
    CompletionStage<Member> enter(String dir, Caller caller, byte[] data, long waitMs, int sessionTimeoutMs, HttpConnection connection,
            String notHeadCode, String notHeadWhat) {
        if (waitMs < 0 || waitMs > WAIT_MS_MAX) {
            throw ApiException.badArguments("waitMs must be between 0 and " + WAIT_MS_MAX + ", was " + waitMs, dir);
        }
        Entry e = new Entry(dir, caller, data, System.nanoTime() + waitMs * 1_000_000L, connection, notHeadCode, notHeadWhat);
        join(e);
        if (waitMs > 0) {
            long touchMs = Math.max(100, sessionTimeoutMs / 3);
            long checkMs = Math.min(CONNECTION_CHECK_MS, touchMs);
            long periodic = vertx.setPeriodic(checkMs, id -> e.tick(checkMs, touchMs));
            long deadline = vertx.setTimer(waitMs, id -> e.wake.complete(null));
            e.result.whenComplete((m, t) -> {
                vertx.cancelTimer(periodic);
                vertx.cancelTimer(deadline);
            });
        }
        return e.result;
    }

    /** The session a queue request names, once it has proven it may act as it; the request counts as a heartbeat. */
    static SessionEntry session(Corral corral, HttpServerRequest request, String idText, String dir) {
        long id = Sessions.parse(idText);
        if (id == 0) throw ApiException.badArguments("a session is required (\"session\": 16 hex digits)", dir);
        SessionEntry s = Sessions.entry(corral, request, id, dir);
        corral.touchSession(id);
        return s;
    }

    /** The queue for a GET: as this node shows it, or after a linearizable barrier; NO_AUTH if the caller may not read it. */
    CompletionStage<View> read(String dir, String consistency, Caller caller) {
        CompletableFuture<dev.corral.replica.Outcome> gate = ReadGates.gate(corral, consistency, null, dir);
        CompletionStage<Long> ready = gate == null ? CompletableFuture.completedFuture(0L) : outcomes.await(gate, dir, (r, z) -> z);
        return ready.thenApply(z -> {
            View v = view(Reads.state(corral), dir, caller);
            if (v == null) throw new ApiException(ErrorCode.NO_AUTH, "no READ permission", dir);
            return v;
        });
    }

    /**
     * Leaves the queue: deletes every child of the caller's session in it, after catching up with the leader (the
     * session may have joined through another node). NO_NODE if it was not in the queue.
     */
    CompletionStage<Integer> leave(String dir, Caller caller, String what) {
        return outcomes.await(corral.sync(), dir, (r, z) -> z).thenCompose(o -> {
            java.util.List<String> own = places(corral.state(), dir, caller.sessionId());
            if (own.isEmpty()) {
                throw new ApiException(ErrorCode.NO_NODE, "session " + Sessions.format(caller.sessionId()) + " is not in " + what, dir);
            }
            CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
            for (String path : own) {
                done = done.thenCompose(n -> deletePlace(path, caller).thenApply(deleted -> deleted ? n + 1 : n).toCompletableFuture());
            }
            return done;
        });
    }

    /** Deletes a member's child: true once deleted, false if it was gone already; any other failure fails. */
    private CompletionStage<Boolean> deletePlace(String path, Caller caller) {
        return outcomes.await(corral.write(new Op.Delete(path, -1), caller), path, (r, z) -> true).exceptionally(t -> {
            if (unwrap(t) instanceof ApiException a && a.code == ErrorCode.NO_NODE) return false;
            throw new CompletionException(unwrap(t));
        });
    }

    // ---- joining ----

    /** Finds or takes the session's place, then judges the queue (on a worker: never on the node's own thread). */
    private void join(Entry e) {
        try {
            findOrJoin(e, 0).thenAcceptAsync(path -> {
                e.own = path;
                round(e);
            }, Infrastructure.getDefaultWorkerPool()).exceptionally(t -> {
                e.result.completeExceptionally(unwrap(t));
                return null;
            });
        } catch (RuntimeException x) {
            e.result.completeExceptionally(x);
        }
    }

    private CompletionStage<String> findOrJoin(Entry e, int attempt) {
        TreeState state = corral.state();
        java.util.List<String> own = places(state, e.dir, e.caller.sessionId());
        // One session's children differ only in their fixed-width sequence: the smallest name is the first in line.
        if (!own.isEmpty()) return CompletableFuture.completedFuture(java.util.Collections.min(own));
        Znode queue = state.find(e.dir);
        if (queue != null && queue.numChildren() >= QUEUE_LENGTH_MAX) {
            throw new ApiException(ErrorCode.THROTTLED_OP, "the queue " + e.dir + " already has " + queue.numChildren()
                    + " members (at most " + QUEUE_LENGTH_MAX + ")", e.dir);
        }
        String prefix = e.dir + "/" + Sessions.format(e.caller.sessionId()) + "-";
        Op.Create create = new Op.Create(prefix, e.data, null, CreateMode.EPHEMERAL_SEQUENTIAL, -1);
        return outcomes.await(corral.write(create, e.caller), e.dir, (r, z) -> ((OpResult.Created) r).path())
                .handle((path, t) -> {
                    if (t == null) return CompletableFuture.completedFuture(path);
                    Throwable cause = unwrap(t);
                    if (cause instanceof ApiException a && a.code == ErrorCode.NO_NODE && attempt < 3) {
                        // The queue's znode is missing, or was reaped (it is a container) between two steps.
                        return ensure(ROOT, CreateMode.PERSISTENT, e.caller)
                                .thenCompose(x -> ensure(parentOf(e.dir), CreateMode.PERSISTENT, e.caller))
                                .thenCompose(x -> ensure(e.dir, CreateMode.CONTAINER, e.caller))
                                .thenCompose(x -> findOrJoin(e, attempt + 1));
                    }
                    return CompletableFuture.<String>failedFuture(cause);
                }).thenCompose(s -> s);
    }

    /** Creates {@code path} unless it exists. */
    private CompletionStage<Void> ensure(String path, CreateMode mode, Caller caller) {
        if (corral.state().find(path) != null) return CompletableFuture.completedFuture(null);
        Op.Create create = new Op.Create(path, new byte[0], null, mode, -1);
        return outcomes.await(corral.write(create, caller), path, (r, z) -> (Void) null).exceptionally(t -> {
            if (unwrap(t) instanceof ApiException a && a.code == ErrorCode.NODE_EXISTS) return null;
            throw new CompletionException(unwrap(t));
        });
    }

    // ---- waiting ----

    /** Judges the queue as the served tree shows it now; completes, fails, or waits for the next change. */
    private void round(Entry e) {
        try {
            if (e.result.isDone()) return;
            TreeState state = corral.state();
            Znode queue = state.find(e.dir);
            String ownName = e.own.substring(e.dir.length() + 1);
            if (queue == null || queue.child(ownName) == null) {
                lostPlace(e, state);
                return;
            }
            Scan s = scan(queue);
            if (ownName.equals(s.head)) {
                e.result.complete(member(queue, e.dir, ownName));
                return;
            }
            if (e.cancelled) {
                leaveAfter(e, new ApiException(ErrorCode.CONNECTION_LOSS, "the client went away while waiting", e.dir));
                return;
            }
            if (System.nanoTime() - e.deadlineNanos >= 0) {
                View v = view(state, e.dir, e.caller);
                Map<String, Object> extra = v == null || v.head == null ? Map.of()
                        : Map.of("holder", Map.of("session", Sessions.format(v.head.session()), "token", v.head.token()));
                leaveAfter(e, new ApiException(409, e.notHeadCode, e.notHeadWhat, e.dir, extra));
                return;
            }
            e.seen = queue;
            e.wake = new CompletableFuture<>();
            if (waiting.incrementAndGet() > WAITERS_MAX) {
                waiting.decrementAndGet();
                leaveAfter(e, new ApiException(ErrorCode.THROTTLED_OP, "this node already has " + WAITERS_MAX
                        + " requests waiting in queues; retry later, or through another node", e.dir));
                return;
            }
            waiters.add(e);
            // A change published between reading the state and joining the waiters would have been missed.
            if (corral.state().find(e.dir) != queue) e.wake.complete(null);
            e.wake.thenRunAsync(() -> {
                waiters.remove(e);
                waiting.decrementAndGet();
                round(e);
            }, Infrastructure.getDefaultWorkerPool());
        } catch (RuntimeException x) {
            e.result.completeExceptionally(x);
        }
    }

    /** The session's child is gone: the session ended, or someone deleted the child. */
    private void lostPlace(Entry e, TreeState state) {
        long id = e.caller.sessionId();
        if (state.session(id) == null) {
            e.result.completeExceptionally(Sessions.expired(id, e.dir));
        } else if (e.rejoins++ < 3 && !e.cancelled) {
            join(e);
        } else {
            e.result.completeExceptionally(new ApiException(ErrorCode.CONNECTION_LOSS, "the session's place in " + e.dir
                    + " was deleted by someone else, again and again", e.dir));
        }
    }

    /** Leaves the queue, then fails with {@code failure}; if leaving fails, says so (the place may still be held). */
    private void leaveAfter(Entry e, ApiException failure) {
        deletePlace(e.own, e.caller).whenComplete((deleted, t) -> {
            Throwable cause = t == null ? null : unwrap(t);
            if (cause == null) {
                e.result.completeExceptionally(failure);
            } else {
                e.result.completeExceptionally(new ApiException(503, ErrorCode.CONNECTION_LOSS, failure.getMessage()
                        + "; leaving the queue failed too (" + cause.getMessage() + "), so the session may still be in it:"
                        + " release it", e.dir, Map.of()));
            }
        });
    }

    private void published() {
        if (waiters.isEmpty()) return;
        TreeState state = corral.state();
        for (Entry e : waiters) {
            if (state.find(e.dir) != e.seen) e.wake.complete(null);
        }
    }

    // ---- the queue's order ----

    private record Scan(String head, int length) {}

    private static Scan scan(Znode queue) {
        String head = null;
        long headSeq = Long.MAX_VALUE;
        int length = 0;
        for (String name : queue.childNames()) {
            long seq = sequenceOf(name);
            if (seq < 0) continue;
            length++;
            if (seq < headSeq) {
                headSeq = seq;
                head = name;
            }
        }
        return new Scan(head, length);
    }

    /** The sequence number of a member's child name, {@code <16 hex>-<10 digits>}; -1 for any other name. */
    static long sequenceOf(String name) {
        if (name.length() != 27 || name.charAt(16) != '-') return -1;
        for (int i = 0; i < 16; i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return -1;
        }
        long seq = 0;
        for (int i = 17; i < 27; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            seq = seq * 10 + (c - '0');
        }
        return seq;
    }

    private static Member member(Znode queue, String dir, String name) {
        Znode child = queue.child(name);
        return new Member(Long.parseUnsignedLong(name.substring(0, 16), 16), dir + "/" + name, child.czxid(), child.data());
    }

    private static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }

    /** One request in a queue. */
    private final class Entry {
        final String dir;
        final Caller caller;
        final byte[] data;
        final long deadlineNanos;
        final HttpConnection connection;
        final String notHeadCode;
        final String notHeadWhat;
        final CompletableFuture<Member> result = new CompletableFuture<>();
        volatile String own;
        volatile Znode seen;
        volatile CompletableFuture<Void> wake = new CompletableFuture<>();
        volatile boolean cancelled;
        int rejoins;
        private long sinceTouchMs;

        Entry(String dir, Caller caller, byte[] data, long deadlineNanos, HttpConnection connection, String notHeadCode,
                String notHeadWhat) {
            this.dir = dir;
            this.caller = caller;
            this.data = data;
            this.deadlineNanos = deadlineNanos;
            this.connection = connection;
            this.notHeadCode = notHeadCode;
            this.notHeadWhat = notHeadWhat;
        }

        /** Every few hundred ms while waiting: keep the session alive, notice a closed connection and the deadline. */
        void tick(long checkMs, long touchMs) {
            sinceTouchMs += checkMs;
            if (sinceTouchMs >= touchMs) {
                sinceTouchMs = 0;
                corral.touchSession(caller.sessionId());
            }
            if (connection instanceof ConnectionBase base && !base.channel().isActive()) cancelled = true;
            if (cancelled || System.nanoTime() - deadlineNanos >= 0) wake.complete(null);
        }
    }
}
