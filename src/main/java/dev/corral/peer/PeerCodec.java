package dev.corral.peer;

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
import java.util.List;

/**
 * The binary bodies of internal REST between members: batches of replication messages, forwarded writes
 * (an {@link Op} with its {@link Caller}) and their {@link Outcome}s. Each body starts with a format byte, so a
 * member can refuse a body from a newer release instead of misreading it. Enums travel by name, so reordering
 * them in a later release changes nothing on the wire.
 */
public final class PeerCodec {
    static final int FORMAT = 1;
    private static final int MESSAGES_MAX = 1 << 16;

    private PeerCodec() {}

    // ---- replication messages ----

    public static byte[] encodeMessages(List<Message> messages) {
        Bytes.Out out = new Bytes.Out().u8(FORMAT).i32(messages.size());
        for (Message m : messages) writeMessage(out, m);
        return out.toArray();
    }

    public static List<Message> decodeMessages(byte[] body) {
        Bytes.In in = format(body);
        int n = in.count(13);
        if (n > MESSAGES_MAX) throw new Bytes.MalformedPeerBody(n + " messages in one body; at most " + MESSAGES_MAX);
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(readMessage(in));
        in.end();
        return out;
    }

    private static void writeMessage(Bytes.Out out, Message m) {
        switch (m) {
            case Message.PreVote v -> head(out, 1, m).i64(v.lastIndex()).i64(v.lastTerm());
            case Message.PreVoteResponse r -> head(out, 2, m).bool(r.granted());
            case Message.Vote v -> head(out, 3, m).i64(v.lastIndex()).i64(v.lastTerm());
            case Message.VoteResponse r -> head(out, 4, m).bool(r.granted());
            case Message.Append a -> {
                head(out, 5, m).i64(a.prevIndex()).i64(a.prevTerm()).i64(a.commit()).i32(a.entries().size());
                for (Entry e : a.entries()) out.i64(e.index()).i64(e.term()).bytes(e.data());
            }
            case Message.AppendResponse r -> head(out, 6, m).bool(r.success()).i64(r.index());
            case Message.InstallSnapshot s -> head(out, 7, m).i64(s.index()).i64(s.snapshotTerm());
            case Message.ReadIndex r -> head(out, 8, m).i64(r.seq());
            case Message.ReadIndexResponse r -> head(out, 9, m).i64(r.seq());
        }
    }

    private static Bytes.Out head(Bytes.Out out, int kind, Message m) {
        return out.u8(kind).i32(m.from()).i32(m.to()).i64(m.term());
    }

    private static Message readMessage(Bytes.In in) {
        int kind = in.u8();
        int from = in.i32();
        int to = in.i32();
        long term = in.i64();
        return switch (kind) {
            case 1 -> new Message.PreVote(from, to, term, in.i64(), in.i64());
            case 2 -> new Message.PreVoteResponse(from, to, term, in.bool());
            case 3 -> new Message.Vote(from, to, term, in.i64(), in.i64());
            case 4 -> new Message.VoteResponse(from, to, term, in.bool());
            case 5 -> {
                long prevIndex = in.i64();
                long prevTerm = in.i64();
                long commit = in.i64();
                int n = in.count(20);
                List<Entry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long index = in.i64();
                    long t = in.i64();
                    byte[] data = in.bytes();
                    try {
                        entries.add(new Entry(index, t, data));
                    } catch (IllegalArgumentException e) {
                        throw new Bytes.MalformedPeerBody(e.getMessage());
                    }
                }
                yield new Message.Append(from, to, term, prevIndex, prevTerm, List.copyOf(entries), commit);
            }
            case 6 -> new Message.AppendResponse(from, to, term, in.bool(), in.i64());
            case 7 -> new Message.InstallSnapshot(from, to, term, in.i64(), in.i64());
            case 8 -> new Message.ReadIndex(from, to, term, in.i64());
            case 9 -> new Message.ReadIndexResponse(from, to, term, in.i64());
            default -> throw new Bytes.MalformedPeerBody("unknown message kind " + kind);
        };
    }

    // ---- session heartbeats ----

    public static byte[] encodeSessionIds(long[] ids) {
        Bytes.Out out = new Bytes.Out().u8(FORMAT).i32(ids.length);
        for (long id : ids) out.i64(id);
        return out.toArray();
    }

    public static long[] decodeSessionIds(byte[] body) {
        Bytes.In in = format(body);
        long[] ids = new long[in.count(8)];
        for (int i = 0; i < ids.length; i++) ids[i] = in.i64();
        in.end();
        return ids;
    }

    /** A member's current term, the answer to {@code /internal/term}. */
    public static byte[] encodeTerm(long term) {
        return new Bytes.Out().u8(FORMAT).i64(term).toArray();
    }

    public static long decodeTerm(byte[] body) {
        Bytes.In in = format(body);
        long term = in.i64();
        in.end();
        if (term < 0) throw new Bytes.MalformedPeerBody("negative term " + term);
        return term;
    }

    // ---- forwarded writes ----

    public static byte[] encodeForward(Op op, Caller caller) {
        Bytes.Out out = new Bytes.Out().u8(FORMAT);
        writeCaller(out, caller);
        writeOp(out, op);
        return out.toArray();
    }

    /** A forwarded write: the operation and who asks for it. */
    public record Forward(Op op, Caller caller) {}

    public static Forward decodeForward(byte[] body) {
        Bytes.In in = format(body);
        Caller caller = readCaller(in);
        Op op = readOp(in, 0);
        in.end();
        return new Forward(op, caller);
    }

    private static void writeCaller(Bytes.Out out, Caller c) {
        out.i64(c.sessionId()).i32(c.ids().size());
        for (AuthId id : c.ids()) out.str(id.scheme()).str(id.id());
    }

    private static Caller readCaller(Bytes.In in) {
        long session = in.i64();
        int n = in.count(8);
        List<AuthId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(new AuthId(in.str(), in.str()));
        return new Caller(session, ids);
    }

    private static void writeOp(Bytes.Out out, Op op) {
        switch (op) {
            case Op.Create c -> {
                out.u8(1).str(c.path()).bytes(c.data());
                writeAcls(out, c.acl());
                out.str(c.mode().name()).i64(c.ttlMs());
            }
            case Op.Delete d -> out.u8(2).str(d.path()).i32(d.version());
            case Op.SetData s -> out.u8(3).str(s.path()).bytes(s.data()).i32(s.version());
            case Op.SetAcl s -> {
                out.u8(4).str(s.path());
                writeAcls(out, s.acl());
                out.i32(s.aversion());
            }
            case Op.Check c -> out.u8(5).str(c.path()).i32(c.version());
            case Op.Multi m -> {
                out.u8(6).i32(m.ops().size());
                for (Op o : m.ops()) writeOp(out, o);
            }
            case Op.CreateSession s -> out.u8(7).i32(s.requestedTimeoutMs());
            case Op.CloseSession s -> out.u8(8).i64(s.sessionId());
            case Op.Reap r -> out.u8(9).str(r.path());
        }
    }

    private static Op readOp(Bytes.In in, int depth) {
        int kind = in.u8();
        return switch (kind) {
            case 1 -> new Op.Create(in.str(), in.bytes(), readAcls(in), mode(in.str()), in.i64());
            case 2 -> new Op.Delete(in.str(), in.i32());
            case 3 -> new Op.SetData(in.str(), in.bytes(), in.i32());
            case 4 -> new Op.SetAcl(in.str(), readAcls(in), in.i32());
            case 5 -> new Op.Check(in.str(), in.i32());
            case 6 -> {
                if (depth > 0) throw new Bytes.MalformedPeerBody("a multi inside a multi");
                int n = in.count(5);
                List<Op> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) ops.add(readOp(in, depth + 1));
                yield new Op.Multi(ops);
            }
            case 7 -> new Op.CreateSession(in.i32());
            case 8 -> new Op.CloseSession(in.i64());
            case 9 -> new Op.Reap(in.str());
            default -> throw new Bytes.MalformedPeerBody("unknown operation kind " + kind);
        };
    }

    private static CreateMode mode(String name) {
        try {
            return CreateMode.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Bytes.MalformedPeerBody("unknown create mode " + name);
        }
    }

    private static void writeAcls(Bytes.Out out, List<Acl> acls) {
        if (acls == null) {
            out.i32(-1);
            return;
        }
        out.i32(acls.size());
        for (Acl a : acls) out.i32(a.perms()).str(a.scheme()).str(a.id());
    }

    private static List<Acl> readAcls(Bytes.In in) {
        int n = in.i32();
        if (n == -1) return null;
        if (n < 0 || (long) n * 12 > Integer.MAX_VALUE) throw new Bytes.MalformedPeerBody("bad ACL count " + n);
        List<Acl> acls = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) acls.add(new Acl(in.i32(), in.str(), in.str()));
        return acls;
    }

    // ---- outcomes ----

    /**
     * A leader's answer to a forwarded write or a barrier: the outcome, and the zxid of the leader's served tree when
     * it answered. A follower waits until it has applied that zxid before it answers its client, so that the client's
     * next read there sees what the leader's answer saw (a refusal included: {@code NODE_EXISTS} means the node is
     * there to read).
     */
    public record Reply(Outcome outcome, long appliedZxid) {}

    public static byte[] encodeReply(Reply reply) {
        Bytes.Out out = new Bytes.Out().u8(FORMAT).i64(reply.appliedZxid());
        writeOutcome(out, reply.outcome());
        return out.toArray();
    }

    public static Reply decodeReply(byte[] body) {
        Bytes.In in = format(body);
        long zxid = in.i64();
        Outcome o = readOutcome(in);
        in.end();
        return new Reply(o, zxid);
    }

    private static void writeOutcome(Bytes.Out out, Outcome outcome) {
        switch (outcome) {
            case Outcome.Done d -> {
                out.u8(1).i64(d.zxid());
                writeResult(out, d.result());
            }
            case Outcome.Refused r -> {
                out.u8(2).str(r.code().name()).str(r.path()).str(r.message()).i32(r.failedIndex()).i32(r.results().size());
                for (OpResult res : r.results()) writeResult(out, res);
            }
            case Outcome.Unavailable u -> out.u8(3).str(u.code().name()).i32(u.leaderId()).str(u.message());
            case Outcome.Lost l -> out.u8(4).str(l.message());
            case Outcome.Unknown u -> out.u8(5).str(u.message());
        }
    }

    private static Outcome readOutcome(Bytes.In in) {
        int kind = in.u8();
        return switch (kind) {
            case 1 -> {
                long zxid = in.i64();
                yield new Outcome.Done(readResult(in, 0), zxid);
            }
            case 2 -> {
                ErrorCode code = code(in.str());
                String path = in.str();
                String message = in.str();
                int failed = in.i32();
                int n = in.count(1);
                List<OpResult> results = new ArrayList<>(n);
                for (int i = 0; i < n; i++) results.add(readResult(in, 1));
                yield new Outcome.Refused(code, path, message, results, failed);
            }
            case 3 -> new Outcome.Unavailable(code(in.str()), in.i32(), in.str());
            case 4 -> new Outcome.Lost(in.str());
            case 5 -> new Outcome.Unknown(in.str());
            default -> throw new Bytes.MalformedPeerBody("unknown outcome kind " + kind);
        };
    }

    private static ErrorCode code(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Bytes.MalformedPeerBody("unknown error code " + name);
        }
    }

    private static void writeResult(Bytes.Out out, OpResult r) {
        switch (r) {
            case OpResult.Created c -> writeStat(out.u8(1).str(c.path()), c.stat());
            case OpResult.Deleted d -> out.u8(2).str(d.path());
            case OpResult.DataSet s -> writeStat(out.u8(3).str(s.path()), s.stat());
            case OpResult.AclSet s -> {
                out.u8(4).str(s.path());
                writeAcls(out, s.acl());
                writeStat(out, s.stat());
            }
            case OpResult.Checked c -> out.u8(5).str(c.path());
            case OpResult.SessionOpened s -> out.u8(6).i64(s.sessionId()).i32(s.timeoutMs()).i64(s.secret().high()).i64(s.secret().low());
            case OpResult.SessionClosed s -> out.u8(7).i64(s.sessionId());
            case OpResult.MultiDone m -> {
                out.u8(8).i32(m.results().size());
                for (OpResult x : m.results()) writeResult(out, x);
            }
            case OpResult.Failed f -> out.u8(9).str(f.code().name()).str(f.path());
            case OpResult.Nothing n -> out.u8(10);
        }
    }

    private static OpResult readResult(Bytes.In in, int depth) {
        int kind = in.u8();
        return switch (kind) {
            case 1 -> new OpResult.Created(in.str(), readStat(in));
            case 2 -> new OpResult.Deleted(in.str());
            case 3 -> new OpResult.DataSet(in.str(), readStat(in));
            case 4 -> new OpResult.AclSet(in.str(), readAcls(in), readStat(in));
            case 5 -> new OpResult.Checked(in.str());
            case 6 -> new OpResult.SessionOpened(in.i64(), in.i32(), new SessionSecret(in.i64(), in.i64()));
            case 7 -> new OpResult.SessionClosed(in.i64());
            case 8 -> {
                if (depth > 1) throw new Bytes.MalformedPeerBody("results nested too deep");
                int n = in.count(1);
                List<OpResult> results = new ArrayList<>(n);
                for (int i = 0; i < n; i++) results.add(readResult(in, depth + 1));
                yield new OpResult.MultiDone(results);
            }
            case 9 -> new OpResult.Failed(code(in.str()), in.str());
            case 10 -> new OpResult.Nothing();
            default -> throw new Bytes.MalformedPeerBody("unknown result kind " + kind);
        };
    }

    private static Bytes.Out writeStat(Bytes.Out out, Stat s) {
        return out.i64(s.czxid()).i64(s.mzxid()).i64(s.pzxid()).i64(s.ctime()).i64(s.mtime()).i32(s.version()).i32(s.cversion())
                .i32(s.aversion()).i64(s.ephemeralOwner()).i32(s.dataLength()).i32(s.numChildren());
    }

    private static Stat readStat(Bytes.In in) {
        return new Stat(in.i64(), in.i64(), in.i64(), in.i64(), in.i64(), in.i32(), in.i32(), in.i32(), in.i64(), in.i32(), in.i32());
    }

    private static Bytes.In format(byte[] body) {
        Bytes.In in = new Bytes.In(body);
        int f = in.u8();
        if (f != FORMAT) throw new Bytes.MalformedPeerBody("body format " + f + "; this member reads format " + FORMAT);
        return in;
    }
}
