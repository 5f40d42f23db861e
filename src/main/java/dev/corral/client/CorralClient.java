package dev.corral.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a Corral cluster over its REST API, needing only the JDK and Jackson.
 *
 * <pre>{@code
 * try (CorralClient client = CorralClient.builder()
 *         .servers("http://127.0.0.1:8181", "http://127.0.0.1:8182", "http://127.0.0.1:8183")
 *         .sessionTimeout(Duration.ofSeconds(10))
 *         .build()) {
 *     client.create("/app", "v1".getBytes(UTF_8));
 *     NodeData d = client.getData("/app", event -> System.out.println("changed: " + event));
 *     client.setData("/app", "v2".getBytes(UTF_8), d.stat().version());
 *     client.create("/app/worker-", null, CreateMode.EPHEMERAL_SEQUENTIAL);
 * }
 * }</pre>
 *
 * <p><b>Nodes.</b> Requests go to one node of the list at a time; when it cannot be reached, or answers that it
 * cannot serve (no leader, not ready), the next becomes current, and the request is retried there if that is safe
 * (see {@link RetryPolicy}). Reads carry the highest zxid the client has seen ({@link #lastZxidSeen()}) as
 * {@code minZxid}, so that a read answered by another node never goes back in time.
 *
 * <p><b>The session</b> is opened on first need: an ephemeral create, a watch, or {@link #session()}. Heartbeats
 * keep it alive in the background, on whichever node is current; the client's session listeners hear of each
 * {@link SessionState}. Operations that need no session never open one. A client has at most one session; once it
 * has expired, calls that need it fail with {@link CorralException.SessionExpiredException}, and a new session
 * needs a new client, as with ZooKeeper.
 *
 * <p><b>Watches</b> arrive on the session's event stream and are delivered to their {@link Watcher}s on one thread
 * of the client's, in zxid order. The stream resumes after a broken connection or a move to another node without
 * losing events (see {@link Watcher}).
 *
 * <p><b>Errors</b> are {@link CorralException}s, typed after ZooKeeper's error codes. Every method is thread-safe.
 * {@link #async()} gives the same operations returning {@link CompletableFuture}s.
 */
public final class CorralClient implements AutoCloseable {
    private final Transport transport;
    private final SessionKeeper keeper;
    private final AsyncCorralClient async;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService dispatch;
    private final Duration requestTimeout;

    CorralClient(CorralClientBuilder b) {
        String name = "corral-client-" + CorralClientBuilder.CLIENTS.incrementAndGet();
        this.httpExecutor = Executors.newCachedThreadPool(daemon(name + "-http"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon(name + "-scheduler"));
        this.dispatch = Executors.newSingleThreadExecutor(daemon(name + "-events"));
        this.requestTimeout = b.requestTimeout;
        String authorization = b.user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (b.user + ":" + b.password).getBytes(StandardCharsets.UTF_8));
        this.transport = new Transport(b.servers, b.connectTimeout, b.requestTimeout, b.retryPolicy, authorization, httpExecutor, scheduler);
        WatchTable watches = new WatchTable();
        this.keeper = new SessionKeeper(transport, scheduler, dispatch, watches, b.sessionTimeout, b.requestTimeout);
        b.listeners.forEach(keeper::addListener);
        this.async = new AsyncCorralClient(transport, keeper, watches);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A builder; at least one server is required. */
    public static CorralClientBuilder builder() {
        return new CorralClientBuilder();
    }

    /** The same operations, asynchronous. */
    public AsyncCorralClient async() {
        return async;
    }

    // ---- session ----

    /**
     * The client's session, opened now ({@code POST /v1/sessions}) if it has none. Its id names it in the Stat of its
     * ephemeral znodes.
     *
     * @throws CorralException.SessionExpiredException if the session has expired or the client was closed
     * @throws CorralException.ConnectionLossException if no node could open it
     */
    public Session session() {
        return join(async.session());
    }

    /** The session's state, or null before a session was opened. */
    public SessionState sessionState() {
        return keeper.state();
    }

    /** Adds a listener of session state changes (see {@link SessionListener} for the thread it runs on). */
    public void addSessionListener(SessionListener listener) {
        keeper.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added before. */
    public void removeSessionListener(SessionListener listener) {
        keeper.removeListener(listener);
    }

    /** The highest zxid seen in any answer or event: no later read by this client is answered from an older tree. */
    public long lastZxidSeen() {
        return transport.lastZxidSeen();
    }

    /** The base URL of the node requests go to now. */
    public URI currentServer() {
        return transport.server(transport.current());
    }

    // ---- create ----

    /** Creates a persistent znode with the default ACL; see {@link #create(String, byte[], CreateOptions)}. */
    public Created create(String path, byte[] data) {
        return join(async.create(path, data));
    }

    /** Creates a znode in {@code mode} with the default ACL; see {@link #create(String, byte[], CreateOptions)}. */
    public Created create(String path, byte[] data, CreateMode mode) {
        return join(async.create(path, data, mode));
    }

    /**
     * Creates a znode. Its parent must exist. An ephemeral mode makes the znode the session's (opening the session if
     * needed); a sequential mode appends a 10-digit counter to {@code path} (which may end in {@code /} to use the
     * counter alone as the name). A create whose outcome is unknown is not retried (see {@link RetryPolicy}).
     *
     * @param path the znode's path
     * @param data its data, or null for none
     * @param options mode, ACL and TTL
     * @return the created path (with the counter) and Stat
     * @throws CorralException.NodeExistsException if the znode exists
     * @throws CorralException.NoNodeException if the parent does not exist
     * @throws CorralException.NoChildrenForEphemeralsException if the parent is ephemeral
     * @throws CorralException.NoAuthException if the parent's ACL does not allow CREATE
     * @throws CorralException.InvalidAclException if the ACL is not valid
     * @throws CorralException.BadArgumentsException for a malformed path, or data over the size limit
     * @throws CorralException.ConnectionLossException if no node could take it, or its outcome is unknown
     */
    public Created create(String path, byte[] data, CreateOptions options) {
        return join(async.create(path, data, options));
    }

    // ---- reads ----

    /** Reads a znode's data and Stat; see {@link #getData(String, Watcher, ReadOptions)}. */
    public NodeData getData(String path) {
        return join(async.getData(path));
    }

    /** Reads a znode's data and Stat, leaving a one-shot watch; see {@link #getData(String, Watcher, ReadOptions)}. */
    public NodeData getData(String path, Watcher watcher) {
        return join(async.getData(path, watcher));
    }

    /**
     * Reads a znode's data and Stat. With a watcher, leaves a one-shot watch (opening the session if needed) that
     * fires once, on the znode's next data change or deletion.
     *
     * @param path the znode's path
     * @param watcher the watcher, or null for no watch
     * @param options consistency and minimum zxid
     * @throws CorralException.NoNodeException if it does not exist (no watch is left)
     * @throws CorralException.NoAuthException if its ACL does not allow READ
     * @throws CorralException.ConnectionLossException if no node could answer within the retries
     */
    public NodeData getData(String path, Watcher watcher, ReadOptions options) {
        return join(async.getData(path, watcher, options));
    }

    /** A znode's Stat, or null if it does not exist; see {@link #exists(String, Watcher, ReadOptions)}. */
    public Stat exists(String path) {
        return join(async.exists(path));
    }

    /** A znode's Stat or null, leaving a one-shot watch; see {@link #exists(String, Watcher, ReadOptions)}. */
    public Stat exists(String path, Watcher watcher) {
        return join(async.exists(path, watcher));
    }

    /**
     * A znode's Stat, or null if it does not exist. With a watcher, leaves a one-shot watch, whether or not the znode
     * exists: it fires on its creation, data change or deletion.
     *
     * @param path the znode's path
     * @param watcher the watcher, or null for no watch
     * @param options consistency and minimum zxid
     * @throws CorralException.NoAuthException if it exists and its ACL does not allow READ
     * @throws CorralException.ConnectionLossException if no node could answer within the retries
     */
    public Stat exists(String path, Watcher watcher, ReadOptions options) {
        return join(async.exists(path, watcher, options));
    }

    /** A znode's children; see {@link #getChildren(String, Watcher, ReadOptions)}. */
    public Children getChildren(String path) {
        return join(async.getChildren(path));
    }

    /** A znode's children, leaving a one-shot watch; see {@link #getChildren(String, Watcher, ReadOptions)}. */
    public Children getChildren(String path, Watcher watcher) {
        return join(async.getChildren(path, watcher));
    }

    /**
     * A znode's children (sorted names) and Stat, in one answer. With a watcher, leaves a one-shot watch that fires
     * when a child is created or deleted, or the znode is deleted. A directory whose names would exceed the node's
     * answer limit (16 MiB by default) is refused with BAD_ARGUMENTS: read it with {@link #getChildrenPage}.
     *
     * @param path the znode's path
     * @param watcher the watcher, or null for no watch
     * @param options consistency and minimum zxid
     * @throws CorralException.NoNodeException if it does not exist (no watch is left)
     * @throws CorralException.NoAuthException if its ACL does not allow READ
     * @throws CorralException.ConnectionLossException if no node could answer within the retries
     */
    public Children getChildren(String path, Watcher watcher, ReadOptions options) {
        return join(async.getChildren(path, watcher, options));
    }

    /**
     * One page of a znode's children: at most {@code limit} names after {@code after} (null: from the first), in
     * sorted order. {@link Children#next()} is the {@code after} of the next page, or null after the last. Pages are
     * separate reads: children created or deleted between two pages may be missed or seen.
     *
     * @param path the znode's path
     * @param after the name to continue after, or null to start
     * @param limit at most this many names, at least 1
     * @param options consistency and minimum zxid
     * @throws CorralException.NoNodeException if it does not exist
     */
    public Children getChildrenPage(String path, String after, int limit, ReadOptions options) {
        return join(async.getChildrenPage(path, after, limit, options));
    }

    // ---- writes ----

    /** Sets a znode's data whatever its version; see {@link #setData(String, byte[], int)}. */
    public Stat setData(String path, byte[] data) {
        return join(async.setData(path, data));
    }

    /**
     * Sets a znode's data if it is at {@code version}. Not retried once its outcome is unknown.
     *
     * @param path the znode's path
     * @param data the data, or null for none
     * @param version the expected version, or -1 for any
     * @return its Stat after the change
     * @throws CorralException.NoNodeException if it does not exist
     * @throws CorralException.BadVersionException if it is at another version
     * @throws CorralException.NoAuthException if its ACL does not allow WRITE
     * @throws CorralException.ConnectionLossException if no node could take it, or its outcome is unknown
     */
    public Stat setData(String path, byte[] data, int version) {
        return join(async.setData(path, data, version));
    }

    /** Deletes a znode whatever its version; see {@link #delete(String, int)}. */
    public void delete(String path) {
        join(async.delete(path));
    }

    /**
     * Deletes a znode if it is at {@code version} and has no children. Not retried once its outcome is unknown.
     *
     * @param path the znode's path
     * @param version the expected version, or -1 for any
     * @throws CorralException.NoNodeException if it does not exist
     * @throws CorralException.BadVersionException if it is at another version
     * @throws CorralException.NotEmptyException if it has children
     * @throws CorralException.NoAuthException if its parent's ACL does not allow DELETE
     * @throws CorralException.ConnectionLossException if no node could take it, or its outcome is unknown
     */
    public void delete(String path, int version) {
        join(async.delete(path, version));
    }

    // ---- ACLs ----

    /**
     * A znode's ACL and Stat.
     *
     * @throws CorralException.NoNodeException if it does not exist
     * @throws CorralException.NoAuthException if its ACL allows neither READ nor ADMIN
     */
    public NodeAcl getAcl(String path) {
        return join(async.getAcl(path));
    }

    /**
     * Replaces a znode's ACL if its ACL version ({@link Stat#aversion()}) is {@code aclVersion}.
     *
     * @param path the znode's path
     * @param acl the new ACL
     * @param aclVersion the expected ACL version, or -1 for any
     * @return the ACL as set, and the Stat after the change
     * @throws CorralException.NoNodeException if it does not exist
     * @throws CorralException.BadVersionException if its ACL is at another version
     * @throws CorralException.NoAuthException if its ACL does not allow ADMIN
     * @throws CorralException.InvalidAclException if the ACL is not valid
     */
    public NodeAcl setAcl(String path, List<Acl> acl, int aclVersion) {
        return join(async.setAcl(path, acl, aclVersion));
    }

    // ---- multi, sync ----

    /**
     * Applies {@code ops} all or nothing, at one zxid, in order; each sees the effects of those before it. An
     * ephemeral create among them makes the multi the session's. Not retried once its outcome is unknown.
     *
     * @return one result per operation, in order
     * @throws CorralException the failing operation's exception ({@link CorralException.NoNodeException},
     *     {@link CorralException.BadVersionException}…), with {@link CorralException#results()} giving every
     *     operation's result and {@link CorralException#failedOp()} the failing one's index; nothing changed
     */
    public List<OpResult> multi(List<Op> ops) {
        return join(async.multi(ops));
    }

    /**
     * ZooKeeper's sync: returns once the current node has applied every write the leader had accepted when it was
     * asked, so that reads that follow see them.
     *
     * @return the zxid the node has applied
     */
    public long sync() {
        return join(async.sync());
    }

    // ---- cluster, sessions ----

    /**
     * The cluster's members and roles, as the current node sees them: the leader and term it knows, and each member as
     * that member reports itself (or unreachable).
     *
     * @throws CorralException.ConnectionLossException if no node could answer within the retries
     */
    public ClusterStatus cluster() {
        return join(async.cluster());
    }

    /**
     * A session of the cluster's, described: any session, not only this client's, given its secret. Opens no session.
     *
     * @param id the session id, 16 hex digits
     * @param secret the session's secret, which the cluster requires; null sends none (the cluster then refuses)
     * @throws CorralException.SessionExpiredException if the cluster has no such session (it expired or was closed)
     * @throws CorralException.AuthFailedException if the secret is missing or wrong
     * @throws CorralException.BadArgumentsException if {@code id} is not 16 hex digits
     */
    public SessionInfo sessionInfo(String id, String secret) {
        return join(async.sessionInfo(id, secret));
    }

    // ---- persistent watches ----

    /**
     * Adds a persistent watch on {@code path} (which need not exist), opening the session if needed. It stays until
     * removed ({@link #removeWatches}) or the session ends, and survives moves to other nodes.
     *
     * @param path the watched path
     * @param mode {@link WatchMode#PERSISTENT}: every event of the znode; {@link WatchMode#PERSISTENT_RECURSIVE}: created,
     *     deleted and data changed events of it and every znode below it
     * @param watcher receives the events
     * @throws CorralException.BadArgumentsException if the session watches as many paths as it may
     */
    public void addWatch(String path, WatchMode mode, Watcher watcher) {
        join(async.addWatch(path, mode, watcher));
    }

    /**
     * Removes every watch of {@code type} this session has on {@code path}, with all their watchers.
     *
     * @throws CorralException.NoWatcherException if the session has no such watch there
     */
    public void removeWatches(String path, WatchType type) {
        join(async.removeWatches(path, type));
    }

    // ---- lifecycle ----

    /**
     * Closes the session, if one is open (its ephemeral znodes go at once; listeners hear CLOSED), waiting at most the
     * request timeout for that, then stops the client's threads and connections. Calls afterwards fail.
     */
    @Override
    public void close() {
        try {
            keeper.close().get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Best effort: the session expires by itself.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
        scheduler.shutdownNow();
        // Listeners still get what is queued (CLOSED); nothing waits for them.
        dispatch.shutdown();
        httpExecutor.shutdown();
    }

    /** The future's value; its {@link CorralException} rethrown on this thread. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = AsyncCorralClient.cause(e.getCause());
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new CorralException(ErrorCode.SYSTEM_ERROR, "unexpected failure: " + cause, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorralException.ConnectionLossException("interrupted while waiting for the answer; the outcome is unknown", null, e,
                    true);
        }
    }
}
