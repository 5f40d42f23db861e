package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.SessionState;
import dev.corral.client.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Group membership: each member is an ephemeral znode {@code <group>/<memberId>} holding the member's data, which
 * lives as long as the member's session. Anyone can list the members, and a listener hears every change.
 *
 * <pre>{@code
 * GroupMembership workers = new GroupMembership(client, "/app/workers", ids -> rebalance(ids));
 * workers.start();
 * workers.join("worker-3", "10.0.0.3:9000".getBytes(UTF_8));
 * }</pre>
 *
 * <p><b>Guarantees.</b> Member ids are unique within the group: a second join with an id in use by another session
 * fails with {@link CorralException.NodeExistsException}. The listener's lists follow the group's history in order;
 * after changes that come in quick succession it may skip intermediate lists, never the latest. A member that crashes
 * leaves the group when the cluster expires its session (after the session timeout).
 *
 * <p><b>Watching.</b> The group watches its children with one-shot watches set again after each event, after the client
 * reached the cluster again (a move to another node), and on a new client after an expiry, re-reading the list each
 * time, so that no change stays unseen.
 *
 * <p><b>Connection loss and expiry.</b> While the client is cut off, this instance is still a member as far as it
 * knows. When its session ends, its membership ends: {@link #isMember()} is false from then on, and the listener hears
 * {@link MembershipListener#membershipLost()}; so it does if its znode is deleted. It does not join again by itself:
 * {@link #join} again, which asks the client supplier for a client (a {@link RenewingClient} gives one with a fresh
 * session; a fixed client fails with {@link CorralException.SessionExpiredException}). A join whose create has an
 * unknown outcome is resolved by the znode's owner.
 *
 * <p><b>Threads.</b> The group works on a thread of its own (joins and leaves wait for it) and calls the listener on
 * another. Methods are thread-safe.
 */
public final class GroupMembership implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.corral.client.recipes");
    /** How long a join or a leave waits for the group's thread. */
    private static final Duration CALL_WAIT = Duration.ofSeconds(60);

    /** This instance's membership: the client whose session owns its znode. */
    private record Membership(CorralClient client, String id, String path) {}

    private final ClientSource source;
    private final String groupPath;
    private final MembershipListener listener;
    private final RecipeThread thread;
    private final Watcher watcher;

    /** Null while not a member. Written on the group's thread. */
    private volatile Membership membership;
    // Touched only on the group's thread.
    private boolean watching;
    private boolean closed;
    private List<String> lastMembers;
    private int failures;

    /** A group at {@code groupPath} for {@code client}. */
    public GroupMembership(CorralClient client, String groupPath, MembershipListener listener) {
        this(() -> client, groupPath, listener);
    }

    /**
     * A group at {@code groupPath}.
     *
     * @param clients gives the client to join and watch with, again after a session expired (see {@link RenewingClient})
     * @param groupPath the group's znode (created, persistent, if missing)
     * @param listener hears of the members and of this instance's membership lost; null for none
     */
    public GroupMembership(Supplier<CorralClient> clients, String groupPath, MembershipListener listener) {
        this.groupPath = DistributedLock.checkPath(groupPath);
        this.listener = listener;
        this.source = new ClientSource(clients, this::sessionChanged);
        this.thread = new RecipeThread("corral-group-" + groupPath, this::step);
        this.watcher = event -> thread.requestStep();
    }

    /** Starts watching the members: the listener hears the current list, then every change. */
    public void start() {
        thread.call(() -> {
            watching = true;
            thread.requestStep();
            return null;
        }, CALL_WAIT);
    }

    /**
     * Joins the group as {@code memberId} with {@code data}, creating the ephemeral znode {@code <group>/<memberId>}.
     *
     * @throws IllegalStateException if this instance is a member already
     * @throws IllegalArgumentException if the id is empty or holds a slash
     * @throws CorralException.NodeExistsException if another session is a member with that id
     * @throws CorralException.SessionExpiredException if the client supplier gave a client whose session has ended
     */
    public void join(String memberId, byte[] data) {
        Objects.requireNonNull(memberId, "memberId");
        if (memberId.isEmpty() || memberId.contains("/")) throw new IllegalArgumentException("a member id is a znode name: " + memberId);
        thread.call(() -> {
            if (closed) throw new IllegalStateException("the group is closed");
            Membership m = membership;
            if (m != null && !ClientSource.ended(m.client())) throw new IllegalStateException("already a member, as " + m.id());
            if (m != null) lose(m, "its session ended");
            CorralClient c = source.client();
            String path = groupPath + "/" + memberId;
            RetryingWrites.ensurePath(c, groupPath);
            RetryingWrites.createOwnEphemeral(c, path, data);
            membership = new Membership(c, memberId, path);
            thread.requestStep();
            return null;
        }, CALL_WAIT);
    }

    /**
     * Leaves the group: deletes this instance's znode. Does nothing if it is not a member.
     *
     * @throws CorralException.ConnectionLossException if the znode could not be deleted; it goes when the session ends
     */
    public void leave() {
        thread.call(() -> {
            Membership m = membership;
            membership = null;
            if (m != null && !ClientSource.ended(m.client())) RetryingWrites.deleteIfExists(m.client(), m.path());
            return null;
        }, CALL_WAIT);
    }

    /** Whether this instance is a member: it joined, has not left, and its session has not ended as far as it knows. */
    public boolean isMember() {
        Membership m = membership;
        return m != null && !ClientSource.ended(m.client());
    }

    /**
     * The members now, with their data, read from the cluster (one read for the list, one per member).
     *
     * @return the members, sorted by id; empty if the group's znode does not exist
     */
    public List<Member> members() {
        CorralClient c = source.client();
        List<String> ids;
        try {
            ids = c.getChildren(groupPath).names();
        } catch (CorralException.NoNodeException e) {
            return List.of();
        }
        List<Member> out = new ArrayList<>();
        for (String id : ids) {
            try {
                out.add(new Member(id, c.getData(groupPath + "/" + id).data()));
            } catch (CorralException.NoNodeException e) {
                // Left since the listing.
            }
        }
        return out;
    }

    /**
     * Leaves the group (if a member) and stops watching; the listener hears nothing more.
     *
     * @throws CorralException.ConnectionLossException if the znode could not be deleted; it goes when the session ends
     */
    @Override
    public void close() {
        try {
            thread.call(() -> {
                closed = true;
                Membership m = membership;
                membership = null;
                if (m != null && !ClientSource.ended(m.client())) RetryingWrites.deleteIfExists(m.client(), m.path());
                return null;
            }, CALL_WAIT);
        } finally {
            thread.close();
            source.close();
        }
    }

    private void sessionChanged(CorralClient c, SessionState state) {
        // Back in touch (perhaps on another node), or ended: look again. A disconnection changes nothing yet.
        if (state != SessionState.DISCONNECTED) thread.requestStep();
    }

    /** One look at the group, on its thread: notice a lost membership, re-read the members and watch again. */
    private void step() {
        if (closed) return;
        Membership m = membership;
        if (m != null && ClientSource.ended(m.client())) {
            lose(m, "its session ended");
            m = null;
        }
        if (!watching && m == null) return;
        CorralClient c;
        try {
            c = source.client();
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "group " + groupPath + " stops watching: " + e.getMessage());
            return;
        }
        if (ClientSource.ended(c)) {
            LOG.log(System.Logger.Level.WARNING, "group " + groupPath + " stops watching: its session ended and the client supplier"
                    + " gave no fresh one");
            return;
        }
        try {
            List<String> ids = readMembers(c);
            failures = 0;
            if (m != null && m.client() == c && !ids.contains(m.id())) lose(m, "its znode " + m.path() + " was deleted");
            if (watching && listener != null && !ids.equals(lastMembers)) {
                lastMembers = ids;
                thread.tell(() -> listener.membersChanged(ids));
            }
        } catch (CorralException e) {
            LOG.log(System.Logger.Level.DEBUG, "group " + groupPath + " step failed, trying again: " + e);
            if (e instanceof CorralException.SessionExpiredException) {
                thread.requestStep();
            } else {
                thread.requestStepAfter(RecipeThread.retryDelayMs(failures++));
            }
        }
    }

    /** The member ids, sorted, leaving a children watch (or, if the group's znode is missing, an exists watch). */
    private List<String> readMembers(CorralClient c) {
        while (true) {
            try {
                return c.getChildren(groupPath, watcher).names();
            } catch (CorralException.NoNodeException e) {
                if (c.exists(groupPath, watcher) == null) return List.of();
            }
        }
    }

    private void lose(Membership m, String why) {
        if (membership != m) return;
        membership = null;
        LOG.log(System.Logger.Level.WARNING, "member " + m.id() + " of " + groupPath + " lost its membership: " + why);
        if (listener != null) thread.tell(listener::membershipLost);
    }
}
