package dev.corral.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client's one session: opened on first need ({@code POST /v1/sessions}), kept alive by heartbeats
 * ({@code POST /v1/sessions/{id}/keepalive}) every third of its timeout on the client's scheduler, moved to another
 * node with the same id and secret when its node fails, and ended once: EXPIRED when the cluster says it is gone
 * (410, or the event stream's {@code closed}), CLOSED when this client closes it. Session states go to the listeners
 * on the client's event thread, in order with watch events.
 *
 * <p>A node failure ({@link Transport#serverFailed}) makes the session DISCONNECTED and sends a heartbeat at once,
 * which tries each node in turn; the first heartbeat that gets through makes it RECONNECTED. Only the cluster expires
 * a session: while no node answers, the client stays DISCONNECTED and keeps trying, as ZooKeeper's does.
 */
final class SessionKeeper {
    private static final System.Logger LOG = System.getLogger("dev.corral.client");
    /** The longest wait before the next heartbeat after one that reached no node. */
    private static final long RETRY_AFTER_FAILURE_MS = 250;

    private final Transport transport;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService dispatch;
    private final WatchTable watches;
    private final Duration requestedTimeout;
    private final Duration requestTimeout;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
    private final Object lock = new Object();
    /** The open request, or its outcome; null before the first need and after a failed open. Guarded by lock. */
    private CompletableFuture<Session> opening;
    private volatile Session session;
    private volatile SessionState state;
    /** Set once, when the session has expired or was closed. Guarded by lock. */
    private boolean ended;
    /** Set once, when this client starts closing: a {@code closed} event after it is our own close. */
    private volatile boolean closing;
    private EventStreamReader stream;
    private ScheduledFuture<?> nextHeartbeat;

    SessionKeeper(Transport transport, ScheduledExecutorService scheduler, ExecutorService dispatch, WatchTable watches,
            Duration requestedTimeout, Duration requestTimeout) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.dispatch = dispatch;
        this.watches = watches;
        this.requestedTimeout = requestedTimeout;
        this.requestTimeout = requestTimeout;
        transport.addFailureListener(this::serverFailed);
    }

    void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    SessionState state() {
        return state;
    }

    /** The session, opened if there is none yet; fails with SessionExpiredException once it has ended. */
    CompletableFuture<Session> session() {
        synchronized (lock) {
            if (ended || closing) {
                return CompletableFuture.failedFuture(new CorralException.SessionExpiredException(
                        "the session " + (session == null ? "" : session.id() + " ") + (state == SessionState.EXPIRED
                                ? "has expired" : "was closed by this client"), null));
            }
            if (opening == null) {
                CompletableFuture<Session> f = open();
                opening = f;
                f.whenComplete((s, e) -> {
                    if (e == null) return;
                    synchronized (lock) {
                        if (opening == f) opening = null;
                    }
                });
            }
            return opening;
        }
    }

    private CompletableFuture<Session> open() {
        ObjectNode body = Json.object();
        body.put("timeoutMs", requestedTimeout.toMillis());
        return transport.send(Call.idempotent("POST", "/v1/sessions", Json.bytes(body))).thenApply(reply -> {
            JsonNode b = reply.body();
            Session s = new Session(Json.text(b, "id"), Duration.ofMillis(b.path("timeoutMs").asLong()), Json.text(b, "secret"));
            synchronized (lock) {
                if (closing) {
                    transport.send(Call.idempotent("DELETE", "/v1/sessions/" + s.id(), null).as(s.secret()).oneRound(requestTimeout));
                    throw new CorralException.SessionExpiredException("the client closed while the session was being opened", null);
                }
                session = s;
                state = SessionState.CONNECTED;
                stream = new EventStreamReader(transport, s, watches, dispatch, () -> ended(true), Math.max(0, reply.zxid()), reply.server());
                stream.start();
                schedule(interval(s));
                fire(SessionState.CONNECTED);
            }
            LOG.log(System.Logger.Level.DEBUG, "opened session " + s.id() + " with timeout " + s.timeout().toMillis() + " ms");
            return s;
        });
    }

    /** A third of the timeout: two heartbeats may be lost before the session expires. */
    private static long interval(Session s) {
        return Math.max(1, s.timeout().toMillis() / 3);
    }

    /** Guarded by lock. */
    private void schedule(long delayMs) {
        if (ended) return;
        if (nextHeartbeat != null) nextHeartbeat.cancel(false);
        try {
            nextHeartbeat = scheduler.schedule(this::heartbeat, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The client is closing.
        }
    }

    private void heartbeat() {
        Session s = session;
        synchronized (lock) {
            if (ended || s == null) return;
        }
        if (!heartbeatInFlight.compareAndSet(false, true)) return;
        Duration timeout = Duration.ofMillis(Math.max(1000, interval(s)));
        Call call = Call.idempotent("POST", "/v1/sessions/" + s.id() + "/keepalive", null).as(s.secret()).oneRound(timeout);
        transport.send(call).whenComplete((reply, error) -> {
            heartbeatInFlight.set(false);
            if (error == null) {
                synchronized (lock) {
                    if (state == SessionState.DISCONNECTED) {
                        state = SessionState.RECONNECTED;
                        fire(SessionState.RECONNECTED);
                    }
                    schedule(interval(s));
                }
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CorralException.SessionExpiredException) {
                ended(true);
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, "heartbeat of session " + s.id() + " failed: " + cause);
            synchronized (lock) {
                disconnected();
                schedule(Math.min(interval(s), RETRY_AFTER_FAILURE_MS));
            }
        });
    }

    /** Guarded by lock. */
    private void disconnected() {
        if (state == SessionState.CONNECTED || state == SessionState.RECONNECTED) {
            state = SessionState.DISCONNECTED;
            fire(SessionState.DISCONNECTED);
        }
    }

    private void serverFailed(int server) {
        EventStreamReader s;
        synchronized (lock) {
            if (session == null || ended) return;
            disconnected();
            s = stream;
            schedule(0);
        }
        s.serverFailed(server);
    }

    /** A watch was set through node {@code server}: the event stream makes sure its node has it. */
    void watchSetOn(int server) {
        EventStreamReader s;
        synchronized (lock) {
            s = stream;
        }
        if (s != null) s.watchSetOn(server);
    }

    /** The cluster ended the session ({@code expired}), or this client closed it. Once; later calls do nothing. */
    void ended(boolean expired) {
        SessionState last = expired && !closing ? SessionState.EXPIRED : SessionState.CLOSED;
        EventStreamReader s;
        synchronized (lock) {
            if (ended) return;
            ended = true;
            if (session == null) return;
            state = last;
            if (nextHeartbeat != null) nextHeartbeat.cancel(false);
            s = stream;
            watches.clear();
            fire(last);
        }
        if (s != null) s.stop();
        if (last == SessionState.EXPIRED) {
            LOG.log(System.Logger.Level.WARNING, "session " + session.id() + " has expired; its ephemeral znodes and watches are gone");
        }
    }

    /** Closes the session ({@code DELETE /v1/sessions/{id}}), if one is open; completes when the node answered or gave up. */
    CompletableFuture<Void> close() {
        Session s;
        synchronized (lock) {
            closing = true;
            s = session;
            if (ended || s == null) {
                ended = true;
                return CompletableFuture.completedFuture(null);
            }
        }
        Call call = Call.idempotent("DELETE", "/v1/sessions/" + s.id(), null).as(s.secret()).oneRound(requestTimeout);
        return transport.send(call).handle((reply, error) -> {
            ended(false);
            return null;
        });
    }

    /** Guarded by lock, so that states go to the event thread in the order they were taken. */
    private void fire(SessionState s) {
        try {
            dispatch.execute(() -> {
                for (SessionListener l : listeners) {
                    try {
                        l.stateChanged(s);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "a session listener failed on " + s, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // The client is closing.
        }
    }
}
