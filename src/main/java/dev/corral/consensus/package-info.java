/**
 * The replication core: Raft (Ongaro and Ousterhout, 2014) with pre-vote and check-quorum, written as a
 * pure state machine ({@link dev.corral.consensus.RaftCore}) that a driver feeds with ticks, messages and
 * proposals and that answers with {@link dev.corral.consensus.Ready} records.
 *
 * <h2>Safety argument</h2>
 * The property that matters to clients: an entry that has been reported committed (and so acknowledged)
 * is present, at the same index with the same term and data, in the log of every later leader, and so is
 * eventually applied by every member in the same order. It follows from these invariants, each tied to
 * the code that keeps it:
 * <ol>
 *   <li><b>Election safety</b> — at most one leader per term. A member votes at most once per term: its
 *       vote ({@code votedFor}) is persisted with the term before the vote is sent (the Ready contract: persist,
 *       then send), and a candidate needs a strict majority of the fixed voter set. Pre-votes change no state.
 *       {@code handleAppend} fails fast if a leader sees another leader's append in its own term.</li>
 *   <li><b>Log matching</b> — if two logs hold an entry with the same index and term, they agree on every
 *       entry up to it. A leader creates at most one entry per index in its term, and a follower accepts
 *       entries only after (prevIndex, prevTerm) matches ({@code RaftLog.matches}), truncating a conflicting
 *       suffix ({@code RaftLog.appendFromLeader}).</li>
 *   <li><b>Leader completeness</b> — a committed entry is in every later leader's log. An entry is committed
 *       only when a majority stores it durably (the leader counts itself only up to {@code stable}, the
 *       index its driver reported durable) and only by counting replicas of an entry of the leader's current
 *       term (Raft §5.4.2, {@code maybeCommit}); earlier entries commit with it through log matching. A
 *       candidate wins only with votes from a majority whose logs are no more up to date than its own
 *       ({@code RaftLog.isUpToDate}); that majority intersects the one storing the entry.</li>
 *   <li><b>State machine safety</b> — committed entries never change. A follower refuses, by throwing, to
 *       truncate at or below its commit index; members apply only committed entries that are durable
 *       locally ({@code RaftLog.takeApplicable}), in index order.</li>
 *   <li><b>Durability before acknowledgement</b> — an append acknowledgement is produced in the Ready that
 *       hands out the entries it acknowledges or in a later one (a repeated append is acknowledged again), and
 *       the driver sends a Ready's messages only once the writes of that Ready and of every earlier one are
 *       durable; so it is sent only after the entries are durable.</li>
 *   <li><b>Lost storage</b> — a member whose storage lost entries it had acknowledged does not vote until it
 *       holds them again. Invariant 3 counts on every member of the quorum that stored an entry still storing it;
 *       a damaged log cut short, a log restored from a backup or a replaced data directory breaks that, and the
 *       member's vote could then elect a leader without the entry. The driver reports the loss
 *       ({@code RaftCore.markStorageLost}) with the highest term the lost entries may have been acknowledged in; the
 *       member then grants no vote or pre-vote and does not campaign (its own vote counts too) until its durable
 *       log holds a committed entry of a later term. The leader that created that entry held every entry committed
 *       before its term (invariant 3), and log matching puts them all in this log. Its term and vote must survive
 *       the loss, or be restored above every term it may have voted or acknowledged in (above the highest term of a
 *       quorum of the others): a forgotten term lets a member vote twice in it, or take a deposed leader's appends,
 *       and no vote rule can repair that. The member cannot tell a wiped directory from a new one by itself, which is
 *       why the driver must say so; a fresh cluster, whose members all start empty and untold, elects as before.
 *       The production driver asks the other voters for their terms when it starts on empty storage (or is told
 *       by {@code corral.storage-lost}) and decides with {@code dev.corral.node.LostStorage}.
 *       A single voter has no one to catch up from and is not held back.</li>
 *   <li><b>Linearizable reads</b> ({@code RaftCore.readIndex}) — a read served after the leader's read index is
 *       applied sees every write acknowledged before the read arrived. The read index is the commit index when the
 *       read arrives, taken only once the leader has committed an entry of its own term (before that its commit index
 *       may lag what earlier leaders committed); by invariant 3 it covers every write any leader acknowledged. The read
 *       is released only when a quorum of voters has answered, in the leader's term, a round numbered after the read
 *       arrived: a voter that answers in term T has not helped elect a leader of a later term by then, and any later
 *       leader needs a quorum, which would share a voter with this one; so no write this leader does not know of can
 *       have been acknowledged before the read. An answer to an earlier round proves nothing about a later read, and
 *       reads still waiting when leadership ends fail. No clock is involved.</li>
 * </ol>
 * <b>Observers</b> ({@code RaftConfig.observers}) receive appends and snapshots like followers but are outside every
 * quorum: votes and pre-votes are asked only of voters and an observer grants none, {@code maybeCommit} counts only
 * voters' match indexes, check-quorum counts only voters, and an observer never campaigns. So every argument above,
 * which is about majorities of the fixed voter set, holds unchanged whatever observers do or fail to do.
 *
 * <p>Liveness is helped, not guaranteed: randomized election timeouts, pre-vote (a partitioned member cannot
 * inflate terms), leader stickiness (members that hear from a leader ignore candidates) and check-quorum
 * (a leader cut off from a majority steps down).
 *
 * <p><b>Memory.</b> The core keeps the term of every entry after the last compaction (as one run per term) but the
 * payloads only of entries not yet applied and, within {@code RaftConfig.appliedLogBytesMax}, of the newest applied
 * ones ({@code RaftLog.forget}). Forgetting a payload changes nothing above: terms decide matching, elections and
 * commitment, and an applied entry is never applied again. Only sending entries to a peer reads old payloads, so a
 * member with peers keeps them until it can read them back from its log store (issue #7).
 *
 * <p>The deterministic simulation ({@code dev.corral.sim.Invariants} in the tests) checks invariants 1, 3 and 4
 * after every step, 7 for every linearizable read a client is answered (its index is at least every zxid a client
 * had been told of when it was sent), and 5 as its consequence: every committed entry is durable on a quorum of disks. It also checks
 * what each message promises as the driver sends it (a granted vote's term and vote, an acknowledged entry, are on
 * the sender's disk), that no node applies beyond its commit index, and the heart of invariant 3 directly: no node
 * whose durable log lacks a committed entry could collect a quorum of votes from the durable logs. It wipes disks
 * now and then to exercise invariant 6. {@code src/test/bugs} holds one deliberate bug per rule above, as patches, and
 * {@code bin/planted-bugs} shows which simulation seeds catch each; {@code dev.corral.sim.SimHardCasesTest} scripts
 * the known hard cases (Raft's Figure 8 among them), each failing under the matching bug.
 */
package dev.corral.consensus;
