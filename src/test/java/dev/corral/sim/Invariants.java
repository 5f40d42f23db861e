package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.consensus.Role;
import dev.corral.consensus.SoftState;
import dev.corral.replica.Outcome;
import dev.corral.storage.StoredEntry;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Digest;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeState;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The state checkers, run after every step of the simulation:
 * <ul>
 *   <li>election safety: at most one leader per term, ever;</li>
 *   <li>leader completeness: a leader holds every entry committed before its term began;</li>
 *   <li>state machine safety: no two nodes ever apply different entries at one index, and each node applies
 *       in index order without gaps ({@link ReferenceLog});</li>
 *   <li>durability: every committed entry is durable on a quorum of disks, checked when it is first applied and
 *       again after every crash and restart (a single node must hold all of them); a node whose wiped disk it is
 *       catching up counts as holding them, because it does not vote until it holds them again;</li>
 *   <li>tree equals replay: a node's committed tree equals the log it applied replayed from scratch, checked
 *       periodically, after every restart and snapshot install, and at the end; so does its replica digest, which
 *       also equals the digest of its tree computed from scratch;</li>
 *   <li>no digest mismatch: no node ever reports one ({@link Simulation#digestMismatch});</li>
 *   <li>acknowledged writes: a {@code Done} names the entry that carries the request, and refusals are
 *       what validation against the state at the refusal's barrier says;</li>
 *   <li>promises are durable when they leave a node ({@link #beforeSend}): a granted vote, a vote request and
 *       every message's term are already on the sender's disk, and an append acknowledgement names an entry the
 *       sender's disk holds, with the term the leader of the acknowledged term has there;</li>
 *   <li>a node never applies beyond its commit index.</li>
 * </ul>
 */
final class Invariants {
    private final SimNode[] nodes;
    private final int quorum;
    final ReferenceLog reference = new ReferenceLog();
    private final TreeMap<Long, Integer> leaderOfTerm = new TreeMap<>();
    private final Prep referencePrep;
    private long maxTermSeen;
    /** Set by the simulation when a disk changed (a sync, a crash, a wipe, a snapshot); see {@link #checkNoLosingElection}. */
    boolean disksChanged = true;
    private long lastElectionCheck = -1;
    long treeChecks;

    Invariants(SimNode[] nodes, Prep.Limits limits) {
        this.nodes = nodes;
        this.quorum = (nodes.length - 1) / 2 + 1;
        SplittableRandom referenceIds = new SplittableRandom(0);
        this.referencePrep = new Prep(limits, new Apply(new AclTable()), referenceIds::nextLong,
                () -> new dev.corral.txn.SessionSecret(referenceIds.nextLong() | 1, referenceIds.nextLong()));
    }

    // ---- election safety and leader completeness ----

    void afterStep() {
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            if (!n.isUp()) continue;
            softState(n, n.replica.softState());
            if (n.replica.committed().lastZxid() > n.replica.commitIndex()) {
                throw new AssertionError("node " + n.id + " applied up to " + n.replica.committed().lastZxid() + " beyond its commit index "
                        + n.replica.commitIndex());
            }
        }
        checkNoLosingElection();
    }

    /**
     * Committed entries survive every election that could still happen: a node whose durable log lacks the last
     * committed entry could not collect a quorum of votes from the durable logs, even if every node crashed now
     * and voted in a new term. The election restriction grants a vote only to a log at least as up to date as the
     * voter's; so the nodes that could vote for such a node are those whose durable log ends no later than its
     * own (in term, then index), itself included. In a correct cluster a quorum holds the entry and each of those
     * logs is more up to date than any log that lacks it (the heart of Leader Completeness); a leader that counts
     * replicas of an entry of an earlier term (Raft's Figure 8) breaks this at the moment it commits, long before a
     * node that lacks the entry actually wins. Nodes whose storage lost entries do not vote, and are not counted.
     */
    void checkNoLosingElection() {
        long r = reference.lastIndex();
        if (r == 0 || quorum == 1) return;
        // It depends only on the disks and the committed log: skip the steps that changed neither.
        if (!disksChanged && r == lastElectionCheck) return;
        disksChanged = false;
        lastElectionCheck = r;
        long termR = reference.entry(r).term();
        int n = nodes.length - 1;
        long[] lastTerm = new long[n + 1];
        long[] lastIndex = new long[n + 1];
        for (int i = 1; i <= n; i++) {
            SimDisk d = nodes[i].disk;
            long k = d.log.lastIndex();
            long t = -1;
            while (k > d.log.base().index()) {
                List<StoredEntry> raw = d.log.readRaw(k, k, 1);
                if (!raw.isEmpty() && raw.getFirst().isIntact()) {
                    t = raw.getFirst().term();
                    break;
                }
                k--;
            }
            if (t < 0) t = d.log.base().term();
            lastIndex[i] = k;
            lastTerm[i] = t;
        }
        for (int c = 1; c <= n; c++) {
            if (nodes[c].storageLost || nodes[c].disk.holds(r, termR)) continue;
            int voters = 0;
            for (int v = 1; v <= n; v++) {
                if (nodes[v].storageLost) continue;
                if (lastTerm[v] < lastTerm[c] || (lastTerm[v] == lastTerm[c] && lastIndex[v] <= lastIndex[c])) voters++;
            }
            if (voters >= quorum) {
                throw new AssertionError("committed entry " + r + " (term " + termR + ") could be lost: node " + c + ", whose durable log lacks it and ends at "
                        + lastIndex[c] + " (term " + lastTerm[c] + "), could win an election with the votes of " + voters + " of " + n
                        + " nodes whose durable logs are no more up to date");
            }
        }
    }

    // ---- promises leave a node only once they are durable ----

    /**
     * Checked as {@code from}'s driver sends {@code m}: what the message promises must already be on its disk. The
     * sequencer sends a message only once the write of its Ready and of every earlier one is durable, so the disk
     * holds at least the state the core had when it produced the message. Pre-votes promise nothing.
     */
    void beforeSend(SimNode from, dev.corral.consensus.Message m) {
        if (m instanceof dev.corral.consensus.Message.PreVote || m instanceof dev.corral.consensus.Message.PreVoteResponse) return;
        dev.corral.consensus.HardState durable = from.disk.log.hardState();
        if (durable.term() < m.term()) {
            throw new AssertionError("durability before sending: node " + from.id + " sends " + m + " but its disk holds term "
                    + durable.term());
        }
        switch (m) {
            case dev.corral.consensus.Message.VoteResponse r when r.granted() -> {
                if (durable.term() == r.term() && durable.votedFor() != r.to()) {
                    throw new AssertionError("durability before sending: node " + from.id + " grants its vote in term " + r.term() + " to node "
                            + r.to() + " but its disk records a vote for " + durable.votedFor());
                }
            }
            case dev.corral.consensus.Message.Vote v -> {
                if (durable.term() == v.term() && durable.votedFor() != from.id) {
                    throw new AssertionError("durability before sending: node " + from.id + " asks for votes in term " + v.term()
                            + " but its disk records a vote for " + durable.votedFor());
                }
            }
            // An acknowledgement of an earlier term may leave after the node moved on and a later leader cut the entries it
            // names: it was true when the core produced it, and such a leader exists only if those entries were not
            // committed in that term (the same race as an acknowledgement still in the network).
            case dev.corral.consensus.Message.AppendResponse r when r.success() && durable.term() == r.term() -> checkAcknowledgedDurable(from, r);
            default -> { }
        }
    }

    private void checkAcknowledgedDurable(SimNode from, dev.corral.consensus.Message.AppendResponse r) {
        long k = r.index();
        SimDisk d = from.disk;
        if (k <= d.log.base().index()) return;
        List<StoredEntry> raw = d.log.readRaw(k, k, 1);
        if (raw.isEmpty() || !raw.getFirst().isIntact()) {
            throw new AssertionError("durability before sending: node " + from.id + " acknowledges index " + k + " in term " + r.term()
                    + " but its durable log ends at " + d.log.lastIndex());
        }
        // The leader of the acknowledged term never changes its log in that term: its entry at k is the one acknowledged.
        Integer leader = leaderOfTerm.get(r.term());
        if (leader == null || leader != r.to()) return;
        SimNode l = nodes[leader];
        if (!l.isUp() || l.replica.softState().term() != r.term() || !l.replica.isLeader()) return;
        long expected = l.replica.termAt(k);
        if (expected > 0 && raw.getFirst().term() != expected) {
            throw new AssertionError("durability before sending: node " + from.id + " acknowledges index " + k + " to the leader of term "
                    + r.term() + ", whose entry there has term " + expected + ", but its disk holds term " + raw.getFirst().term());
        }
    }

    void softState(SimNode n, SoftState s) {
        maxTermSeen = Math.max(maxTermSeen, s.term());
        if (s.role() != Role.LEADER) return;
        Integer known = leaderOfTerm.putIfAbsent(s.term(), n.id);
        if (known == null) {
            checkLeaderCompleteness(n, s.term());
        } else if (known != n.id) {
            throw new AssertionError("election safety: nodes " + known + " and " + n.id + " both lead term " + s.term());
        }
    }

    private void checkLeaderCompleteness(SimNode n, long term) {
        long mustHold = reference.committedBefore(term);
        if (n.replica.lastIndex() < mustHold) {
            throw new AssertionError("leader completeness: node " + n.id + " leads term " + term + " with a log ending at "
                    + n.replica.lastIndex() + " but entries up to " + mustHold + " were committed before");
        }
        for (long i = Math.max(1, n.replica.firstIndex()); i <= mustHold; i++) {
            if (n.replica.termAt(i) != reference.entry(i).term()) {
                throw new AssertionError("leader completeness: node " + n.id + " leads term " + term + " with term "
                        + n.replica.termAt(i) + " at index " + i + " but the committed entry there has term " + reference.entry(i).term());
            }
        }
    }

    int leaders() {
        return leaderOfTerm.size();
    }

    // ---- applying ----

    void applied(SimNode n, Entry e) {
        if (e.index() != n.lastApplied + 1) {
            throw new AssertionError("node " + n.id + " applied entry " + e.index() + " after " + n.lastApplied);
        }
        n.lastApplied = e.index();
        if (e.index() > n.replica.commitIndex()) {
            throw new AssertionError("node " + n.id + " applied entry " + e.index() + " beyond its commit index " + n.replica.commitIndex());
        }
        long bound = maxTermSeen;
        for (int i = 1; i < nodes.length; i++) if (nodes[i].isUp()) bound = Math.max(bound, nodes[i].replica.softState().term());
        if (reference.applied(n.id, e, bound)) {
            int holders = 0;
            for (int i = 1; i < nodes.length; i++) if (nodes[i].storageLost || nodes[i].disk.holds(e.index(), e.term())) holders++;
            if (holders < quorum) {
                throw new AssertionError("durability: entry " + e.index() + " (term " + e.term() + ") is applied by node " + n.id
                        + " but durable on only " + holders + " of " + (nodes.length - 1) + " disks");
            }
        }
    }

    /** Every committed entry is still durable on a quorum (or, for one node, on its only disk). */
    void checkDurableQuorum(String when) {
        long last = reference.lastIndex();
        if (last == 0) return;
        int[] holders = new int[(int) last + 1];
        for (int i = 1; i < nodes.length; i++) {
            SimDisk d = nodes[i].disk;
            long base = nodes[i].storageLost ? last : d.log.base().index();
            for (long k = 1; k <= Math.min(base, last); k++) holders[(int) k]++;
            if (base >= last) continue;
            List<StoredEntry> raw = d.log.readRaw(base + 1, last, Integer.MAX_VALUE);
            for (StoredEntry s : raw) {
                if (s.isIntact() && s.term() == reference.entry(s.index()).term()) holders[(int) s.index()]++;
            }
        }
        for (long k = 1; k <= last; k++) {
            if (holders[(int) k] < quorum) {
                throw new AssertionError("durability " + when + ": committed entry " + k + " (term " + reference.entry(k).term()
                        + ") is durable on only " + holders[(int) k] + " of " + (nodes.length - 1) + " disks");
            }
        }
    }

    /**
     * Every acknowledged write is durable on a quorum: for a single node, on its only disk. Implied by the
     * check of all committed entries, but stated in the clients' terms.
     */
    void checkAcknowledged(List<Workload.Ack> acks, String when) {
        for (Workload.Ack ack : acks) {
            long z = ack.done().zxid();
            if (ack.request().sync() || z == 0) continue;
            long term = reference.entry(z).term();
            int holders = 0;
            for (int i = 1; i < nodes.length; i++) if (nodes[i].storageLost || nodes[i].disk.holds(z, term)) holders++;
            if (holders < quorum) {
                throw new AssertionError("acknowledged " + Workload.describe(ack.request().op()) + " at zxid " + z + " is durable on only "
                        + holders + " of " + (nodes.length - 1) + " disks " + when);
            }
        }
    }

    // ---- trees ----

    /** The node's committed tree equals the reference replay of the log up to the same index. */
    void checkTree(SimNode n, String when) {
        TreeState s = n.replica.committed();
        if (s == n.lastCheckedState) return;
        if (s.lastZxid() != n.lastApplied) {
            throw new AssertionError("node " + n.id + " has a tree at zxid " + s.lastZxid() + " but applied up to " + n.lastApplied);
        }
        checkState(n.id, s, when);
        n.lastCheckedState = s;
        treeChecks++;
    }

    void checkState(int node, TreeState s, String when) {
        long zxid = s.lastZxid();
        if (zxid > reference.lastIndex()) {
            throw new AssertionError("node " + node + " has a tree at zxid " + zxid + " beyond every applied entry (" + reference.lastIndex() + ")");
        }
        if (TreeDigest.of(s) != reference.digestAt(zxid)) {
            throw new AssertionError("tree differs from the replay of the log " + when + " on node " + node + " at zxid " + zxid
                    + TreeDigest.diff(reference.stateAt(zxid), s));
        }
        long recomputed = Digest.of(s);
        if (s.digest() != recomputed) {
            throw new AssertionError("node " + node + " keeps a replica digest of " + Long.toHexString(s.digest()) + " at zxid " + zxid + " "
                    + when + " but its tree's is " + Long.toHexString(recomputed));
        }
    }

    /** After a restart: the recovered state is a replay of the log, and what it calls committed is. */
    void afterRestart(SimNode n, SimDisk.Recovered r) {
        checkState(n.id, r.snapshotState(), "after restart (snapshot)");
        long commit = Math.min(r.hardState().commit(), reference.lastIndex());
        for (Entry e : r.entries()) {
            if (e.index() > commit) break;
            Entry known = reference.entry(e.index());
            if (known.term() != e.term() || !java.util.Arrays.equals(known.data(), e.data())) {
                throw new AssertionError("node " + n.id + " recovered entry " + e.index() + " (term " + e.term()
                        + ") below its commit point " + r.hardState().commit() + " but the committed entry has term " + known.term());
            }
        }
        checkDurableQuorum("after restarting node " + n.id);
    }

    // ---- client outcomes ----

    void done(Workload.Request r, Outcome.Done d) {
        long z = d.zxid();
        if (z > reference.lastIndex()) {
            throw new AssertionError("request " + r.id() + " acknowledged at zxid " + z + " which no node has applied");
        }
        if (r.linearizable() && z < r.mustSee()) {
            throw new AssertionError("linearizable read " + r.id() + " answered at zxid " + z + " on node " + r.node()
                    + ", but a client had been told of zxid " + r.mustSee() + " before it was sent: a stale read");
        }
        if (r.sync()) return;
        var txn = ReferenceLog.record(reference.entry(z)).txn();
        String mismatch = AckCheck.mismatch(r.op(), d.result(), txn, z);
        if (mismatch != null) {
            throw new AssertionError("request " + r.id() + " " + Workload.describe(r.op()) + " acknowledged at zxid " + z + " but " + mismatch);
        }
    }

    void refused(Workload.Request r, Outcome.Refused refusal) {
        long b = r.barrierIndex();
        if (b > reference.lastIndex()) {
            throw new AssertionError("request " + r.id() + " refused (" + refusal.code() + ") before its barrier " + b + " was applied anywhere");
        }
        if (b > 0 && reference.entry(b).term() != r.barrierTerm()) {
            throw new AssertionError("request " + r.id() + " refused (" + refusal.code() + ") though the entry at its barrier " + b
                    + " was replaced (term " + r.barrierTerm() + " became " + reference.entry(b).term() + ")");
        }
        Op op = r.op();
        Prep.Prepared p = referencePrep.prep(reference.stateAt(b), op, r.caller(), r.submitMs());
        if (!(p instanceof Prep.Prepared.Rejected rej) || rej.code() != refusal.code() || rej.failedIndex() != refusal.failedIndex()) {
            throw new AssertionError("request " + r.id() + " " + Workload.describe(op) + " was refused with " + refusal.code() + " (" + refusal.message()
                    + ") but validating it against the committed state at its barrier " + b + " gives "
                    + (p instanceof Prep.Prepared.Rejected x ? x.code() + " (" + x.message() + ")"
                            : "acceptance: " + ReferenceLog.describe(((Prep.Prepared.Accepted) p).txn())));
        }
    }

    /** A Done names an entry carrying the request; used during the run and again at the end. */
    static final class AckCheck {
        private AckCheck() {}

        static String mismatch(Op op, OpResult result, dev.corral.txn.Txn txn, long zxid) {
            return switch (op) {
                case Op.Create c -> {
                    if (!(txn instanceof dev.corral.txn.Txn.Create t) || !(result instanceof OpResult.Created cr)) yield "the entry is " + ReferenceLog.describe(txn);
                    if (!t.path().equals(cr.path()) || !java.util.Arrays.equals(t.data(), c.data() == null ? new byte[0] : c.data())) {
                        yield "the entry creates " + t.path() + " and the result says " + cr.path();
                    }
                    if (!c.mode().sequential && !t.path().equals(c.path())) yield "the entry creates " + t.path();
                    yield cr.stat().czxid() == zxid ? null : "the created znode has czxid " + cr.stat().czxid();
                }
                case Op.SetData s -> {
                    if (!(txn instanceof dev.corral.txn.Txn.SetData t) || !(result instanceof OpResult.DataSet ds)) yield "the entry is " + ReferenceLog.describe(txn);
                    if (!t.path().equals(s.path()) || !java.util.Arrays.equals(t.data(), s.data())) yield "the entry sets " + t.path();
                    yield ds.stat().mzxid() == zxid && ds.stat().version() == t.version() ? null : "the result's stat is " + ds.stat();
                }
                case Op.Delete d -> txn instanceof dev.corral.txn.Txn.Delete t && t.path().equals(d.path())
                        && result instanceof OpResult.Deleted ? null : "the entry is " + ReferenceLog.describe(txn);
                case Op.SetAcl a -> txn instanceof dev.corral.txn.Txn.SetAcl t && t.path().equals(a.path())
                        && result instanceof OpResult.AclSet ? null : "the entry is " + ReferenceLog.describe(txn);
                case Op.Check c -> txn instanceof dev.corral.txn.Txn.Check t && t.path().equals(c.path())
                        && result instanceof OpResult.Checked ? null : "the entry is " + ReferenceLog.describe(txn);
                case Op.CreateSession cs -> txn instanceof dev.corral.txn.Txn.CreateSession t && result instanceof OpResult.SessionOpened so
                        && so.sessionId() == t.sessionId() && so.timeoutMs() == t.timeoutMs() && so.secret().equals(t.secret()) ? null : "the entry is " + ReferenceLog.describe(txn);
                case Op.CloseSession cs -> txn instanceof dev.corral.txn.Txn.CloseSession t && t.sessionId() == cs.sessionId()
                        && result instanceof OpResult.SessionClosed ? null : "the entry is " + ReferenceLog.describe(txn);
                case Op.Multi m -> {
                    if (!(txn instanceof dev.corral.txn.Txn.Multi t) || !(result instanceof OpResult.MultiDone md)
                            || t.ops().size() != m.ops().size() || md.results().size() != m.ops().size()) {
                        yield "the entry is " + ReferenceLog.describe(txn);
                    }
                    for (int i = 0; i < m.ops().size(); i++) {
                        String sub = mismatch(m.ops().get(i), md.results().get(i), t.ops().get(i), zxid);
                        if (sub != null) yield "operation " + i + ": " + sub;
                    }
                    yield null;
                }
                case Op.Reap x -> "clients do not reap";
            };
        }
    }
}
