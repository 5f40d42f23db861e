package dev.corral.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The replication core: Raft with pre-vote and check-quorum, as a pure, single-threaded state machine.
 *
 * <p>Inputs are {@link #tick()}, {@link #step(Message)}, {@link #propose(byte[])} and
 * {@link #persisted(long, long)}; the output is a {@link Ready} that says what to persist, send and apply.
 * The core does no I/O, starts no threads and reads no clock: time is ticks and randomness comes from the
 * generator passed in, so a simulator can drive it deterministically. Not thread-safe: one driver thread
 * owns it. The safety argument is in {@code package-info.java}.
 */
public final class RaftCore {
    private static final int NONE = 0;
    private static final int MAX_APPLY_ENTRIES = 1024;
    private static final long MAX_APPLY_BYTES = 16L << 20;

    private final RaftConfig config;
    private final RandomGenerator random;
    private final RaftLog log;
    private final List<Message> outbox = new ArrayList<>();

    private long term;
    private int votedFor;
    private Role role = Role.FOLLOWER;
    private int leaderId = NONE;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTicks;
    private final Set<Integer> votesGranted = new HashSet<>();
    private final Set<Integer> votesRejected = new HashSet<>();
    /** Leader only: what it knows of each follower. */
    private final Map<Integer, Progress> progress = new HashMap<>();
    /** Leader only: payload bytes proposed in this term and not yet committed. */
    private long uncommittedBytes;
    private HardState lastReadyHardState;
    private SoftState lastReadySoftState;
    /** Last committed index handed out in a Ready for applying. */
    private long handedOutForApply;
    /**
     * The newest durable snapshot: what a follower that needs compacted entries is told to install. The log is
     * compacted only behind a snapshot, possibly keeping entries before it, so {@code snapshotIndex >= log.snapIndex()};
     * the compaction point itself names no snapshot when entries are kept.
     */
    private long snapshotIndex;
    private long snapshotTerm;
    /**
     * While this member's storage may have lost entries it acknowledged ({@link #markStorageLost}): the highest term
     * it may have acknowledged them in; -1 otherwise. Such a member neither campaigns nor grants a vote or pre-vote
     * until its durable log holds a committed entry of a later term (see {@link #maybeTrustStorageAgain}).
     */
    private long storageLostInTerm = -1;
    /** The term in which this member last accepted an append or snapshot from the leader; see {@link #matchesLeader}. */
    private long matchedLeaderInTerm = -1;
    /** The last index the driver reported durable ({@link #persisted}); every write before it is durable too. */
    private long lastPersisted;

    /** A read-index read waiting for a quorum to confirm this leadership: see {@link #readIndex(long)}. */
    private record PendingRead(long context, long index, long seq) {}

    /** While leading: reads waiting for confirmation, in {@code seq} order. */
    private final java.util.ArrayDeque<PendingRead> pendingReads = new java.util.ArrayDeque<>();
    /** Reads confirmed (or failed) and not yet handed out by {@link #ready()}. */
    private final List<Ready.ReadState> readStates = new ArrayList<>();
    /** The last read round numbered, and the last one sent to the voters; rounds restart with each leadership. */
    private long readSeq;
    private long readSeqSent;
    /** While leading: per voter, the highest read round it confirmed in this term. */
    private final Map<Integer, Long> readAcked = new HashMap<>();


    /**
     * Restores a member from its durable state.
     *
     * @param hardState     stored term, vote and commit
     * @param snapIndex     index of the last entry covered by the newest snapshot (0 if none)
     * @param snapTerm      its term
     * @param storedEntries the stored entries after {@code snapIndex}, contiguous
     */
    public RaftCore(RaftConfig config, RandomGenerator random, HardState hardState, long snapIndex, long snapTerm,
            List<Entry> storedEntries) {
        this.config = config;
        this.random = random;
        this.log = new RaftLog(snapIndex, snapTerm, storedEntries, hardState.commit());
        this.term = hardState.term();
        this.votedFor = hardState.votedFor();
        this.handedOutForApply = snapIndex;
        this.snapshotIndex = snapIndex;
        this.snapshotTerm = snapTerm;
        this.lastReadyHardState = hardState;
        resetRandomizedElectionTicks();
    }

    // ---- queries ----

    public int id() {
        return config.id();
    }

    public long term() {
        return term;
    }

    public Role role() {
        return role;
    }

    public int leaderId() {
        return leaderId;
    }

    public long commitIndex() {
        return log.committed;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    public long appliedIndex() {
        return log.applied();
    }

    /** The first index whose payload is still in memory; before it, only terms are (the log store has the rest). */
    public long heldFromIndex() {
        return log.heldFrom();
    }

    /** Bytes held in memory for entries already applied (payloads plus a fixed overhead each); see {@link RaftConfig}. */
    public long heldAppliedBytes() {
        return log.heldAppliedBytes();
    }

    public long firstIndex() {
        return log.firstIndex();
    }

    /** Term of the entry at {@code index}, or -1 if it is compacted or absent. */
    public long termAt(long index) {
        return log.term(index);
    }

    public SoftState softState() {
        return new SoftState(role, leaderId, term);
    }

    public HardState hardState() {
        return new HardState(term, votedFor, log.committed);
    }

    /**
     * True on a follower whose log the current leader has matched: it accepted an append (or a snapshot) of this term,
     * so it holds the leader's entries up to that point. Until then its commit index may be one it remembered, or
     * 0 on empty storage, and says nothing about how far behind the leader it is.
     */
    public boolean matchesLeader() {
        return role == Role.FOLLOWER && leaderId != NONE && matchedLeaderInTerm == term;
    }

    /** True while this member does not vote because its storage lost entries and it has not caught up since. */
    public boolean catchingUp() {
        return storageLostInTerm >= 0;
    }

    /**
     * The driver reports, before the first input, that this member's storage may have lost entries it had acknowledged
     * in terms up to {@code acknowledgedThroughTerm} (a damaged log cut short, a log restored from a backup, a data
     * directory replaced). Those acknowledgements may have completed a quorum for an entry it no longer holds; if it
     * voted now, its vote could elect a leader without that entry. So it stops voting, and campaigning (its own vote
     * counts too), until its durable log holds a committed entry of a later term: the leader that created that entry
     * held every entry committed in an earlier term, and by log matching so does this log.
     *
     * <p>{@code acknowledgedThroughTerm} is at least every term in which the lost entries were acknowledged: the
     * member's own term if its term and vote survived. If they did not, the driver must first restore a term above
     * every term the member may have voted or acknowledged in (above the highest term of a quorum of the other members)
     * and pass the one before it: a forgotten term would let it vote twice in a term or take a deposed leader's
     * appends. A single voter has no one to catch up from, and is not held back.
     */
    public void markStorageLost(long acknowledgedThroughTerm) {
        if (acknowledgedThroughTerm > term) {
            throw new IllegalArgumentException("entries acknowledged in term " + acknowledgedThroughTerm + " but the stored term is " + term);
        }
        if (!isSingleVoter()) storageLostInTerm = acknowledgedThroughTerm;
    }

    /**
     * Ends {@link #catchingUp()} once a committed entry of a term after the loss is durable here. Durable means reported
     * by {@link #persisted}: an installed snapshot counts as stable in memory before its write is durable.
     */
    private void maybeTrustStorageAgain() {
        if (storageLostInTerm < 0) return;
        long k = Math.min(Math.min(log.committed, log.stable), lastPersisted);
        if (k > 0 && log.term(k) > storageLostInTerm) storageLostInTerm = -1;
    }

    private boolean isSingleVoter() {
        return config.voters().size() == 1;
    }

    /** A single voter with no observers: nobody ever needs an entry from this member's memory. */
    private boolean hasNoPeers() {
        return isSingleVoter() && config.observers().isEmpty();
    }

    private int quorum() {
        return config.voters().size() / 2 + 1;
    }

    // ---- inputs ----

    public void tick() {
        if (role == Role.LEADER) {
            tickLeader();
        } else if (config.isObserver()) {
            // An observer never campaigns: it only learns the leader from its appends.
            electionElapsed++;
        } else {
            electionElapsed++;
            if (catchingUp()) return;
            if (isSingleVoter() || electionElapsed >= randomizedElectionTicks) {
                electionElapsed = 0;
                campaign(!isSingleVoter());
            }
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (!checkQuorumActive()) {
                becomeFollower(term, NONE);
                return;
            }
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            for (int peer : peers()) sendAppend(peer, true);
        }
    }

    /** Check-quorum: a leader that has not heard from a quorum within an election timeout steps down. */
    private boolean checkQuorumActive() {
        int active = 1;
        for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
            // Observers do not count towards a quorum, so hearing from them proves nothing.
            if (e.getKey() == config.id() || !config.voters().contains(e.getKey())) continue;
            if (e.getValue().recentActive) active++;
            e.getValue().recentActive = false;
        }
        return active >= quorum();
    }

    public ProposeResult propose(byte[] data) {
        if (role != Role.LEADER) return new ProposeResult.NotLeader(leaderId);
        if (uncommittedBytes + data.length > config.maxUncommittedBytes() && uncommittedBytes > 0) {
            return new ProposeResult.Dropped("too many uncommitted bytes (" + uncommittedBytes + ")");
        }
        Entry e = new Entry(log.lastIndex() + 1, term, data);
        log.append(e);
        uncommittedBytes += data.length;
        for (int peer : peers()) sendAppend(peer, false);
        return new ProposeResult.Accepted(e.index(), e.term());
    }

    /**
     * A linearizable read without a log write (Raft §6.4, "read-index"). The read's index is the commit index now;
     * once a quorum of voters has answered a {@link Message.ReadIndex} round sent after this call, in this term, the
     * read comes out of {@link #ready()} as a {@link Ready.ReadState}, and a tree that has applied its index may be read.
     *
     * <p>Why that is linearizable: every write acknowledged before the call is at or below the commit index (this
     * leader has committed an entry of its own term, so its commit index covers everything any earlier leader
     * committed: Leader Completeness). A quorum answering in this term after the call means no later term had a
     * leader then (a leader of a later term needs a quorum in that term, and two quorums share a voter, which would
     * have answered in the later term instead), so no write this leader does not know of was acknowledged before.
     *
     * <p>Returns false, and does nothing, if this member cannot serve reads this way now: it does not lead, or has
     * not yet committed an entry of its term (the caller may fall back to committing an entry of its own).
     */
    public boolean readIndex(long context) {
        if (role != Role.LEADER || log.term(log.committed) != term) return false;
        if (isSingleVoter()) {
            readStates.add(new Ready.ReadState(context, log.committed));
        } else {
            pendingReads.add(new PendingRead(context, log.committed, ++readSeq));
        }
        return true;
    }

    private void handleReadIndexResponse(Message.ReadIndexResponse r) {
        if (!config.voters().contains(r.from())) return;
        Progress p = progress.get(r.from());
        if (p != null) p.recentActive = true;
        readAcked.merge(r.from(), r.seq(), Math::max);
        while (!pendingReads.isEmpty()) {
            PendingRead head = pendingReads.peekFirst();
            int confirmed = 1;
            for (int voter : config.voters()) {
                if (voter != config.id() && readAcked.getOrDefault(voter, 0L) >= head.seq()) confirmed++;
            }
            if (confirmed < quorum()) break;
            pendingReads.removeFirst();
            readStates.add(new Ready.ReadState(head.context(), head.index()));
        }
    }

    /** Leadership ended: reads not yet confirmed fail (their caller may retry with the next leader). */
    private void failPendingReads() {
        for (PendingRead r : pendingReads) readStates.add(new Ready.ReadState(r.context(), -1));
        pendingReads.clear();
        readAcked.clear();
        readSeq = 0;
        readSeqSent = 0;
    }

    /** The driver reports that entries up to ({@code index}, {@code term}) are durable locally. */
    public void persisted(long index, long term) {
        log.markStable(index, term);
        lastPersisted = index;
        if (role == Role.LEADER) maybeCommit();
        maybeTrustStorageAgain();
    }

    public void step(Message m) {
        if (m.to() != config.id() || !(config.voters().contains(m.from()) || config.observers().contains(m.from()))) return;
        // Only voters lead, campaign and vote: anything else from an observer than an append reply is noise.
        if (config.observers().contains(m.from()) && !(m instanceof Message.AppendResponse)) return;
        if (m.term() > term) {
            if (m instanceof Message.PreVote || m instanceof Message.Vote) {
                // Leader stickiness: while we hear from a live leader, ignore candidates (they may be partitioned).
                if (leaderId != NONE && electionElapsed < config.electionTicks()) return;
            }
            if (m instanceof Message.PreVote) {
                // A pre-vote never changes our term.
            } else if (m instanceof Message.PreVoteResponse r && r.granted()) {
                // A granted pre-vote carries the future term; we adopt it only when we campaign for real.
            } else {
                int lead = (m instanceof Message.Append || m instanceof Message.InstallSnapshot || m instanceof Message.ReadIndex)
                        ? m.from() : NONE;
                becomeFollower(m.term(), lead);
            }
        } else if (m.term() < term) {
            // A stale leader learns of the newer term from our reply and steps down.
            if (m instanceof Message.Append || m instanceof Message.InstallSnapshot || m instanceof Message.ReadIndex) {
                send(new Message.AppendResponse(config.id(), m.from(), term, false, log.lastIndex()));
            } else if (m instanceof Message.PreVote pv) {
                send(new Message.PreVoteResponse(config.id(), pv.from(), term, false));
            }
            return;
        }
        switch (m) {
            case Message.PreVote pv -> {
                boolean grant = !config.isObserver() && pv.term() > term && !catchingUp() && log.isUpToDate(pv.lastIndex(), pv.lastTerm());
                // Reply in the candidate's future term when granting, so it can count the vote.
                send(new Message.PreVoteResponse(config.id(), pv.from(), grant ? pv.term() : term, grant));
            }
            case Message.Vote v -> {
                boolean canVote = !config.isObserver() && (votedFor == v.from() || (votedFor == NONE && leaderId == NONE));
                boolean grant = canVote && !catchingUp() && log.isUpToDate(v.lastIndex(), v.lastTerm());
                if (grant) {
                    votedFor = v.from();
                    electionElapsed = 0;
                }
                send(new Message.VoteResponse(config.id(), v.from(), term, grant));
            }
            case Message.PreVoteResponse r -> {
                if (role == Role.PRE_CANDIDATE) tallyVote(r.from(), r.granted(), true);
            }
            case Message.VoteResponse r -> {
                if (role == Role.CANDIDATE) tallyVote(r.from(), r.granted(), false);
            }
            case Message.Append a -> handleAppend(a);
            case Message.AppendResponse r -> {
                if (role == Role.LEADER) handleAppendResponse(r);
            }
            case Message.InstallSnapshot s -> handleInstallSnapshot(s);
            case Message.ReadIndex ri -> {
                // Only the leader of this term sends these; a candidate of the term learns it lost.
                if (role == Role.LEADER) return;
                if (role != Role.FOLLOWER) becomeFollower(term, ri.from());
                leaderId = ri.from();
                electionElapsed = 0;
                send(new Message.ReadIndexResponse(config.id(), ri.from(), term, ri.seq()));
            }
            case Message.ReadIndexResponse r -> {
                if (role == Role.LEADER) handleReadIndexResponse(r);
            }
        }
    }

    // ---- elections ----

    private void campaign(boolean preVote) {
        if (preVote) {
            role = Role.PRE_CANDIDATE;
            leaderId = NONE;
            votesGranted.clear();
            votesRejected.clear();
            votesGranted.add(config.id());
            resetRandomizedElectionTicks();
            for (int peer : voterPeers()) {
                send(new Message.PreVote(config.id(), peer, term + 1, log.lastIndex(), log.lastTerm()));
            }
            if (votesGranted.size() >= quorum()) campaign(false);
            return;
        }
        term++;
        votedFor = config.id();
        role = Role.CANDIDATE;
        leaderId = NONE;
        votesGranted.clear();
        votesRejected.clear();
        votesGranted.add(config.id());
        resetRandomizedElectionTicks();
        if (votesGranted.size() >= quorum()) {
            becomeLeader();
            return;
        }
        for (int peer : voterPeers()) {
            send(new Message.Vote(config.id(), peer, term, log.lastIndex(), log.lastTerm()));
        }
    }

    private void tallyVote(int from, boolean granted, boolean preVote) {
        if (granted) votesGranted.add(from);
        else votesRejected.add(from);
        if (votesGranted.size() >= quorum()) {
            if (preVote) campaign(false);
            else becomeLeader();
        } else if (votesRejected.size() >= quorum()) {
            becomeFollower(term, NONE);
        }
    }

    private void becomeFollower(long newTerm, int lead) {
        if (newTerm > term) {
            term = newTerm;
            votedFor = NONE;
        }
        if (role == Role.LEADER) failPendingReads();
        role = Role.FOLLOWER;
        leaderId = lead;
        electionElapsed = 0;
        progress.clear();
        uncommittedBytes = 0;
        resetRandomizedElectionTicks();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = config.id();
        electionElapsed = 0;
        heartbeatElapsed = 0;
        progress.clear();
        for (int peer : peers()) {
            Progress p = new Progress(log.lastIndex() + 1);
            p.recentActive = true;
            progress.put(peer, p);
        }
        uncommittedBytes = 0;
        // A leader may only count replicas of its own term's entries; the no-op lets earlier entries commit.
        log.append(new Entry(log.lastIndex() + 1, term, new byte[0]));
        for (int peer : peers()) sendAppend(peer, false);
    }

    private void resetRandomizedElectionTicks() {
        randomizedElectionTicks = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    // ---- replication ----

    private void handleAppend(Message.Append a) {
        if (role == Role.LEADER) {
            throw new IllegalStateException("member " + config.id() + " leads term " + term + " but member " + a.from()
                    + " sent an append in the same term");
        }
        electionElapsed = 0;
        if (role != Role.FOLLOWER) becomeFollower(term, a.from());
        leaderId = a.from();
        if (a.prevIndex() < log.committed) {
            // Everything up to our commit point matches any leader's log; have it continue from there.
            matchedLeaderInTerm = term;
            send(new Message.AppendResponse(config.id(), a.from(), term, true, log.committed));
            return;
        }
        if (!log.matches(a.prevIndex(), a.prevTerm())) {
            long hint;
            if (a.prevIndex() > log.lastIndex()) {
                // Our log is only shorter: all of it may match, so the leader should continue right after it. Hinting
                // lower would be wrong: the leader takes a hint below what it knows we match for a stale rejection
                // and ignores it, and keeps streaming entries past our end.
                hint = log.lastIndex();
            } else {
                // Entry prevIndex conflicts: skip back over its whole term, so that the leader probes once per term.
                long conflictTerm = log.term(a.prevIndex());
                hint = a.prevIndex() - 1;
                while (hint > log.committed && log.term(hint) == conflictTerm) hint--;
            }
            send(new Message.AppendResponse(config.id(), a.from(), term, false, Math.max(hint, log.committed)));
            return;
        }
        long lastNew = log.appendFromLeader(a.prevIndex(), a.entries());
        matchedLeaderInTerm = term;
        maybeAdvanceFollowerCommit(a.commit(), lastNew);
        send(new Message.AppendResponse(config.id(), a.from(), term, true, lastNew));
    }

    private void maybeAdvanceFollowerCommit(long leaderCommit, long lastVerified) {
        long c = Math.min(leaderCommit, lastVerified);
        if (c > log.committed) log.committed = c;
        maybeTrustStorageAgain();
    }

    private void handleAppendResponse(Message.AppendResponse r) {
        Progress p = progress.get(r.from());
        if (p == null) return;
        p.recentActive = true;
        if (r.success()) {
            if (p.onSuccess(r.index())) maybeCommit();
            sendAppend(r.from(), false);
        } else if (p.onReject(r.index())) {
            sendAppend(r.from(), false);
        }
    }

    private void handleInstallSnapshot(Message.InstallSnapshot s) {
        electionElapsed = 0;
        leaderId = s.from();
        if (role != Role.FOLLOWER) becomeFollower(term, s.from());
        matchedLeaderInTerm = term;
        if (s.index() <= log.committed) {
            send(new Message.AppendResponse(config.id(), s.from(), term, true, log.committed));
            return;
        }
        if (log.matches(s.index(), s.snapshotTerm())) {
            // We already have the entry the snapshot ends at; keep the log after it.
            log.committed = s.index();
        } else {
            log.restore(s.index(), s.snapshotTerm());
            handedOutForApply = s.index();
            // The driver stored the snapshot before stepping this message in: it is this member's newest.
            snapshotIndex = s.index();
            snapshotTerm = s.snapshotTerm();
        }
        send(new Message.AppendResponse(config.id(), s.from(), term, true, s.index()));
    }

    /**
     * Sends what {@code peer} needs next. While replicating, new entries go out as soon as they exist and a
     * heartbeat is an empty append at the known match point; while probing, one append is in flight at a time
     * and a heartbeat re-sends it (it may have been lost).
     */
    private void sendAppend(int peer, boolean heartbeat) {
        Progress p = progress.get(peer);
        if (p.replicating) {
            if (p.next <= log.lastIndex()) {
                long last = sendEntriesFrom(peer, p, p.next);
                if (last > 0) p.next = last + 1;
            } else if (heartbeat) {
                sendEntriesFrom(peer, p, p.match + 1);
            }
            return;
        }
        if (p.probeSent && !heartbeat) return;
        sendEntriesFrom(peer, p, p.next);
        p.probeSent = true;
    }

    /** Sends entries from {@code from} on (possibly none); returns the last index sent, 0 if none or a snapshot. */
    private long sendEntriesFrom(int peer, Progress p, long from) {
        long prev = from - 1;
        long prevTerm = log.term(prev);
        if (prevTerm < 0) {
            // The follower needs entries we have compacted away: it must install our snapshot.
            send(new Message.InstallSnapshot(config.id(), peer, term, snapshotIndex, snapshotTerm));
            p.becomeProbe();
            p.probeSent = true;
            return 0;
        }
        List<Entry> entries = from <= log.lastIndex()
                ? log.slice(from, log.lastIndex(), config.maxEntriesPerAppend(), config.maxBytesPerAppend())
                : List.of();
        long commit = Math.min(log.committed, prev + entries.size());
        send(new Message.Append(config.id(), peer, term, prev, prevTerm, entries, commit));
        return entries.isEmpty() ? 0 : entries.getLast().index();
    }

    /** Commits the highest index stored on a quorum, if it is from this term (Raft §5.4.2). */
    private void maybeCommit() {
        long[] matches = new long[config.voters().size()];
        int i = 0;
        for (int voter : config.voters()) {
            matches[i++] = voter == config.id() ? log.stable : progress.get(voter).match;
        }
        java.util.Arrays.sort(matches);
        long quorumIndex = matches[matches.length - quorum()];
        if (quorumIndex > log.committed && log.term(quorumIndex) == term) {
            for (long k = log.committed + 1; k <= quorumIndex; k++) uncommittedBytes -= log.entry(k).data().length;
            uncommittedBytes = Math.max(0, uncommittedBytes);
            log.committed = quorumIndex;
            // Tell up-to-date followers promptly, so that they can apply (and serve synced reads) too.
            for (int peer : peers()) {
                Progress p = progress.get(peer);
                if (p.replicating && p.next > log.lastIndex()) sendEntriesFrom(peer, p, p.match + 1);
            }
        }
    }

    /** The members a leader replicates to: every voter and observer but itself. */
    private List<Integer> peers() {
        List<Integer> out = new ArrayList<>(config.voters().size() + config.observers().size());
        for (int v : config.voters()) if (v != config.id()) out.add(v);
        for (int o : config.observers()) if (o != config.id()) out.add(o);
        out.sort(null);
        return out;
    }

    /** The members a candidate asks for votes: the other voters. */
    private List<Integer> voterPeers() {
        List<Integer> out = new ArrayList<>(config.voters().size());
        for (int v : config.voters()) if (v != config.id()) out.add(v);
        out.sort(null);
        return out;
    }

    private void send(Message m) {
        outbox.add(m);
    }

    // ---- output ----

    public boolean hasReady() {
        return !outbox.isEmpty() || log.handedOff < log.lastIndex() || voteChanged() || readSeq > readSeqSent || !readStates.isEmpty()
                || !softState().equals(lastReadySoftState)
                || Math.min(log.committed, log.stable) > handedOutForApply;
    }

    private boolean voteChanged() {
        return term != lastReadyHardState.term() || votedFor != lastReadyHardState.votedFor();
    }

    /** Takes the pending work; see {@link Ready} for what the driver must do with it. */
    public Ready ready() {
        List<Entry> entries = log.takeUnhanded();
        HardState hs = hardState();
        // Only term and vote must be durable. The commit index rides along when they change: a restarted member
        // learns the commit point again (a leader by committing an entry of its term), so writing it on every
        // append would cost a second page per durable write for nothing.
        HardState toPersist = voteChanged() ? hs : null;
        if (toPersist != null) lastReadyHardState = hs;
        SoftState ss = softState();
        SoftState softChanged = ss.equals(lastReadySoftState) ? null : ss;
        lastReadySoftState = ss;
        List<Entry> committed = log.takeApplicable(handedOutForApply, MAX_APPLY_ENTRIES, MAX_APPLY_BYTES);
        if (!committed.isEmpty()) handedOutForApply = committed.getLast().index();
        if (readSeq > readSeqSent) {
            // One round for every read that arrived since the last: reads batch by themselves under load.
            readSeqSent = readSeq;
            for (int peer : voterPeers()) send(new Message.ReadIndex(config.id(), peer, term, readSeq));
        }
        List<Message> messages = List.copyOf(outbox);
        outbox.clear();
        List<Ready.ReadState> reads = List.copyOf(readStates);
        readStates.clear();
        return new Ready(toPersist, entries, messages, committed, softChanged, reads);
    }

    /**
     * The driver has handled {@code ready}: its committed entries are applied. The payloads of applied entries
     * beyond the budget ({@link RaftConfig#appliedLogBytesMax()}) are forgotten: the log store has them.
     */
    public void advance(Ready ready) {
        if (!ready.committed().isEmpty()) {
            log.markApplied(ready.committed().getLast().index());
            log.forget(config.appliedLogBytesMax(), forgettableThrough());
        }
    }

    /**
     * The last index whose payload this member will never need again once applied. A single member never reads
     * an applied entry: it only applies each entry once, and a restart reads the log store. A member with peers
     * may have to send old entries to one that lags, also after it wins a later election and from as far back
     * as that peer's commit index; so it keeps them.
     *
     * <p>TODO(#7): when replication between members ships, let the leader read entries it has forgotten back from
     * the log store (asked for in a Ready, answered by the driver) and forget here what is applied and, on a
     * leader, replicated to every peer; until then a member with peers keeps every payload after the last
     * compaction, as before.
     */
    private long forgettableThrough() {
        return hasNoPeers() ? log.applied() : log.snapIndex();
    }

    /**
     * A snapshot at {@code index} (applied, not yet compacted away) is durable: followers that need entries from
     * before the compaction point are sent to it from now on.
     */
    public void snapshotted(long index) {
        long t = log.term(index);
        if (index > snapshotIndex && t > 0) {
            snapshotIndex = index;
            snapshotTerm = t;
        }
    }

    /** Forgets log entries up to {@code index}, which a durable snapshot now covers and which are applied. */
    public void compact(long index) {
        log.compact(index);
        // Compacting up to a point means a snapshot covers it; a caller that did not say which one compacted to it.
        if (log.snapIndex() > snapshotIndex) {
            snapshotIndex = log.snapIndex();
            snapshotTerm = log.term(snapshotIndex);
        }
    }

    /** Entries in [lo, hi] if all are still held in memory (every entry not yet applied is); otherwise none. */
    public List<Entry> entries(long lo, long hi) {
        if (lo < log.heldFrom() || hi > log.lastIndex() || lo > hi) return List.of();
        return log.slice(lo, hi, Integer.MAX_VALUE, Long.MAX_VALUE);
    }
}
