package dev.corral.sim;

import dev.corral.consensus.Message;

/**
 * The run's trace: a fingerprint of every event and of what the nodes did with it (entries applied, outcomes,
 * crashes, restarts), and the most recent events for failure messages. Two runs of one seed must end with the
 * same fingerprint; that is how the tests show a seed replays exactly.
 */
final class Trace {
    private static final int RECENT = 48;

    private final Fingerprint fingerprint = new Fingerprint();
    private final SimEvent[] recent = new SimEvent[RECENT];
    private final long[] recentAt = new long[RECENT];
    private long events;

    void event(long at, SimEvent e) {
        events++;
        recent[(int) (events % RECENT)] = e;
        recentAt[(int) (events % RECENT)] = at;
        fingerprint.add(at);
        switch (e) {
            case SimEvent.Tick t -> fingerprint.add(1).add(t.node());
            case SimEvent.Deliver d -> message(d.m());
            case SimEvent.Sync x -> fingerprint.add(3).add(x.node());
            case SimEvent.Process x -> fingerprint.add(4).add(x.node());
            case SimEvent.ClientWake x -> fingerprint.add(5).add(x.client());
            case SimEvent.Crash x -> fingerprint.add(6);
            case SimEvent.CrashNode x -> fingerprint.add(7).add(x.node());
            case SimEvent.Restart x -> fingerprint.add(8).add(x.node());
            case SimEvent.Partition x -> fingerprint.add(9);
            case SimEvent.HealPartition x -> fingerprint.add(10).add(x.partition());
            case SimEvent.Heal x -> fingerprint.add(11);
        }
    }

    private void message(Message m) {
        fingerprint.add(2).add(m.getClass().getSimpleName()).add(m.from()).add(m.to()).add(m.term());
        switch (m) {
            case Message.Append a -> fingerprint.add(a.prevIndex()).add(a.prevTerm()).add(a.entries().size()).add(a.commit());
            case Message.AppendResponse r -> fingerprint.add(r.success()).add(r.index());
            case Message.InstallSnapshot is -> fingerprint.add(is.index()).add(is.snapshotTerm());
            case Message.Vote v -> fingerprint.add(v.lastIndex()).add(v.lastTerm());
            case Message.PreVote v -> fingerprint.add(v.lastIndex()).add(v.lastTerm());
            case Message.VoteResponse v -> fingerprint.add(v.granted());
            case Message.PreVoteResponse v -> fingerprint.add(v.granted());
            case Message.ReadIndex r -> fingerprint.add(r.seq());
            case Message.ReadIndexResponse r -> fingerprint.add(r.seq());
        }
    }

    /** Records a fact that is not an event: a kind tag and its values. */
    void fact(int kind, long... values) {
        fingerprint.add(kind);
        for (long v : values) fingerprint.add(v);
    }

    long hash() {
        return fingerprint.value();
    }

    String recentEvents() {
        StringBuilder sb = new StringBuilder();
        for (long k = Math.max(1, events - RECENT + 1); k <= events; k++) {
            String e = recent[(int) (k % RECENT)].toString();
            if (e.length() > 200) e = e.substring(0, 200) + "…";
            sb.append("\n  step ").append(k).append(" t=").append(recentAt[(int) (k % RECENT)]).append(' ').append(e);
        }
        return sb.toString();
    }
}
