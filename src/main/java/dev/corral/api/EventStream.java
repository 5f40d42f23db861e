package dev.corral.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.tree.EventJournal;
import dev.corral.tree.TreeChange;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open event stream of a session: watch events as Server-Sent Events whose id is the zxid of the change.
 *
 * <p>One transaction can cause several events for a session (a multi, or a create seen both as NodeCreated
 * and NodeChildrenChanged). Only the last event of a zxid carries the {@code id} field, so the client's
 * {@code Last-Event-ID} only ever names a zxid whose events it has all received; a client cut off in the
 * middle of a zxid gets that zxid's events again on resume, rather than losing some.
 *
 * <p>Attaching to the session's journal hands back the events the client missed; events that arrive
 * meanwhile are held back until those are sent, so the stream stays in zxid order. A client that reads
 * too slowly is disconnected rather than buffered without bound; it resumes with {@code Last-Event-ID}.
 */
final class EventStream implements EventJournal.BatchListener {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Sends not yet written to the connection; beyond this the client is too slow and is cut off. */
    private static final int IN_FLIGHT_MAX = 10_000;
    /** Stands for "end of batch" among held-back events. */
    private static final TreeChange END_OF_BATCH = new TreeChange(TreeChange.EventType.None, "", -1);

    private final SseEventSink sink;
    private final Sse sse;
    private final EventJournal journal;
    private final AtomicInteger inFlight = new AtomicInteger();
    private List<TreeChange> heldBack = new ArrayList<>();
    /** The last event received, not yet sent: whether it gets an id depends on the event after it. */
    private TreeChange pending;

    EventStream(SseEventSink sink, Sse sse, EventJournal journal) {
        this.sink = sink;
        this.sse = sse;
        this.journal = journal;
    }

    /** Attaches to the journal and sends what the client missed since {@code lastEventZxid} (-1: since last delivery). */
    void start(long lastEventZxid) {
        EventJournal.Resume resume = journal.attach(lastEventZxid, this);
        synchronized (this) {
            if (resume.resync()) {
                send(sse.newEventBuilder().name("resync")
                        .data(json(Map.of("reason", "events since " + lastEventZxid
                                + " are no longer available; re-read and re-register watches")))
                        .build());
            }
            for (TreeChange e : resume.events()) receive(e);
            flushPending();
            List<TreeChange> later = heldBack;
            heldBack = null;
            for (TreeChange e : later) {
                if (e == END_OF_BATCH) flushPending();
                else receive(e);
            }
        }
    }

    @Override
    public synchronized void accept(TreeChange change) {
        if (heldBack != null) heldBack.add(change);
        else receive(change);
    }

    @Override
    public synchronized void endOfBatch() {
        if (heldBack != null) heldBack.add(END_OF_BATCH);
        else flushPending();
    }

    private void receive(TreeChange e) {
        if (pending != null) sendChange(pending, pending.zxid() != e.zxid());
        pending = e;
    }

    private void flushPending() {
        if (pending != null) sendChange(pending, true);
        pending = null;
    }

    private void sendChange(TreeChange e, boolean lastOfZxid) {
        if (e.type() == TreeChange.EventType.None) {
            // An ordered map: Map.of iterates in an order that changes from run to run.
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", "closed");
            body.put("zxid", e.zxid());
            send(sse.newEventBuilder().name("session").id(Long.toString(e.zxid())).data(json(body)).build());
            close();
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", e.type().name());
        body.put("path", e.path());
        body.put("zxid", e.zxid());
        OutboundSseEvent.Builder b = sse.newEventBuilder().name("watch").data(json(body));
        if (lastOfZxid) b.id(Long.toString(e.zxid()));
        send(b.build());
    }

    private void send(OutboundSseEvent event) {
        if (sink.isClosed()) {
            journal.detach(this);
            return;
        }
        if (inFlight.incrementAndGet() > IN_FLIGHT_MAX) {
            close();
            return;
        }
        sink.send(event).whenComplete((ok, error) -> {
            inFlight.decrementAndGet();
            if (error != null) close();
        });
    }

    void close() {
        journal.detach(this);
        if (!sink.isClosed()) sink.close();
    }

    private static String json(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event is not serializable", e);
        }
    }
}
