package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.Role;
import dev.corral.consensus.SoftState;
import dev.corral.replica.Outcome;
import dev.corral.replica.Replica;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.txn.Acl;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * One deterministic run: a cluster of {@link SimNode}s, a {@link SimNetwork}, simulated disks and clock, and
 * clients, all driven by one seeded generator through a queue of timed events. A step is one event; the
 * {@link Invariants} run after every step. The run has two phases: faults (loss, delay, duplication,
 * partitions, crashes with lost and torn writes) and then liveness, in which the network heals, every node
 * restarts, and the cluster must elect a leader, commit a new write and bring every node to the same applied
 * index within a bound. Same seed, same run: every choice comes from the generator, events at the same
 * time run in the order they were scheduled, and nothing iterates a hash-ordered collection.
 */
final class Simulation implements SimNode.Env {
    /** What a run reports. {@code traceHash} covers every event, applied entry and client outcome. */
    record Result(long seed, long traceHash, long steps, long simMs, String summary) {}

    private record Scheduled(long at, long seq, SimEvent event) {}

    private static final int TREE_CHECK_TICKS = 10;
    private static final long PROBE_TIMEOUT_MS = 2_000;

    final long seed;
    final SimOptions options;
    private final SplittableRandom rng;
    private final PriorityQueue<Scheduled> queue =
            new PriorityQueue<>(Comparator.comparingLong(Scheduled::at).thenComparingLong(Scheduled::seq));
    private final SimNode[] nodes;
    private final SimNetwork network;
    private final Workload workload;
    private final Invariants invariants;
    private final Trace trace = new Trace();
    private final BitSet completedRequests = new BitSet();
    private long now;
    private long seq;
    private long steps;
    private int partitions;
    private boolean settling;
    private long healAt = Long.MAX_VALUE;
    private Workload.Request probe;
    private long probeZxid = -1;
    private int probeAttempts;
    private boolean finished;
    private long crashes;
    private long tornCrashes;
    private long tailsCut;
    private long snapshotsTaken;
    private long snapshotsInstalled;
    private long wipes;
    /** Decides wipes, apart from the main generator, so that the runs every other choice describes stay as they were. */
    private final SplittableRandom wipeRng;
    /** Decides linearizable reads apart from the main stream, so that adding them left the writes' schedule alone. */
    private final SplittableRandom readRng;
    private final SimNode.DiskFault diskFault;
    /** One crash in this many wipes the node's disk as well (when no other node is still catching up after one). */
    static final int WIPE_ONE_CRASH_IN = 25;

    /**
     * Budgets for applied entries held in memory: none (every applied payload forgotten at once), a few entries,
     * some hundred, and the production default.
     */
    private static final long[] APPLIED_LOG_BUDGETS = {0, 300, 4096, RaftConfig.APPLIED_LOG_BYTES_DEFAULT};
    private final long appliedLogBytes;
    /**
     * Entries between digest checks: often (every tick with a write), now and then, and rarely; far more often than
     * the production default, so that checks meet crashes, snapshots, installs and changes of leader.
     */
    private static final int[] DIGEST_INTERVALS = {2, 16, 128};
    private final int digestEveryEntries;

    Simulation(SimOptions.Scenario scenario, long seed) {
        this(scenario, seed, SimNode.DiskFault.NONE);
    }

    /** A run with a deliberately broken driver, to show that the checkers notice. */
    Simulation(SimOptions.Scenario scenario, long seed, SimNode.DiskFault diskFault) {
        this.seed = seed;
        this.diskFault = diskFault;
        this.wipeRng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.readRng = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        this.rng = new SplittableRandom(seed);
        this.options = SimOptions.draw(scenario, rng);
        int n = options.nodes();
        Set<Integer> voters = new TreeSet<>();
        for (int i = 1; i <= n; i++) voters.add(i);
        Prep.Limits limits = new Prep.Limits(options.dataBytesMax(), 200, 10_000);
        // Drawn from their own generators, so that the runs every other option describes stay as they were.
        digestEveryEntries = DIGEST_INTERVALS[new SplittableRandom(seed ^ 0x5EED_D16E57L).nextInt(DIGEST_INTERVALS.length)];
        Replica.Settings settings = new Replica.Settings(limits, 10, Replica.PENDING_REQUESTS_DEFAULT, digestEveryEntries);
        nodes = new SimNode[n + 1];
        appliedLogBytes = APPLIED_LOG_BUDGETS[new SplittableRandom(~seed).nextInt(APPLIED_LOG_BUDGETS.length)];
        for (int i = 1; i <= n; i++) {
            RaftConfig config = new RaftConfig(i, voters, options.electionTicks(), options.heartbeatTicks(),
                    options.maxEntriesPerAppend(), options.maxBytesPerAppend(), options.maxUncommittedBytes(), appliedLogBytes);
            nodes[i] = new SimNode(i, config, settings, options.snapshotChunkBytes(), n == 1 ? 0 : rng.nextInt(50),
                    diskFault, this);
        }
        network = new SimNetwork(rng, options);
        workload = new Workload(rng, options);
        invariants = new Invariants(nodes, limits);
    }

    Result run() {
        try {
            for (int i = 1; i < nodes.length; i++) restart(nodes[i]);
            for (int c = 0; c < options.clients(); c++) schedule(1 + rng.nextInt(options.clientIntervalMs()), new SimEvent.ClientWake(c));
            schedule(exponential(options.crashesPerSecond()), new SimEvent.Crash());
            if (options.partitionsPerSecond() > 0) schedule(exponential(options.partitionsPerSecond()), new SimEvent.Partition());
            schedule(options.faultPhaseMs(), new SimEvent.Heal());
            while (!finished) step();
        } catch (Throwable t) {
            throw new SimulationFailure(this, t);
        }
        return new Result(seed, trace.hash(), steps, now, summary());
    }

    private void step() {
        Scheduled s = queue.poll();
        if (s == null) throw new AssertionError("the event queue ran dry");
        now = s.at();
        steps++;
        trace.event(s.at(), s.event());
        handle(s.event());
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            if (n.storageLost && n.isUp() && !n.replica.catchingUp()) {
                n.storageLost = false;
                invariants.disksChanged = true;
                trace.fact(510, n.id, n.replica.commitIndex());
            }
        }
        invariants.afterStep();
        if (settling) maybeFinish();
    }

    private void handle(SimEvent event) {
        switch (event) {
            case SimEvent.Tick t -> onTick(t);
            case SimEvent.Deliver d -> onDeliver(d.m());
            case SimEvent.Sync s -> {
                SimNode n = live(s.node(), s.incarnation());
                if (n == null) return;
                n.syncScheduled = false;
                SimDisk.Pending synced = n.syncOne();
                invariants.disksChanged = true;
                // A durable write that replaces a suffix of the log must leave every committed entry on a quorum.
                if (synced instanceof SimDisk.Pending.Write w && !w.entries().isEmpty()
                        && w.entries().getFirst().index() <= invariants.reference.lastIndex()) {
                    invariants.checkDurableQuorum("after node " + n.id + " wrote from index " + w.entries().getFirst().index());
                }
                if (n.disk.hasPending()) requestSync(n);
                input(n);
            }
            case SimEvent.Process p -> {
                SimNode n = live(p.node(), p.incarnation());
                if (n == null) return;
                n.processScheduled = false;
                n.drain();
            }
            case SimEvent.ClientWake w -> onClientWake(workload.clients.get(w.client()));
            case SimEvent.Crash c -> onCrash();
            case SimEvent.CrashNode c -> {
                SimNode n = live(c.node(), c.incarnation());
                if (n != null && !settling) crash(n);
            }
            case SimEvent.Restart r -> {
                SimNode n = nodes[r.node()];
                if (!n.isUp() && n.incarnation == r.incarnation()) restart(n);
            }
            case SimEvent.Partition p -> {
                if (settling) return;
                int leader = 0;
                for (int i = 1; i < nodes.length; i++) if (nodes[i].isUp() && nodes[i].replica.isLeader()) leader = i;
                network.partition(leader);
                partitions++;
                // Short partitions (about an election timeout) depose leaders that have not yet noticed.
                long shortMs = 3L * options.electionTicks() * options.tickMs();
                schedule(1 + rng.nextLong(rng.nextBoolean() ? shortMs : options.partitionMaxMs()), new SimEvent.HealPartition(partitions));
                schedule(exponential(options.partitionsPerSecond()), new SimEvent.Partition());
            }
            case SimEvent.HealPartition h -> {
                if (h.partition() == partitions) network.healPartition();
            }
            case SimEvent.Heal h -> {
                settling = true;
                healAt = now;
                network.heal();
                for (int i = 1; i < nodes.length; i++) if (!nodes[i].isUp()) restart(nodes[i]);
            }
        }
    }

    private SimNode live(int id, int incarnation) {
        SimNode n = nodes[id];
        return n.isUp() && n.incarnation == incarnation ? n : null;
    }

    // ---- node inputs ----

    private void onTick(SimEvent.Tick t) {
        SimNode n = live(t.node(), t.incarnation());
        if (n == null) return;
        n.replica.tick(n.nowMs());
        n.ticks++;
        input(n);
        if (options.snapshotEveryEntries() > 0
                && n.replica.committed().lastZxid() - n.snapshotIndex >= options.snapshotEveryEntries() && rng.nextInt(4) == 0) {
            n.takeSnapshot();
            invariants.disksChanged = true;
            snapshotsTaken++;
            trace.fact(300, n.id, n.snapshotIndex);
        }
        if (n.ticks % TREE_CHECK_TICKS == 0) invariants.checkTree(n, "(periodic check)");
        schedule(options.tickMs(), new SimEvent.Tick(n.id, n.incarnation));
    }

    private void onDeliver(Message m) {
        SimNode n = nodes[m.to()];
        if (!n.isUp() || !network.connected(m.from(), m.to())) return;
        if (m instanceof Message.InstallSnapshot is) {
            SimNode sender = nodes[is.from()];
            if (!sender.isUp()) return;
            var bytes = sender.disk.snapshotBytes(is.index(), is.snapshotTerm());
            if (bytes.isEmpty()) return;
            var state = n.install(is, bytes.get());
            if (state != null) {
                snapshotsInstalled++;
                trace.fact(301, n.id, is.index());
                invariants.checkState(n.id, state, "after installing the leader's snapshot");
            }
        } else {
            n.replica.step(m);
        }
        input(n);
    }

    /** After an input the driver processes at once, or, sometimes, batches further inputs first. */
    private void input(SimNode n) {
        if (options.batchRate() > 0 && rng.nextDouble() < options.batchRate()) {
            if (!n.processScheduled) {
                n.processScheduled = true;
                long max = settling ? Math.min(options.batchDelayMaxMs(), options.healedLatencyMaxMs()) : options.batchDelayMaxMs();
                schedule(rng.nextInt((int) max + 1), new SimEvent.Process(n.id, n.incarnation));
            }
            return;
        }
        n.drain();
    }

    private void restart(SimNode n) {
        SplittableRandom ids = rng.split();
        LongSupplier sessionIds = ids::nextLong;
        SimDisk.Recovered r = n.start(rng.split(), sessionIds);
        trace.fact(400, n.id, r.entries().size(), r.truncatedFrom(), r.snapshotState().lastZxid());
        if (r.truncatedFrom() > 0) tailsCut++;
        invariants.disksChanged = true;
        invariants.afterRestart(n, r);
        invariants.checkAcknowledged(workload.acks, "after restarting node " + n.id);
        schedule(1 + rng.nextInt(options.tickMs()), new SimEvent.Tick(n.id, n.incarnation));
    }

    private void onCrash() {
        if (settling) return;
        List<SimNode> up = new ArrayList<>();
        for (int i = 1; i < nodes.length; i++) if (nodes[i].isUp()) up.add(nodes[i]);
        if (!up.isEmpty()) {
            // Favour the nodes where a crash does the most damage: those with unsynced entries, and the leader.
            List<SimNode> favoured = new ArrayList<>();
            for (SimNode n : up) if (n.disk.hasPendingEntries() || n.replica.isLeader()) favoured.add(n);
            List<SimNode> pool = !favoured.isEmpty() && rng.nextInt(3) != 0 ? favoured : up;
            SimNode n = pool.get(rng.nextInt(pool.size()));
            if (options.scenario().churn && rng.nextBoolean()) {
                // Churn: every node that is up will crash at its next election or at its first commit as leader, so
                // that leaders fall while their entries are on a minority, or just after counting replicas.
                for (SimNode u : up) u.crashTrigger = rng.nextBoolean() ? SimNode.CrashTrigger.ELECTED : SimNode.CrashTrigger.COMMITTED;
                schedule(exponential(options.crashesPerSecond()), new SimEvent.Crash());
                return;
            }
            int roll = rng.nextInt(6);
            if (roll < 2 || (roll == 2 && n.disk.hasPendingEntries())) crash(n);
            else if (roll == 2) n.crashTrigger = SimNode.CrashTrigger.ENTRIES_QUEUED;
            else if (roll == 3) n.crashTrigger = SimNode.CrashTrigger.ELECTED;
            else n.crashTrigger = SimNode.CrashTrigger.COMMITTED;
        }
        schedule(exponential(options.crashesPerSecond()), new SimEvent.Crash());
    }

    private void crash(SimNode n) {
        double roll = rng.nextDouble();
        SimDisk.CrashKind kind = roll < options.tearRate() ? SimDisk.CrashKind.TEAR
                : roll < options.tearRate() + options.keepPrefixRate() ? SimDisk.CrashKind.KEEP_PREFIX : SimDisk.CrashKind.LOSE_ALL;
        n.crash(kind, rng);
        crashes++;
        if (kind == SimDisk.CrashKind.TEAR) tornCrashes++;
        trace.fact(500, n.id, kind.ordinal(), n.disk.log.lastIndex());
        workload.abandon(r -> r.node() == n.id);
        if (probe != null && probe.node() == n.id) probe = null;
        maybeWipe(n);
        invariants.disksChanged = true;
        invariants.checkDurableQuorum("after crashing node " + n.id);
        schedule(1 + rng.nextLong(options.downMaxMs()), new SimEvent.Restart(n.id, n.incarnation));
    }

    /**
     * Now and then the crashed node's disk is wiped: it comes back with an empty log, and with a term above every term
     * any node has (what the operator must restore: the node may have voted in any term up to the highest, and must
     * not vote twice). It is told that its storage lost entries, so it does not vote until it has caught up.
     */
    private void maybeWipe(SimNode n) {
        // A run that shows what happens without the rule wipes more often, to show it soon.
        int oneIn = diskFault == SimNode.DiskFault.WIPED_WITHOUT_NOTICE ? 3 : WIPE_ONE_CRASH_IN;
        if (options.nodes() == 1 || wipeRng.nextInt(oneIn) != 0) return;
        long floor = 0;
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i] != n && nodes[i].storageLost) return;
            floor = Math.max(floor, nodes[i].disk.log.hardState().term());
            if (nodes[i].isUp()) floor = Math.max(floor, nodes[i].replica.softState().term());
        }
        n.disk.wipe(new dev.corral.consensus.HardState(floor + 1, 0, 0));
        n.storageLost = diskFault != SimNode.DiskFault.WIPED_WITHOUT_NOTICE;
        n.storageLostThroughTerm = floor;
        wipes++;
        trace.fact(501, n.id, floor + 1);
    }

    // ---- clients ----

    private void onClientWake(Workload.Client c) {
        if (settling) return;
        workload.abandon(r -> now - r.simMs() > 10_000);
        SimNode target = nodes[c.leaderGuess];
        if (target.isUp()) {
            for (long session : c.heartbeating) target.replica.touchSession(session, target.nowMs());
            workload.timeOut(c, now, options.clientTimeoutMs());
            if (workload.outstandingOf(c) < options.clientOutstandingMax()) {
                Workload.Retry retry = workload.nextRetry(c);
                Op op = retry != null ? retry.op() : workload.nextOp(c);
                Caller caller = retry != null ? retry.caller() : op == null ? Caller.ANONYMOUS : workload.callerFor(c, op);
                submit(target, c, op, caller);
            }
            if (readRng.nextInt(3) == 0) {
                Workload.Request r = workload.newLinearizableRead(c, target.nowMs(), target.id, now);
                trace.fact(601, r.id(), target.id, r.mustSee());
                target.replica.readBarrier(r);
                input(target);
            }
        } else {
            c.leaderGuess = 1 + rng.nextInt(options.nodes());
        }
        schedule(1 + rng.nextInt(2 * options.clientIntervalMs()), new SimEvent.ClientWake(c.id));
    }

    private Workload.Request submit(SimNode n, Workload.Client c, Op op, Caller caller) {
        long barrier = n.replica.lastIndex();
        Workload.Request r = workload.newRequest(c, op, caller, n.nowMs(), n.id, barrier, n.replica.termAt(barrier), op == null, now);
        trace.fact(600, r.id(), n.id, barrier);
        if (op == null) n.replica.sync(r);
        else n.replica.submit(op, caller, n.nowMs(), r);
        input(n);
        return r;
    }

    @Override
    public void completed(SimNode n, Replica.Completion<Workload.Request> c) {
        Workload.Request r = c.token();
        Outcome o = c.outcome();
        if (completedRequests.get((int) r.id())) throw new AssertionError("request " + r.id() + " completed twice, now with " + o);
        completedRequests.set((int) r.id());
        workload.complete(r, o);
        trace.fact(700, r.id(), switch (o) {
            case Outcome.Done d -> d.zxid();
            case Outcome.Refused x -> -1;
            case Outcome.Unavailable x -> -2;
            case Outcome.Lost x -> -3;
            // Only the production driver answers "unknown", when its storage fails; a replica never does.
            case Outcome.Unknown x -> throw new AssertionError("request " + r.id() + " completed as unknown: " + x);
        });
        switch (o) {
            case Outcome.Done d -> invariants.done(r, d);
            case Outcome.Refused x -> invariants.refused(r, x);
            default -> { }
        }
        if (r == probe) {
            if (o instanceof Outcome.Done d) probeZxid = d.zxid();
            probe = null;
        }
    }

    // ---- liveness ----

    private void maybeFinish() {
        if (now - healAt > options.settleBoundMs()) {
            throw new AssertionError("liveness: the healed cluster did not converge within " + options.settleBoundMs() + " ms: "
                    + nodeStates() + (probeZxid < 0 ? "; no write committed since healing (" + probeAttempts + " attempts)" : ""));
        }
        SimNode leader = null;
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            if (n.isUp() && n.replica.isLeader() && n.replica.softState().role() == Role.LEADER) leader = n;
        }
        if (leader == null) return;
        if (probeZxid < 0) {
            if (probe != null && now - probe.simMs() > PROBE_TIMEOUT_MS) probe = null;
            if (probe == null) {
                probeAttempts++;
                Op op = new Op.Create("/probe" + probeAttempts, new byte[] {1}, Acl.OPEN, CreateMode.PERSISTENT, -1);
                probe = submit(leader, workload.clients.getFirst(), op, Caller.ANONYMOUS);
            }
            return;
        }
        long commit = leader.replica.commitIndex();
        if (commit < probeZxid || leader.replica.lastIndex() != commit) return;
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            if (!n.isUp() || n.replica.commitIndex() != commit || n.replica.committed().lastZxid() != commit) return;
        }
        for (int i = 1; i < nodes.length; i++) invariants.checkTree(nodes[i], "at the end");
        invariants.checkDurableQuorum("at the end");
        FinalCheck.run(invariants.reference, workload.acks, leader.replica.committed());
        finished = true;
    }

    // ---- environment for nodes ----

    @Override
    public long now() {
        return now;
    }

    @Override
    public void send(SimNode from, Message m) {
        invariants.beforeSend(from, m);
        for (long delay : network.send(m)) schedule(delay, new SimEvent.Deliver(m));
    }

    @Override
    public void requestSync(SimNode n) {
        if (n.crashTrigger == SimNode.CrashTrigger.ENTRIES_QUEUED && n.disk.hasPendingEntries()) {
            n.crashTrigger = SimNode.CrashTrigger.NONE;
            schedule(rng.nextInt(options.syncMinMs() + 1), new SimEvent.CrashNode(n.id, n.incarnation));
        }
        if (n.syncScheduled) return;
        n.syncScheduled = true;
        long max = settling ? Math.min(options.syncMaxMs(), options.healedLatencyMaxMs()) : options.syncMaxMs();
        long min = Math.min(options.syncMinMs(), max);
        schedule(min + rng.nextInt((int) (max - min) + 1), new SimEvent.Sync(n.id, n.incarnation));
    }

    @Override
    public void softState(SimNode n, SoftState s) {
        invariants.softState(n, s);
        if (s.role() == Role.LEADER && options.scenario().churn && !settling && rng.nextBoolean()) {
            // Churn: cut off a leader as it is elected, so that its first entries stay on its disk alone and its log
            // diverges from the one the others go on with.
            network.cutOutbound(n.id);
            partitions++;
            schedule(1 + rng.nextLong(options.partitionMaxMs()), new SimEvent.HealPartition(partitions));
        }
        if (s.role() == Role.LEADER && n.crashTrigger == SimNode.CrashTrigger.ELECTED) {
            n.crashTrigger = SimNode.CrashTrigger.NONE;
            schedule(rng.nextInt(2 * options.tickMs()), new SimEvent.CrashNode(n.id, n.incarnation));
        }
    }

    /** No node ever finds its tree different from the leader's: every node applies the same log alike. */
    @Override
    public void digestMismatch(SimNode n, DigestMismatch m) {
        throw new AssertionError("node " + n.id + ": " + m.describe());
    }

    @Override
    public void applied(SimNode n, Entry e) {
        trace.fact(800, n.id, e.index(), e.term());
        invariants.applied(n, e);
        if (n.crashTrigger == SimNode.CrashTrigger.COMMITTED && n.replica.isLeader()) {
            n.crashTrigger = SimNode.CrashTrigger.NONE;
            schedule(rng.nextInt(3), new SimEvent.CrashNode(n.id, n.incarnation));
        }
    }

    // ---- plumbing ----

    private void schedule(long delayMs, SimEvent e) {
        queue.add(new Scheduled(now + delayMs, seq++, e));
    }

    private long exponential(double perSecond) {
        if (perSecond <= 0) return Long.MAX_VALUE / 4;
        return 1 + (long) (-Math.log(1 - rng.nextDouble()) * 1000 / perSecond);
    }

    String nodeStates() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            sb.append(i == 1 ? "" : "; ").append("node ").append(i);
            if (!n.isUp()) {
                sb.append(" down");
                continue;
            }
            SoftState s = n.replica.softState();
            sb.append(' ').append(s.role()).append(" term ").append(s.term()).append(" leader ").append(s.leaderId())
                    .append(" commit ").append(n.replica.commitIndex()).append(" last ").append(n.replica.lastIndex())
                    .append(" (term ").append(n.replica.termAt(n.replica.lastIndex())).append(')')
                    .append(" applied ").append(n.replica.committed().lastZxid()).append(" unsynced ").append(n.disk.pendingCount());
        }
        return sb.toString();
    }

    String recentEvents() {
        return trace.recentEvents();
    }

    String summary() {
        return String.format(java.util.Locale.ROOT,
                "%s seed %d (applied log budget %d bytes, digest check every %d entries): %d steps, %d ms simulated, committed %d entries (%d digest checks); requests %d (done %d, refused %d, unavailable %d, lost %d, unknown %d); "
                        + "leaders %d; crashes %d (torn %d, tails cut %d, wiped %d); partitions %d; snapshots taken %d, installed %d; tree checks %d; messages sent %d (lost %d, cut %d, duplicated %d)",
                options.scenario(), seed, appliedLogBytes, digestEveryEntries, steps, now, invariants.reference.lastIndex(), invariants.reference.digestChecks, workload.submitted, workload.done, workload.refused,
                workload.unavailable, workload.lost, workload.unknown, invariants.leaders(), crashes, tornCrashes, tailsCut, wipes, partitions, snapshotsTaken, snapshotsInstalled,
                invariants.treeChecks, network.sent, network.lost, network.cut, network.duplicated);
    }

    long steps() {
        return steps;
    }

    long traceHash() {
        return trace.hash();
    }

    long nowMs() {
        return now;
    }
}
