package dev.corral.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a session's watch events ({@code GET /v1/sessions/{id}/events}, Server-Sent Events) on a thread of its own,
 * and keeps them flowing across broken connections and node failures, losing none.
 *
 * <p>Resuming. Every event carries the zxid of its change, and the last event of each zxid carries it as the SSE
 * {@code id}: the client then has every event up to that zxid ({@link #cursor}). Each (re)connection sends the cursor
 * as {@code Last-Event-ID}, and the node replays what came after it from the session's journal. If it no longer has
 * those events it answers {@code resync}; a node the watches were not set on (after a move to another node) has no
 * record of them at all. In both cases the reader sends the watches the client still holds to
 * {@code POST /v1/sessions/{id}/watches/restore}, judged against the cursor ({@link WatchTable#restore}), as
 * ZooKeeper's clients send SetWatches on reconnecting: the node sets them and fires at once each one-shot watch whose
 * znode changed meanwhile.
 *
 * <p>Events are matched to watchers ({@link WatchTable#trigger}) on this reader's thread, in stream order, and
 * delivered on the client's event thread. The stream ends for good when the session ends ({@code session} event
 * {@code closed}: reported to the session keeper) or another stream of the session takes over ({@code replaced}: the
 * contract says not to reconnect then).
 */
final class EventStreamReader {
    private static final System.Logger LOG = System.getLogger("dev.corral.client");
    /** The longest pause between two attempts to reconnect. */
    private static final long RECONNECT_PAUSE_MAX_MS = 1000;

    /** How a connection's stream ended. */
    private enum End { BROKEN, SESSION_ENDED, REPLACED }

    private final Transport transport;
    private final Session session;
    private final WatchTable watches;
    private final Executor dispatch;
    /** Told that the node says the session has ended. */
    private final Runnable sessionEnded;
    private final Thread thread;
    private volatile boolean stopped;
    /** The body of the connection being read, or null between connections. */
    private volatile InputStream body;
    /** The node of the connection being read, or -1 between connections. */
    private volatile int streamServer = -1;
    /** The client has received every event of every zxid up to this one. */
    private volatile long cursor;
    /** The node known to hold every watch of the table, or -1 when none is known to. */
    private volatile int watchHome;
    /** Counts watches set on a node other than {@link #watchHome}, so that a restore in flight does not claim them. */
    private final AtomicInteger watchMoves = new AtomicInteger();
    /** Whether this connection already had its restore (a move and a resync on one connection need only one). */
    private volatile boolean restoredOnConnection;

    EventStreamReader(Transport transport, Session session, WatchTable watches, Executor dispatch, Runnable sessionEnded,
            long startZxid, int home) {
        this.transport = transport;
        this.session = session;
        this.watches = watches;
        this.dispatch = dispatch;
        this.sessionEnded = sessionEnded;
        this.cursor = startZxid;
        this.watchHome = home;
        this.thread = new Thread(this::run, "corral-client-events-" + session.id());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Ends the stream for good. */
    void stop() {
        stopped = true;
        closeBody();
        thread.interrupt();
    }

    /** Node {@code server} failed: if the stream is on it, it reconnects (to the node now current). */
    void serverFailed(int server) {
        if (streamServer == server) closeBody();
    }

    /**
     * A watch was set through node {@code server}. If the stream reads another node, that watch's events would never
     * reach it: the watches are set again there.
     */
    void watchSetOn(int server) {
        if (server == watchHome) return;
        watchMoves.incrementAndGet();
        watchHome = -1;
        int s = streamServer;
        if (s >= 0) restore(s);
    }

    long cursor() {
        return cursor;
    }

    private void run() {
        int failures = 0;
        String target = "/v1/sessions/" + session.id() + "/events";
        while (!stopped) {
            int server = transport.current();
            HttpResponse<InputStream> response;
            try {
                response = transport.openStream(server, target, session.secret(), cursor);
            } catch (IOException e) {
                if (stopped) break;
                transport.serverFailed(server);
                pause(failures++);
                continue;
            } catch (InterruptedException e) {
                continue;
            }
            if (response.statusCode() != 200) {
                CorralException error = Transport.error(response);
                if (error instanceof CorralException.SessionExpiredException) {
                    sessionEnded.run();
                    break;
                }
                if (response.statusCode() >= 502 && response.statusCode() <= 504 && error.code() != ErrorCode.THROTTLED_OP) {
                    transport.serverFailed(server);
                }
                LOG.log(System.Logger.Level.DEBUG, "event stream of session " + session.id() + " refused: " + error.getMessage());
                pause(failures++);
                continue;
            }
            failures = 0;
            body = response.body();
            if (stopped) {
                closeBody();
                break;
            }
            streamServer = server;
            restoredOnConnection = false;
            if (watchHome != server) restore(server);
            End end = read(response.body(), server);
            streamServer = -1;
            closeBody();
            if (end == End.SESSION_ENDED) {
                sessionEnded.run();
                break;
            }
            if (end == End.REPLACED) {
                LOG.log(System.Logger.Level.WARNING, "another event stream of session " + session.id()
                        + " took over (is the session used by another process?); this client receives no more watch events");
                break;
            }
        }
    }

    /** Waits before reconnecting: 25 ms, doubling, at most a second. Interrupted by {@link #stop}. */
    private void pause(int failures) {
        long ms = Math.min(RECONNECT_PAUSE_MAX_MS, 25L << Math.min(failures, 10));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // Stopped, or asked to reconnect now: the loop decides.
        }
    }

    private void closeBody() {
        InputStream b = body;
        body = null;
        if (b == null) return;
        try {
            b.close();
        } catch (IOException e) {
            // The connection is going anyway.
        }
    }

    /** Reads SSE frames ({@code id:}, {@code event:}, {@code data:}, blank line) until the stream ends. */
    private End read(InputStream in, int server) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null || name != null || data != null) {
                        End end = frame(id, name == null ? "message" : name, data == null ? "" : data.toString(), server);
                        if (end != null) return end;
                    }
                    id = null;
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) continue;
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) value = value.substring(1);
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) LOG.log(System.Logger.Level.DEBUG, "event stream of session " + session.id() + " broke: " + e);
        }
        return End.BROKEN;
    }

    /** Acts on one frame; returns how the stream ends, or null if it goes on. */
    private End frame(String id, String name, String data, int server) {
        switch (name) {
            case "watch" -> {
                JsonNode json = Json.parse(data);
                long zxid = json.path("zxid").asLong();
                transport.noteZxid(zxid);
                EventType type = EventType.ofWireName(json.path("type").asText());
                if (type != null) {
                    WatchedEvent event = new WatchedEvent(type, json.path("path").asText(), zxid);
                    for (Watcher w : watches.trigger(event)) deliver(w, event);
                }
                // Only now: an event handed over is an event received.
                if (id != null) cursor = Math.max(cursor, Long.parseLong(id.trim()));
            }
            case "resync" -> {
                if (!restoredOnConnection) restore(server);
            }
            case "session" -> {
                String state = Json.parse(data).path("state").asText();
                if (state.equals("closed")) return End.SESSION_ENDED;
                if (state.equals("replaced")) return End.REPLACED;
            }
            default -> { }
        }
        return null;
    }

    private void deliver(Watcher watcher, WatchedEvent event) {
        try {
            dispatch.execute(() -> {
                try {
                    watcher.process(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a watcher failed on " + event, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // The client is closing.
        }
    }

    /**
     * Sets the client's watches again on node {@code server}, judged against the cursor; on success that node holds
     * them all. If it fails, the connection is dropped, and the next one tries again.
     */
    private void restore(int server) {
        restoredOnConnection = true;
        int moves = watchMoves.get();
        WatchTable.Restore r = watches.restore(cursor);
        if (r.isEmpty()) {
            if (watchMoves.get() == moves) watchHome = server;
            return;
        }
        ObjectNode body = Json.object();
        body.put("lastZxid", r.lastZxid());
        putPaths(body, "data", r.data());
        putPaths(body, "exists", r.exists());
        putPaths(body, "children", r.children());
        putPaths(body, "persistent", r.persistent());
        putPaths(body, "persistentRecursive", r.persistentRecursive());
        Call call = Call.idempotent("POST", "/v1/sessions/" + session.id() + "/watches/restore", Json.bytes(body)).as(session.secret())
                .pinnedTo(server);
        transport.send(call).whenComplete((reply, error) -> {
            if (error == null) {
                if (watchMoves.get() == moves) watchHome = server;
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CorralException.SessionExpiredException) {
                sessionEnded.run();
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "setting the watches of session " + session.id() + " again on "
                    + transport.server(server) + " failed; reconnecting: " + cause);
            if (streamServer == server) closeBody();
        });
    }

    private static void putPaths(ObjectNode body, String field, List<String> paths) {
        if (paths.isEmpty()) return;
        var array = body.putArray(field);
        paths.forEach(array::add);
    }
}
