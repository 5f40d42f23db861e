package dev.corral.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.Message;
import dev.corral.replica.Outcome;
import dev.corral.tree.AuthId;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Stat;
import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerCodecTest {
    private static final Stat STAT = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    @Test
    void everyMessageKindRoundTrips() {
        List<Message> messages = List.of(
                new Message.PreVote(1, 2, 3, 4, 5),
                new Message.PreVoteResponse(2, 1, 3, true),
                new Message.Vote(1, 3, 7, 8, 9),
                new Message.VoteResponse(3, 1, 7, false),
                new Message.Append(1, 2, 7, 10, 6, List.of(new Entry(11, 7, new byte[] {1, 2, 3}), new Entry(12, 7, new byte[0])), 9),
                new Message.Append(1, 2, 7, 12, 7, List.of(), 12),
                new Message.AppendResponse(2, 1, 7, true, 12),
                new Message.InstallSnapshot(1, 3, 7, 100, 6),
                new Message.ReadIndex(1, 2, 7, 41), new Message.ReadIndexResponse(2, 1, 7, 41));
        List<Message> back = PeerCodec.decodeMessages(PeerCodec.encodeMessages(messages));
        assertEquals(messages.size(), back.size());
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof Message.Append a) {
                Message.Append b = (Message.Append) back.get(i);
                assertEquals(List.of(a.from(), a.to(), a.term(), a.prevIndex(), a.prevTerm(), a.commit()),
                        List.of(b.from(), b.to(), b.term(), b.prevIndex(), b.prevTerm(), b.commit()));
                for (int k = 0; k < a.entries().size(); k++) {
                    assertEquals(a.entries().get(k).index(), b.entries().get(k).index());
                    assertArrayEquals(a.entries().get(k).data(), b.entries().get(k).data());
                }
            } else {
                assertEquals(messages.get(i), back.get(i));
            }
        }
    }

    @Test
    void forwardedWritesKeepTheirOperationAndCaller() {
        Caller caller = new Caller(0x0102030405060708L, List.of(new AuthId("digest", "bob:xyz"), new AuthId("ip", "127.0.0.1")));
        List<Op> ops = List.of(
                new Op.Create("/a", new byte[] {7}, List.of(new Acl(31, "world", "anyone")), CreateMode.PERSISTENT_SEQUENTIAL_TTL, 5000),
                new Op.Create("/b", new byte[0], null, CreateMode.EPHEMERAL, -1),
                new Op.Delete("/a", 3), new Op.SetData("/a", new byte[] {1, 2}, -1), new Op.SetAcl("/a", List.of(), 2), new Op.Check("/a", 0),
                new Op.CreateSession(30_000), new Op.CloseSession(42), new Op.Reap("/c"),
                new Op.Multi(List.of(new Op.Check("/x", 1), new Op.Delete("/x", -1))));
        for (Op op : ops) {
            PeerCodec.Forward f = PeerCodec.decodeForward(PeerCodec.encodeForward(op, caller));
            assertEquals(caller, f.caller());
            assertEquals(describe(op), describe(f.op()), "round trip of " + op);
        }
    }

    @Test
    void everyOutcomeRoundTripsWithTheLeadersAppliedZxid() {
        List<Outcome> outcomes = List.of(
                new Outcome.Done(new OpResult.Created("/a", STAT), 17),
                new Outcome.Done(new OpResult.SessionOpened(99, 4000, new SessionSecret(5, 6)), 18),
                new Outcome.Done(new OpResult.MultiDone(List.of(new OpResult.Deleted("/b"), new OpResult.DataSet("/c", STAT),
                        new OpResult.AclSet("/d", List.of(new Acl(1, "world", "anyone")), STAT), new OpResult.Checked("/e"),
                        new OpResult.SessionClosed(3), new OpResult.Nothing())), 19),
                new Outcome.Refused(ErrorCode.NODE_EXISTS, "/a", "node exists", List.of(), -1),
                new Outcome.Refused(ErrorCode.BAD_VERSION, null, "multi failed", List.of(new OpResult.Failed(ErrorCode.OK, "/x"),
                        new OpResult.Failed(ErrorCode.BAD_VERSION, "/y")), 1),
                new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 3, "not the leader"),
                new Outcome.Lost("replaced"),
                new Outcome.Unknown("storage"));
        for (Outcome o : outcomes) {
            PeerCodec.Reply r = PeerCodec.decodeReply(PeerCodec.encodeReply(new PeerCodec.Reply(o, 1234)));
            assertEquals(1234, r.appliedZxid());
            assertEquals(String.valueOf(o), String.valueOf(r.outcome()));
        }
    }

    /**
     * A damaged or hostile body never decodes into something else and never allocates what a length field claims:
     * every truncation and many random byte flips of valid bodies either decode or fail with MalformedPeerBody.
     */
    @Test
    void truncatedAndMutatedBodiesAreRefusedCleanly() {
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(PeerCodec.encodeMessages(List.of(new Message.Append(1, 2, 7, 10, 6, List.of(new Entry(11, 7, new byte[300])), 9))));
        bodies.add(PeerCodec.encodeForward(new Op.Multi(List.of(new Op.Create("/a", new byte[50], null, CreateMode.PERSISTENT, -1))),
                new Caller(1, List.of(new AuthId("x", "y")))));
        bodies.add(PeerCodec.encodeReply(new PeerCodec.Reply(new Outcome.Done(new OpResult.Created("/a", STAT), 1), 2)));
        SplittableRandom rng = new SplittableRandom(7);
        int refused = 0;
        for (byte[] body : bodies) {
            for (int cut = 0; cut < body.length; cut++) {
                byte[] part = Arrays.copyOf(body, cut);
                refused += decodesOrRefuses(part) ? 0 : 1;
            }
            for (int i = 0; i < 2000; i++) {
                byte[] m = body.clone();
                m[rng.nextInt(m.length)] = (byte) rng.nextInt(256);
                if (rng.nextBoolean()) m[rng.nextInt(m.length)] = (byte) 0x7f;
                decodesOrRefuses(m);
            }
        }
        assertTrue(refused > 0);
        // A length prefix claiming 2 GiB is refused without allocating it.
        byte[] huge = {1, 0, 0, 0, 1, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,
                0, 0, 0, 0, 0, 0, 0, 1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(Bytes.MalformedPeerBody.class, () -> PeerCodec.decodeMessages(huge));
        assertThrows(Bytes.MalformedPeerBody.class, () -> PeerCodec.decodeMessages(new byte[] {2, 0, 0, 0, 0}), "a newer format");
    }

    /** True if the body decodes as any of the kinds, false if every decoder refused it with MalformedPeerBody. */
    private static boolean decodesOrRefuses(byte[] body) {
        boolean any = false;
        try {
            PeerCodec.decodeMessages(body);
            any = true;
        } catch (Bytes.MalformedPeerBody e) {
            // refused cleanly
        }
        try {
            PeerCodec.decodeForward(body);
            any = true;
        } catch (Bytes.MalformedPeerBody e) {
            // refused cleanly
        }
        try {
            PeerCodec.decodeReply(body);
            any = true;
        } catch (Bytes.MalformedPeerBody e) {
            // refused cleanly
        }
        return any;
    }

    private static String describe(Op op) {
        return switch (op) {
            case Op.Create c -> "create " + c.path() + Arrays.toString(c.data()) + c.acl() + c.mode() + c.ttlMs();
            case Op.SetData s -> "set " + s.path() + Arrays.toString(s.data()) + s.version();
            case Op.Multi m -> "multi " + m.ops().stream().map(PeerCodecTest::describe).toList();
            default -> op.toString();
        };
    }
}
