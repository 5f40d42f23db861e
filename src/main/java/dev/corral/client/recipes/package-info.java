/**
 * Coordination recipes built on the public API of {@link dev.corral.client.CorralClient}, after ZooKeeper's recipes:
 * {@link dev.corral.client.recipes.DistributedLock}, {@link dev.corral.client.recipes.ReadWriteLock},
 * {@link dev.corral.client.recipes.LeaderElection}, {@link dev.corral.client.recipes.GroupMembership},
 * {@link dev.corral.client.recipes.Barrier}, {@link dev.corral.client.recipes.DoubleBarrier},
 * {@link dev.corral.client.recipes.DistributedQueue} and {@link dev.corral.client.recipes.ConfigWatcher}. Like the
 * client, they need only the JDK and Jackson.
 *
 * <p><b>Sessions.</b> A client has one session for life; once it has expired, the client stays expired. Every recipe
 * therefore takes a {@code Supplier<CorralClient>} (or a client, meaning a supplier that always gives it), and asks it
 * again when it needs a session and the one it has has ended. A {@link dev.corral.client.recipes.RenewingClient} gives
 * a new client once the old one's session has expired; a fixed client makes the recipe stop, or fail with
 * {@link dev.corral.client.CorralException.SessionExpiredException}, at the first expiry.
 *
 * <p><b>What a session owns.</b> A lock, a leadership and a membership are ephemeral znodes: they last as long as the
 * session that created them. A recipe that owns one tells its user when it is lost (a listener, and for the lock an
 * exception on the next call) and never reports it held afterwards. Loss is final: a lost lock is not re-acquired
 * behind the user's back (its critical section was interrupted); an election candidate, which stands until it is
 * closed, stands again with a fresh session; a member joins again only when told to. Recipes that are conservative
 * about touch with the cluster (lock, election) also report the moment the client loses touch
 * ({@link dev.corral.client.SessionState#DISCONNECTED}), since the session may expire at the cluster before the client
 * hears of it.
 *
 * <p><b>Failover and unknown outcomes.</b> The client moves to another node with its session and watches; the recipes
 * read again after it reaches the cluster again. A write the client could not confirm (connection loss) may or may not
 * have happened; recipes resolve it by looking: their znode names carry an id of the instance, and ephemeral znodes
 * are recognised by their owner, so that a retry never leaves a second znode behind in a queue.
 *
 * <p><b>Threads.</b> Blocking recipes (locks, barriers, queue) block the calling thread and wait on watches with
 * deadlines. Long-lived ones (election, membership, configuration watcher) work on a thread of their own and call
 * their listeners on another. No recipe calls a listener on the client's event thread while holding a lock other
 * code may need, except {@link dev.corral.client.recipes.LockListener}, whose contract says so.
 */
package dev.corral.client.recipes;
