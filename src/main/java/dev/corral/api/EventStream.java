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
import java.util.function.Consumer;

/**
 * One open event stream of a session: watch events as Server-Sent Events whose id is the zxid of the change.
 *
 * <p>Attaching to the session's journal hands back the events the client missed; events that arrive
 * meanwhile are held back until those are sent, so the stream stays in zxid order. A client that reads
 * too slowly is disconnected rather than buffered without bound; it resumes with {@code Last-Event-ID}.
 */
final class EventStream implements Consumer<TreeChange> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Sends not yet written to the connection; beyond this the client is too slow and is cut off. */
    private static final int IN_FLIGHT_MAX = 10_000;

    private final SseEventSink sink;
    private final Sse sse;
    private final EventJournal journal;
    private final AtomicInteger inFlight = new AtomicInteger();
    private List<TreeChange> heldBack = new ArrayList<>();
    private boolean open;

    EventStream(SseEventSink sink, Sse sse, EventJournal journal) {
        this.sink = sink;
        this.sse = sse;
        this.journal = journal;
    }

    /** Attaches to the journal and sends what the client missed since {@code lastEventZxid} (-1: since last delivery). */
    void start(long lastEventZxid) {
        EventJournal.Resume resume = journal.attach(lastEventZxid, this);
        if (resume.resync()) {
            send(sse.newEventBuilder().name("resync")
                    .data(json(Map.of("reason", "events since " + lastEventZxid + " are no longer available; re-read and re-register watches")))
                    .build());
        }
        for (TreeChange e : resume.events()) sendChange(e);
        List<TreeChange> later;
        synchronized (this) {
            later = heldBack;
            heldBack = null;
            open = true;
        }
        for (TreeChange e : later) sendChange(e);
    }

    @Override
    public void accept(TreeChange change) {
        synchronized (this) {
            if (!open) {
                heldBack.add(change);
                return;
            }
        }
        sendChange(change);
    }

    private void sendChange(TreeChange e) {
        if (e.type() == TreeChange.EventType.None) {
            send(sse.newEventBuilder().name("session").id(Long.toString(e.zxid()))
                    .data(json(Map.of("state", "closed", "zxid", e.zxid()))).build());
            close();
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", e.type().name());
        body.put("path", e.path());
        body.put("zxid", e.zxid());
        send(sse.newEventBuilder().name("watch").id(Long.toString(e.zxid())).data(json(body)).build());
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
