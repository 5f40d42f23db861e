package dev.corral.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Message;
import dev.corral.consensus.Role;
import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.Op;
import dev.corral.txn.Acl;
import org.junit.jupiter.api.Test;

/** Observers (corral.observers): they replicate and apply the log but never vote, campaign or count towards a quorum. */
class ObserverScriptedTest {
    private static final int OBSERVER = 4;

    private static Op create(String path) {
        return new Op.Create(path, new byte[] {1}, Acl.OPEN, CreateMode.PERSISTENT, -1);
    }

    private static ScriptedCluster electedWithObserver() {
        ScriptedCluster c = ScriptedCluster.withObservers(3, 1);
        c.tickUntil(1, Role.PRE_CANDIDATE);
        c.exchange(m -> true);
        assertEquals(Role.LEADER, c.node(1).softState().role());
        c.exchange(m -> true);
        return c;
    }

    @Test
    void anObserverAppliesCommittedWritesButNeverCampaignsOrVotes() {
        ScriptedCluster c = electedWithObserver();
        c.node(1).submit(create("/a"), Caller.ANONYMOUS, c.now(), "a");
        c.process(1);
        c.exchange(m -> true);
        assertTrue(c.outcomes.get("a") instanceof Outcome.Done, String.valueOf(c.outcomes.get("a")));
        c.node(1).tick(c.now() + 10);
        c.process(1);
        c.exchange(m -> true);
        assertTrue(c.node(OBSERVER).committed().find("/a") != null, "the observer applied the committed write");
        assertEquals(1, c.node(OBSERVER).softState().leaderId());

        // Cut the observer off from everyone for many election timeouts: it never campaigns.
        for (int i = 0; i < 100; i++) {
            c.node(OBSERVER).tick(c.now() + 10 * i);
            c.process(OBSERVER);
        }
        assertEquals(Role.FOLLOWER, c.node(OBSERVER).softState().role());
        assertTrue(c.inFlight.stream().noneMatch(m -> m.from() == OBSERVER && (m instanceof Message.PreVote || m instanceof Message.Vote)),
                "an observer asked for votes");

        // A candidate does not ask the observer for a vote, and the observer grants none when asked anyway.
        c.inFlight.clear();
        c.node(OBSERVER).step(new Message.Vote(2, OBSERVER, 99, 100, 99));
        c.process(OBSERVER);
        assertTrue(c.inFlight.stream().noneMatch(m -> m instanceof Message.VoteResponse r && r.granted()), "an observer granted a vote");
    }

    @Test
    void anObserversAcknowledgementDoesNotCommitAndDoesNotKeepALeaderInPower() {
        ScriptedCluster c = electedWithObserver();
        // Voters 2 and 3 are cut off; only the observer still hears from the leader and answers.
        c.node(1).submit(create("/b"), Caller.ANONYMOUS, c.now(), "b");
        c.process(1);
        for (int i = 0; i < 30; i++) {
            c.drop(m -> m.to() == 2 || m.to() == 3 || m.from() == 2 || m.from() == 3);
            c.exchange(m -> m.from() == 1 || m.from() == OBSERVER);
            c.node(1).tick(c.now() + 10 * (i + 1));
            c.process(1);
        }
        assertFalse(c.outcomes.get("b") instanceof Outcome.Done, "a write acknowledged only by the leader and an observer committed");
        assertNotEquals(Role.LEADER, c.node(1).softState().role(), "check-quorum counted the observer as a voter");
        assertFalse(c.node(OBSERVER).committed().find("/b") != null);
    }
}
