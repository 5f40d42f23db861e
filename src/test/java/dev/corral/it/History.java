package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What clients of a node that is killed and restarted were told, znode by znode and session by session.
 *
 * <p>Each znode is written by one client thread at a time, one request after another, so its history is a
 * sequence: the model keeps the last <em>acknowledged</em> state (data, version and mzxid as the node
 * reported them) and at most one later write whose outcome is <em>unknown</em> (the connection broke, the
 * node was killed, or it answered 5xx). A znode with an unknown write is not written again until a restart
 * and {@link Verifier} resolve it from what the node then holds. Payloads are unique, so the data a znode
 * holds says which write it came from.
 *
 * <p>Thread-safe for the recording threads: the maps are concurrent and each {@link Znode} or {@link Session}
 * is mutated only by the one thread that owns it (and by the verifier after those threads have ended).
 */
final class History {
    enum Kind {
        CREATE,
        SET,
        DELETE
    }

    /** A write whose outcome the client does not know. */
    record Write(Kind kind, byte[] data) {}

    /** One znode as its writer saw it. */
    static final class Znode {
        final String path;
        /** The session owning it, for an ephemeral; 0 for a persistent znode. */
        final long owner;
        /** The workload thread that writes it; -1 for fixtures and ephemerals. */
        final int writer;
        boolean exists;
        byte[] data;
        int version;
        long mzxid;
        Write pending;

        Znode(String path, long owner, int writer) {
            this.path = path;
            this.owner = owner;
            this.writer = writer;
        }

        /** Acknowledged to exist and no write in doubt: the workload may write it again. */
        boolean isClean() {
            return exists && pending == null;
        }

        @Override
        public String toString() {
            return path + " (acked " + (exists ? "v" + version + " mzxid " + mzxid + " data " + History.text(data) : "absent")
                    + (pending == null ? "" : ", then " + pending.kind() + (pending.data() == null ? "" : " " + History.text(pending.data()))
                            + " with unknown outcome") + ")";
        }
    }

    /** One session as its client saw it. */
    static final class Session {
        final String id;
        /** The session's secret, which every act as the session presents. */
        final String secret;
        final long idValue;
        final List<Znode> ephemerals = new ArrayList<>();
        /** The close was acknowledged (204): the session and its ephemerals must be gone. */
        volatile boolean closed;
        /** A close was sent and its outcome is unknown. */
        volatile boolean closePending;

        Session(String id, String secret) {
            this.id = id;
            this.secret = secret;
            this.idValue = Long.parseUnsignedLong(id, 16);
        }

        boolean isUsable() {
            return !closed && !closePending;
        }
    }

    final Map<String, Znode> znodes = new ConcurrentHashMap<>();
    final Map<String, Session> sessions = new ConcurrentHashMap<>();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();
    private final Map<Long, String> ackedZxids = new ConcurrentHashMap<>();
    private final Collection<String> anomalies = new ConcurrentLinkedQueue<>();
    /** Every zxid acknowledged after the latest restart must be above this: the highest acknowledged before it. */
    private volatile long zxidFloor;
    private volatile long maxAckedZxid;

    Znode newZnode(String path, long owner, int writer) {
        Znode z = new Znode(path, owner, writer);
        if (znodes.putIfAbsent(path, z) != null) throw new IllegalStateException("the workload reused the path " + path);
        return z;
    }

    Session newSession(String id, String secret, long zxid) {
        Session s = new Session(id, secret);
        if (sessions.putIfAbsent(id, s) != null) anomaly("session id " + id + " was handed out twice");
        ackZxid(zxid, "open session " + id);
        return s;
    }

    void ackCreate(Znode z, byte[] data, long zxid, JsonNode stat) {
        expect(stat.path("version").asInt(-1) == 0 && stat.path("czxid").asLong() == zxid && stat.path("mzxid").asLong() == zxid
                && stat.path("ephemeralOwner").asLong() == z.owner, "create " + z.path + " acknowledged at zxid " + zxid + " with stat " + stat);
        z.exists = true;
        z.data = data;
        z.version = 0;
        z.mzxid = zxid;
        ackZxid(zxid, "create " + z.path);
    }

    void ackSet(Znode z, byte[] data, long zxid, JsonNode stat) {
        expect(stat.path("version").asInt(-1) == z.version + 1 && stat.path("mzxid").asLong() == zxid,
                "set " + z.path + " (at version " + z.version + ") acknowledged at zxid " + zxid + " with stat " + stat);
        z.data = data;
        z.version++;
        z.mzxid = zxid;
        ackZxid(zxid, "set " + z.path);
    }

    void ackDelete(Znode z, long zxid) {
        z.exists = false;
        z.data = null;
        ackZxid(zxid, "delete " + z.path);
    }

    void ackClose(Session s, long zxid) {
        s.closed = true;
        ackZxid(zxid, "close session " + s.id);
    }

    void unknown(Znode z, Write w) {
        z.pending = w;
        unknown.incrementAndGet();
    }

    /** A definite refusal (4xx) of a write the model says must succeed: the node's state differs from what it acknowledged. */
    void refused(String what, NodeProcess.Reply reply) {
        anomaly(what + " was refused with " + reply.status() + " " + reply.body());
    }

    void anomaly(String message) {
        anomalies.add(message);
    }

    List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    /** Called after a restart: later acknowledgements must carry zxids above everything acknowledged before it. */
    void restarted() {
        zxidFloor = maxAckedZxid;
    }

    long maxAckedZxid() {
        return maxAckedZxid;
    }

    private void ackZxid(long zxid, String what) {
        acked.incrementAndGet();
        if (zxid <= 0) {
            anomaly(what + " was acknowledged without a Corral-Zxid header");
            return;
        }
        if (zxid <= zxidFloor) anomaly(what + " was acknowledged at zxid " + zxid + ", not above " + zxidFloor + " acknowledged before the restart");
        String earlier = ackedZxids.putIfAbsent(zxid, what);
        if (earlier != null) anomaly("zxid " + zxid + " acknowledged twice: for " + earlier + " and for " + what);
        synchronized (this) {
            if (zxid > maxAckedZxid) maxAckedZxid = zxid;
        }
    }

    private void expect(boolean ok, String what) {
        if (!ok) anomaly("unexpected acknowledgement: " + what);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    static String text(byte[] data) {
        if (data == null) return "null";
        String s = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
        return '"' + (s.length() > 40 ? s.substring(0, 40) + "…(" + data.length + " bytes)" : s) + '"';
    }
}
