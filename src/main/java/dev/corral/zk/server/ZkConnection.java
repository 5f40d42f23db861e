package dev.corral.zk.server;

import dev.corral.api.SessionQuota;
import dev.corral.config.CorralConfig;
import dev.corral.consensus.Role;
import dev.corral.node.Corral;
import dev.corral.node.NodeStatus;
import dev.corral.replica.Outcome;
import dev.corral.tree.AclCheck;
import dev.corral.tree.AuthId;
import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.EventJournal;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.SessionEntry;
import dev.corral.tree.TreeChange;
import dev.corral.txn.SessionSecret;
import dev.corral.zk.server.ZkConvert.ZkRefusal;
import dev.corral.zk.server.ZkHandler.Answer;
import dev.corral.zk.wire.ClientInfo;
import dev.corral.zk.wire.ConnectRequest;
import dev.corral.zk.wire.ConnectResponse;
import dev.corral.zk.wire.FourLetterWord;
import dev.corral.zk.wire.FrameDecoder;
import dev.corral.zk.wire.WatcherEvent;
import dev.corral.zk.wire.WhoAmIResponse;
import dev.corral.zk.wire.Xids;
import dev.corral.zk.wire.ZkRequest;
import dev.corral.zk.wire.ZkRequests;
import dev.corral.zk.wire.ZkResponses;
import dev.corral.zk.wire.ZkWireException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One ZooKeeper client connection: the handshake that opens or resumes a session, then requests, answered in the
 * order they came, and watch notifications. Everything here runs on the connection's event loop, except the watch
 * listener (called by the node's applier) which only queues.
 *
 * <p><b>Order.</b> Requests start in arrival order. Reads run at once unless a write of this connection is still in
 * flight: then they wait for it, so that a client reads its own writes and never a later one (ZooKeeper's FIFO client
 * order). On the leader, writes pipeline (its core commits them in arrival order); on a follower they run one at a
 * time. Answers leave in request order.
 *
 * <p><b>Notifications before the answers that reveal them.</b> The node queues a notification while it publishes the
 * tree that holds the change (under the watch registry's lock); every answer written here is preceded by writing
 * whatever notifications are queued, so an answer computed from the new tree always follows its notification.
 *
 * <p><b>Failure.</b> A frame that cannot be decoded, an unknown operation, a handshake not finished in time or a client
 * too slow to take its notifications closes this connection, with a log line; the session lives on (it expires only if
 * the client does not come back within its timeout), and nothing else is touched.
 */
final class ZkConnection {
    private static final Logger LOG = Logger.getLogger(ZkConnection.class);
    /** ZooKeeper's session state in notifications: the client is connected. */
    private static final int SYNC_CONNECTED = 3;
    /** How far ahead of this node's commit point a client's lastZxidSeen may be for the handshake to wait for it. */
    private static final long ZXID_WAIT_MAX = 1_000_000;
    /** Writes of one connection in flight at once on the leader. */
    private static final int WRITES_PIPELINED_MAX = 256;

    private enum State { HANDSHAKE, CONNECTING, OPEN, CLOSED }

    /** One answer owed, in request order. */
    private static final class Slot {
        final int xid;
        Answer answer;
        boolean closeAfter;
        /** Computed off the event loop; its tree's zxid is in {@link #heavyZxids} until it is written. */
        boolean heavy;

        Slot(int xid) {
            this.xid = xid;
        }
    }

    private record Waiting(ZkRequest request, Caller caller, Slot slot) {}

    private final ZkServer server;
    private final NetSocket socket;
    private final String address;
    private final Corral corral;
    private final CorralConfig config;
    private final SessionQuota quota;
    private final Vertx vertx;
    private final ZkHandler handler;
    private final FrameDecoder decoder;
    private Context context;

    private State state = State.HANDSHAKE;
    private long session;
    private int timeoutMs;
    private boolean readOnlyFieldSent;
    private final List<AuthId> ids = new ArrayList<>(3);
    private final List<byte[]> early = new ArrayList<>(0);

    private final ArrayDeque<Slot> replies = new ArrayDeque<>();
    /** The zxids of the trees that answers computed off the event loop read, in request order, until they are written. */
    private final ArrayDeque<Long> heavyZxids = new ArrayDeque<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Writes of this connection taken by the node and not yet answered. */
    private int writesInFlight;
    private boolean readingPaused;
    private long lastZxidSent;

    /** A watch notification queued for this connection, with the zxid of the change it announces. */
    private record Notification(long zxid, byte[] frame, long queuedNanos) {}

    /** A notification is written at the latest this long after it was queued, visible or not (a safety net: never seen). */
    private static final long NOTIFICATION_HOLD_MAX_NANOS = 1_000_000_000L;

    private final ConcurrentLinkedQueue<Notification> notifications = new ConcurrentLinkedQueue<>();
    private boolean recheckScheduled;
    private final AtomicLong notificationBytes = new AtomicLong();
    private final Listener listener = new Listener();
    private EventJournal journal;

    private long handshakeTimer = -1;
    private long livenessTimer = -1;
    private long lastHeardMs;
    private long lastTouchMs;
    private final long createdMs = System.currentTimeMillis();
    private long requests;

    ZkConnection(ZkServer server, NetSocket socket, String address, Corral corral, CorralConfig config, SessionQuota quota, Vertx vertx) {
        this.server = server;
        this.socket = socket;
        this.address = address;
        this.corral = corral;
        this.config = config;
        this.quota = quota;
        this.vertx = vertx;
        this.handler = new ZkHandler(corral);
        this.decoder = new FrameDecoder(config.limits().dataBytesMax() + 64 * 1024, true);
        if (!"unknown".equals(address)) ids.add(new AuthId("ip", address));
    }

    void start() {
        context = vertx.getOrCreateContext();
        socket.handler(this::received);
        socket.exceptionHandler(e -> close("connection error: " + e.getMessage(), false));
        handshakeTimer = vertx.setTimer(config.zk().handshakeTimeout().toMillis(), t -> {
            handshakeTimer = -1;
            if (state == State.HANDSHAKE || state == State.CONNECTING) close("no handshake within " + config.zk().handshakeTimeout(), true);
        });
    }

    // ---- input ----

    private void received(Buffer buffer) {
        if (state == State.CLOSED) return;
        byte[] bytes = buffer.getBytes();
        boolean wasWord = decoder.fourLetterWord().isPresent();
        try {
            decoder.feed(bytes, 0, bytes.length, this::frame);
        } catch (ZkWireException e) {
            close("bad input: " + e.getMessage(), true);
            return;
        }
        if (!wasWord && decoder.fourLetterWord().isPresent()) fourLetterWord(decoder.fourLetterWord().get());
    }

    private void frame(byte[] frame) {
        server.received.incrementAndGet();
        switch (state) {
            case HANDSHAKE -> connect(frame);
            case CONNECTING -> {
                // A client that does not wait for the handshake's answer: kept, within bounds, for when it opens.
                if (early.size() >= config.zk().requestsInFlightMax()) throw new ZkWireException("too many requests before the handshake finished");
                early.add(frame);
            }
            case OPEN -> request(frame);
            case CLOSED -> { }
        }
    }

    // ---- handshake ----

    private void connect(byte[] frame) {
        ConnectRequest cr = ZkRequests.decodeConnect(frame);
        state = State.CONNECTING;
        readOnlyFieldSent = cr.readOnlyFieldSent();
        NodeStatus status = corral.status();
        if (!status.servesReads()) {
            close("node " + status.nodeId() + " cannot serve clients now (" + status.phase() + ", leader " + status.leaderId() + ")", false);
            return;
        }
        long seen = cr.lastZxidSeen();
        if (corral.state().lastZxid() >= seen) {
            afterCaughtUp(cr);
        } else if (seen > status.commitIndex() + ZXID_WAIT_MAX) {
            refuseBehind(cr);
        } else {
            // A follower behind what the client saw elsewhere: ZooKeeper refuses it at once; catching up is kinder.
            CompletableFuture<Outcome> applied = corral.awaitApplied(seen);
            long timer = vertx.setTimer(2_000, t -> applied.complete(new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, "timeout")));
            applied.whenComplete((o, e) -> context.runOnContext(v -> {
                vertx.cancelTimer(timer);
                if (state != State.CONNECTING) return;
                if (o instanceof Outcome.Done) afterCaughtUp(cr);
                else refuseBehind(cr);
            }));
        }
    }

    private void refuseBehind(ConnectRequest cr) {
        close("the client has seen zxid 0x" + Long.toHexString(cr.lastZxidSeen()) + " but this node has applied only 0x"
                + Long.toHexString(corral.state().lastZxid()) + "; the client must try another node", false);
    }

    private void afterCaughtUp(ConnectRequest cr) {
        if (cr.sessionId() == 0) {
            newSession(cr);
            return;
        }
        SessionEntry entry = corral.state().session(cr.sessionId());
        NodeStatus status = corral.status();
        if (entry == null && status.role() != Role.LEADER && status.leaderId() != 0) {
            // A follower may not yet hold a session opened a moment ago elsewhere: catch up before calling it expired.
            corral.sync().whenComplete((o, e) -> context.runOnContext(v -> {
                if (state == State.CONNECTING) resume(cr, corral.state().session(cr.sessionId()));
            }));
            return;
        }
        resume(cr, entry);
    }

    private void newSession(ConnectRequest cr) {
        try {
            quota.reserve(address);
        } catch (RuntimeException e) {
            close(e.getMessage(), true);
            return;
        }
        corral.write(new Op.CreateSession(cr.timeoutMs()), new Caller(0, List.copyOf(ids))).whenComplete((o, e) -> context.runOnContext(v -> {
            OpResult.SessionOpened opened = o instanceof Outcome.Done d && d.result() instanceof OpResult.SessionOpened so ? so : null;
            quota.release(address, opened == null ? 0 : opened.sessionId());
            if (state != State.CONNECTING) return;
            if (opened == null) {
                close("could not open a session: " + (e != null ? e : o), false);
                return;
            }
            open(opened.sessionId(), opened.timeoutMs(), opened.secret().bytes());
        }));
    }

    private void resume(ConnectRequest cr, SessionEntry entry) {
        SessionSecret presented = cr.passwd() == null || cr.passwd().length != 16 ? null : SessionSecret.ofBytes(cr.passwd());
        if (entry == null || presented == null || entry.secret().isNone() || !entry.secret().matches(presented)) {
            // As ZooKeeper: a timeout of 0 tells the client its session is gone (expired, or not its to resume).
            write(ZkResponses.connect(new ConnectResponse(0, 0, 0, new byte[16], false, readOnlyFieldSent)));
            close("session 0x" + Long.toHexString(cr.sessionId()) + (entry == null ? " has expired or does not exist" : ": wrong password"), false);
            return;
        }
        corral.touchSession(entry.id());
        open(entry.id(), entry.timeoutMs(), cr.passwd());
    }

    private void open(long id, int timeout, byte[] passwd) {
        session = id;
        timeoutMs = timeout;
        state = State.OPEN;
        if (handshakeTimer >= 0) vertx.cancelTimer(handshakeTimer);
        long now = System.currentTimeMillis();
        lastHeardMs = now;
        lastTouchMs = now;
        write(ZkResponses.connect(new ConnectResponse(0, timeout, id, passwd, false, readOnlyFieldSent)));
        journal = corral.watches().journal(id);
        EventJournal.Resume resume = journal.attach(-1, listener);
        // Events this connection's session had queued and nobody received: delivered now. A resync needs nothing: the
        // client sends its watches again (setWatches) with the last zxid it saw.
        for (TreeChange c : resume.events()) listener.accept(c);
        livenessTimer = vertx.setPeriodic(Math.max(50, timeout / 3), t -> checkLiveness());
        LOG.debugf("ZooKeeper client %s: session 0x%x open, timeout %d ms", address, id, timeout);
        List<byte[]> before = List.copyOf(early);
        early.clear();
        try {
            for (byte[] f : before) {
                if (state != State.OPEN) return;
                request(f);
            }
        } catch (ZkWireException e) {
            close("bad input: " + e.getMessage(), true);
        }
    }

    /** A client not heard from for its session timeout is gone: ZooKeeper closes its connection, and so do we. */
    private void checkLiveness() {
        if (state != State.OPEN) return;
        long now = System.currentTimeMillis();
        if (now - lastHeardMs > timeoutMs) {
            close("nothing heard for " + (now - lastHeardMs) + " ms, more than the session timeout", false);
        } else if (lastHeardMs > lastTouchMs) {
            touch(now);
        }
    }

    private void touch(long now) {
        lastTouchMs = now;
        corral.touchSession(session).thenAccept(known -> {
            if (!known) context.runOnContext(v -> close("session 0x" + Long.toHexString(session) + " has ended", false));
        });
    }

    // ---- requests ----

    private void request(byte[] frame) {
        ZkRequest r = ZkRequests.decode(frame);
        requests++;
        long now = System.currentTimeMillis();
        lastHeardMs = now;
        if (now - lastTouchMs >= Math.max(1, timeoutMs / 4)) touch(now);
        if (r instanceof ZkRequest.Auth a) {
            auth(a);
            return;
        }
        Slot slot = new Slot(r.xid());
        replies.addLast(slot);
        if (replies.size() >= config.zk().requestsInFlightMax() && !readingPaused) {
            readingPaused = true;
            socket.pause();
        }
        waiting.addLast(new Waiting(r, new Caller(session, List.copyOf(ids)), slot));
        pump();
    }

    /**
     * Starts waiting requests in order. A read starts only when no write of this connection is in flight, so it sees
     * them all and none sent after it. A write starts when none is in flight or, on the leader, behind the others: the
     * leader's core takes them in this order, so they commit in it (a follower forwards each on its own, which could
     * reorder them, so there they go one at a time). closeSession waits for everything before it.
     */
    private void pump() {
        while (!waiting.isEmpty() && state == State.OPEN && mayStart(waiting.peekFirst().request())) {
            Waiting w = waiting.pollFirst();
            if (ZkHandler.isWrite(w.request())) {
                writesInFlight++;
                CompletableFuture<Answer> f = w.request() instanceof ZkRequest.CloseSession
                        ? corral.write(new Op.CloseSession(session), w.caller()).thenApply(o -> Answer.ok(corral.state().lastZxid(), null))
                        : handler.write(w.request(), w.caller());
                boolean closing = w.request() instanceof ZkRequest.CloseSession;
                f.whenComplete((a, e) -> context.runOnContext(v -> {
                    writesInFlight--;
                    Answer answer = a != null ? a : Answer.error(ErrorCode.CONNECTION_LOSS, corral.state().lastZxid());
                    if (e != null) LOG.warnf(e, "ZooKeeper client %s: a write failed", address);
                    fill(w.slot(), answer, closing);
                    pump();
                }));
            } else {
                ZkHandler.Heavy heavy = handler.startHeavyRead(w.request(), w.caller(), session);
                if (heavy == null) {
                    fill(w.slot(), read(w.request(), w.caller()), false);
                } else if (heavy.answer().isDone()) {
                    fill(w.slot(), heavy.answer().join(), false);
                } else {
                    // Answers leave in request order whatever finishes first: the slot holds this one's place. Watch
                    // events after the tree it read wait for its answer (see drainNotifications).
                    w.slot().heavy = true;
                    heavyZxids.addLast(heavy.zxid());
                    heavy.answer().whenComplete((a, e) -> context.runOnContext(v -> {
                        if (e != null) LOG.warnf(e, "ZooKeeper client %s: a read failed", address);
                        fill(w.slot(), a != null ? a : Answer.error(ErrorCode.SYSTEM_ERROR, lastZxidSent), false);
                    }));
                }
            }
        }
    }

    private boolean mayStart(ZkRequest r) {
        if (writesInFlight == 0) return true;
        if (!ZkHandler.isWrite(r) || r instanceof ZkRequest.CloseSession || r instanceof ZkRequest.Sync) return false;
        return writesInFlight < WRITES_PIPELINED_MAX && corral.status().role() == Role.LEADER;
    }

    private Answer read(ZkRequest r, Caller caller) {
        try {
            return switch (r) {
                case ZkRequest.Ping p -> Answer.ok(handler.state().lastZxid(), null);
                case ZkRequest.WhoAmI w -> {
                    List<ClientInfo> infos = new ArrayList<>(caller.ids().size());
                    for (AuthId id : caller.ids()) infos.add(new ClientInfo(id.scheme(), id.id()));
                    yield Answer.ok(handler.state().lastZxid(), new WhoAmIResponse(infos));
                }
                default -> handler.read(r, caller, session);
            };
        } catch (ZkRefusal e) {
            return Answer.error(e.code, lastZxidSent);
        }
    }

    /**
     * ZooKeeper's addAuth. Only the {@code digest} scheme ({@code user:password}) is known, as on a ZooKeeper server
     * without extra providers; an unknown scheme fails the connection, as there.
     */
    private void auth(ZkRequest.Auth a) {
        Slot slot = new Slot(Xids.AUTH);
        replies.addLast(slot);
        String scheme = a.body().scheme();
        byte[] auth = a.body().auth();
        String credentials = auth == null ? "" : new String(auth, StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        if (!"digest".equals(scheme) || colon <= 0) {
            fill(slot, Answer.error(ErrorCode.AUTH_FAILED, lastZxidSent), true);
            return;
        }
        String digest = AclCheck.digestId(credentials.substring(0, colon), credentials.substring(colon + 1));
        AuthId id = new AuthId("digest", digest);
        if (!ids.contains(id)) ids.add(id);
        String superDigest = config.auth().superDigest().orElse(null);
        if (superDigest != null && superDigest.equals(digest) && !ids.contains(AuthId.SUPER)) ids.add(AuthId.SUPER);
        fill(slot, Answer.ok(lastZxidSent, null), false);
    }

    // ---- output ----

    private void fill(Slot slot, Answer answer, boolean closeAfter) {
        slot.answer = answer;
        slot.closeAfter = closeAfter;
        flush();
    }

    /** Writes queued notifications, then every answer that is ready in request order. */
    private void flush() {
        if (state == State.CLOSED) return;
        while (!replies.isEmpty() && replies.peekFirst().answer != null) {
            Slot s = replies.pollFirst();
            Answer a = s.answer;
            // Events of the changes this answer may show go first; those of later changes wait until it is out: the
            // answer may set the watch they fire, and a client drops an event for a watch it has not yet been told of.
            drainNotifications(a.zxid());
            long zxid = Math.max(lastZxidSent, a.zxid());
            lastZxidSent = zxid;
            write(a.err() == 0 ? ZkResponses.ok(s.xid, zxid, a.body()) : ZkResponses.error(s.xid, zxid, a.err()));
            if (s.heavy) heavyZxids.pollFirst();
            if (s.closeAfter) {
                close(s.xid == Xids.AUTH ? "authentication failed" : "session closed", s.xid == Xids.AUTH);
                return;
            }
            if (a.err() == ErrorCode.SESSION_EXPIRED.wireCode) {
                close("session 0x" + Long.toHexString(session) + " has expired", false);
                return;
            }
            if (a.err() == ErrorCode.CONNECTION_LOSS.wireCode && !corral.status().servesReads()) {
                // This node cannot serve: let the client move to another.
                close("node cannot serve clients now", false);
                return;
            }
        }
        // The rest, except what comes after the tree an answer still being computed read.
        Long heavy = heavyZxids.peekFirst();
        drainNotifications(heavy == null ? Long.MAX_VALUE : heavy);
        if (readingPaused && replies.size() < config.zk().requestsInFlightMax() / 2) {
            readingPaused = false;
            socket.resume();
        }
    }

    /**
     * Writes the queued notifications whose change this node's served tree already holds. The node queues a
     * notification just before it publishes the tree with the change; one sent earlier would let the client read the
     * old data in answer to it (CuratorCache then missed the change for good). A notification not yet visible waits a
     * moment: the tree is published right after. Only those up to {@code upToZxid}: the next answer's, or the tree an
     * answer still being computed read.
     */
    private void drainNotifications(long upToZxid) {
        long visible = corral.state().lastZxid();
        Notification n;
        while ((n = notifications.peek()) != null) {
            if (n.zxid() > upToZxid) return;
            if (n.zxid() > visible && System.nanoTime() - n.queuedNanos() < NOTIFICATION_HOLD_MAX_NANOS) {
                if (!recheckScheduled) {
                    recheckScheduled = true;
                    vertx.setTimer(1, t -> {
                        recheckScheduled = false;
                        flush();
                    });
                }
                return;
            }
            notifications.poll();
            notificationBytes.addAndGet(-n.frame().length);
            write(n.frame());
        }
    }

    private void write(byte[] frame) {
        server.sent.incrementAndGet();
        socket.write(Buffer.buffer(frame));
    }

    /** Watch events of this connection's session, from the node's applier: queued, then written on the event loop. */
    private final class Listener implements EventJournal.BatchListener, Consumer<TreeChange> {
        @Override
        public void accept(TreeChange c) {
            if (c.type() == TreeChange.EventType.None) {
                context.runOnContext(v -> close("session 0x" + Long.toHexString(session) + " ended", false));
                return;
            }
            byte[] frame = ZkResponses.notification(c.zxid(), new WatcherEvent(c.type().wireCode, SYNC_CONNECTED, c.path()));
            long queued = notificationBytes.addAndGet(frame.length);
            if (queued > config.limits().streamBufferBytes()) {
                notificationBytes.addAndGet(-frame.length);
                context.runOnContext(v -> close("the client does not take its notifications (" + queued + " bytes queued)", true));
                return;
            }
            notifications.add(new Notification(c.zxid(), frame, System.nanoTime()));
            context.runOnContext(v -> flush());
        }

        @Override
        public void endOfBatch() {}

        @Override
        public void replaced() {
            context.runOnContext(v -> close("session 0x" + Long.toHexString(session) + " moved to another connection", false));
        }
    }

    // ---- four-letter words ----

    private void fourLetterWord(FourLetterWord word) {
        String answer = server.words().answer(word, this);
        state = State.CLOSED;
        socket.end(Buffer.buffer(answer.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- closing ----

    /** Closes the connection; {@code loud} logs at INFO (bad input), otherwise at DEBUG. */
    void close(String why, boolean loud) {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        if (loud) LOG.infof("ZooKeeper client %s: closing the connection: %s", address, why);
        else LOG.debugf("ZooKeeper client %s: closing the connection: %s", address, why);
        socket.close();
    }

    void close(String why) {
        context.runOnContext(v -> close(why, false));
    }

    /** The socket closed (either side): stop timers, let go of the session's event journal. */
    void closed() {
        state = State.CLOSED;
        if (handshakeTimer >= 0) vertx.cancelTimer(handshakeTimer);
        if (livenessTimer >= 0) vertx.cancelTimer(livenessTimer);
        if (journal != null) journal.detach(listener);
        notifications.clear();
    }

    // ---- for four-letter words ----

    String address() {
        return address;
    }

    long session() {
        return session;
    }

    long requests() {
        return requests;
    }

    long createdMs() {
        return createdMs;
    }

    int queued() {
        return replies.size();
    }
}
