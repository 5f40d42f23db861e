package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.NodeData;
import dev.corral.client.ReadOptions;
import dev.corral.client.SessionState;
import dev.corral.client.Stat;
import dev.corral.client.Watcher;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows one znode, typically a configuration: holds its latest data and Stat (or its absence), and tells a listener
 * when that changes.
 *
 * <pre>{@code
 * try (RenewingClient clients = new RenewingClient(() -> CorralClient.builder().servers(urls).build());
 *         ConfigWatcher config = new ConfigWatcher(clients, "/app/config", v -> reload(v))) {
 *     config.start();
 *     Optional<NodeData> now = config.current();
 * }
 * }</pre>
 *
 * <p><b>Guarantees.</b> After every event of its watch it reads the znode again, leaving a new watch with the same
 * read, so no change goes unseen: when changes stop, {@link #current()} settles on the znode's latest state, and the
 * listener's last call holds it. Changes in quick succession may be seen as one (the listener gets whole values, not
 * each change). Values never go back in time, even across clients: each read asks for a tree at least as recent as
 * the last one seen.
 *
 * <p><b>Connection loss and expiry.</b> The client keeps the watch across a move to another node and restores it after
 * a {@code resync}; the watcher also reads again each time the client reaches the cluster again. When the session
 * expires (a watch needs one), the watcher asks the client supplier for a client: a {@link RenewingClient} gives one
 * with a fresh session, on which it reads and watches again, so it recovers without help. With a fixed client it stops
 * following on expiry, and {@link #current()} keeps the last value read.
 *
 * <p><b>Threads.</b> The watcher works on a thread of its own and calls the listener on another, one call at a time,
 * in order. Methods are thread-safe.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.corral.client.recipes");
    private static final Duration CALL_WAIT = Duration.ofSeconds(60);

    private final ClientSource source;
    private final String path;
    private final Consumer<Optional<NodeData>> listener;
    private final RecipeThread thread;
    /** Reads again on any event of the znode. */
    private final Watcher watcher;

    /** The latest value read; null before the first read. */
    private volatile Optional<NodeData> value;
    private volatile boolean following;
    // Touched only on the watcher's thread.
    private boolean started;
    private boolean closed;
    /** The highest zxid seen by any client this watcher used: no later read is answered from an older tree. */
    private long minZxid;
    private int failures;

    /** A watcher of {@code path} through {@code client}; it stops following if the client's session expires. */
    public ConfigWatcher(CorralClient client, String path, Consumer<Optional<NodeData>> listener) {
        this(() -> client, path, listener);
    }

    /**
     * A watcher of {@code path}.
     *
     * @param clients gives the client to read and watch with, again after a session expired (see {@link RenewingClient})
     * @param path the znode followed
     * @param listener told of each new value (empty: the znode does not exist); null for none
     */
    public ConfigWatcher(Supplier<CorralClient> clients, String path, Consumer<Optional<NodeData>> listener) {
        this.path = DistributedLock.checkPath(path);
        this.listener = listener;
        this.source = new ClientSource(clients, this::sessionChanged);
        this.thread = new RecipeThread("corral-config-" + path, this::step);
        this.watcher = event -> thread.requestStep();
    }

    /**
     * Reads the znode and starts following it. Returns once the first read is done, so that {@link #current()} holds
     * it (the listener hears it too). If the first read fails, its exception is thrown here, and the watcher keeps
     * trying in the background.
     */
    public void start() {
        CorralException first = thread.call(() -> {
            if (closed) throw new IllegalStateException("the watcher is closed");
            if (started) return null;
            started = true;
            following = true;
            return follow();
        }, CALL_WAIT);
        if (first != null) throw first;
    }

    /** The znode's latest data and Stat as read, or empty if it does not exist (or was not read yet). */
    public Optional<NodeData> current() {
        Optional<NodeData> v = value;
        return v == null ? Optional.empty() : v;
    }

    /** Whether the watcher follows the znode: started, not closed, and it has a client whose session lives. */
    public boolean isFollowing() {
        return following;
    }

    /** Stops following; the listener hears nothing more. */
    @Override
    public void close() {
        try {
            thread.call(() -> {
                closed = true;
                following = false;
                return null;
            }, CALL_WAIT);
        } finally {
            thread.close();
            source.close();
        }
    }

    private void sessionChanged(CorralClient c, SessionState state) {
        // Back in touch (perhaps with another node), or the session ended: read again, on a new client if need be.
        if (state == SessionState.RECONNECTED || state == SessionState.EXPIRED || state == SessionState.CLOSED) thread.requestStep();
    }

    private void step() {
        if (started && !closed) follow();
    }

    /** Reads the znode and watches it again; on failure, tries again later. Returns the failure, or null. */
    private CorralException follow() {
        CorralClient c;
        try {
            c = source.client();
        } catch (IllegalStateException e) {
            stop("the client supplier failed: " + e.getMessage());
            return null;
        }
        if (ClientSource.ended(c)) {
            stop("its session ended and the client supplier gave no fresh one");
            return null;
        }
        try {
            read(c);
            failures = 0;
            return null;
        } catch (CorralException e) {
            LOG.log(System.Logger.Level.DEBUG, "watcher of " + path + " failed to read, trying again: " + e);
            if (e instanceof CorralException.SessionExpiredException) {
                thread.requestStep();
            } else {
                thread.requestStepAfter(RecipeThread.retryDelayMs(failures++));
            }
            return e;
        }
    }

    private void stop(String why) {
        following = false;
        LOG.log(System.Logger.Level.WARNING, "watcher of " + path + " stops following: " + why);
    }

    /** Reads the znode's data (or its absence), leaving a watch with the same read. */
    private void read(CorralClient c) {
        ReadOptions options = ReadOptions.atLeast(minZxid);
        Optional<NodeData> now;
        while (true) {
            try {
                now = Optional.of(c.getData(path, watcher, options));
                break;
            } catch (CorralException.NoNodeException e) {
                // No data watch on a missing znode: an exists watch hears its creation.
                if (c.exists(path, watcher, options) == null) {
                    now = Optional.empty();
                    break;
                }
            }
        }
        minZxid = Math.max(minZxid, c.lastZxidSeen());
        if (!same(value, now)) {
            value = now;
            Optional<NodeData> told = now;
            if (listener != null) thread.tell(() -> listener.accept(told));
        }
    }

    /** Whether two reads saw the same version of the znode (or both its absence); {@code a} is null before the first read. */
    private static boolean same(Optional<NodeData> a, Optional<NodeData> b) {
        if (a == null) return false;
        if (a.isEmpty() || b.isEmpty()) return a.isEmpty() && b.isEmpty();
        Stat x = a.get().stat();
        Stat y = b.get().stat();
        return x.czxid() == y.czxid() && x.mzxid() == y.mzxid();
    }
}
