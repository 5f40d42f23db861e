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
import java.util.concurrent.atomic.AtomicLong;

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
 * too slowly is disconnected rather than buffered without bound: once more than {@code bufferBytesMax} bytes of
 * events wait to be written to its connection, the stream is closed. It resumes with {@code Last-Event-ID}
 * from the session's journal, so nothing is lost but time.
 */
final class EventStream implements EventJournal.BatchListener {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EventStream.class);
    /** Bytes of an SSE frame beyond its name, id and data: the field names, separators and blank line. */
    private static final int FRAME_OVERHEAD_BYTES = 24;
    /** Stands for "end of batch" among held-back events. */
    private static final TreeChange END_OF_BATCH = new TreeChange(TreeChange.EventType.None, "", -1);

    private final SseEventSink sink;
    private final Sse sse;
    private final EventJournal journal;
    private final long bufferBytesMax;
    /** Closes the stream's connection. */
    private final Runnable connection;
    /** Bytes of events handed to the connection and not yet written to it. */
    private final AtomicLong bytesInFlight = new AtomicLong();
    private List<TreeChange> heldBack = new ArrayList<>();
    /** The last event received, not yet sent: whether it gets an id depends on the event after it. */
    private TreeChange pending;

    EventStream(SseEventSink sink, Sse sse, EventJournal journal, long bufferBytesMax, Runnable closeConnection) {
        this.connection = closeConnection;
        this.sink = sink;
        this.sse = sse;
        this.journal = journal;
        this.bufferBytesMax = bufferBytesMax;
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
        try {
            if (heldBack != null) heldBack.add(change);
            else receive(change);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A stream that failed is cut off (its client resumes from the journal); the node's applier must not see it. */
    private void failed(RuntimeException e) {
        LOG.warnf(e, "an event stream failed and is closed: %s", e);
        disconnect();
    }

    /** Ends this stream with a last {@code session} event {@code {"state":"replaced"}}: the client must not reconnect. */
    @Override
    public synchronized void replaced() {
        if (sink.isClosed()) return;
        send(sse.newEventBuilder().name("session")
                .data(json(Map.of("state", "replaced", "reason", "another event stream of this session was opened"))).build());
        close();
    }

    @Override
    public synchronized void endOfBatch() {
        try {
            if (heldBack != null) heldBack.add(END_OF_BATCH);
            else flushPending();
        } catch (RuntimeException e) {
            failed(e);
        }
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
            // Something ended the response without this stream (which detaches before it ends it): the client went
            // away, or the HTTP layer gave up on it. Its connection goes too, or a client that does not read would
            // keep it open with nothing more ever sent.
            disconnect();
            return;
        }
        long bytes = FRAME_OVERHEAD_BYTES + length(event.getName()) + length(event.getId()) + length(String.valueOf(event.getData()));
        if (bytesInFlight.addAndGet(bytes) > bufferBytesMax) {
            disconnect();
            return;
        }
        java.util.concurrent.CompletionStage<?> sent;
        try {
            sent = sink.send(event);
        } catch (IllegalStateException e) {
            // The client went away between the check above and the send.
            bytesInFlight.addAndGet(-bytes);
            disconnect();
            return;
        }
        sent.whenComplete((ok, error) -> {
            bytesInFlight.addAndGet(-bytes);
            // A write that failed leaves the connection unusable: end it, not only the response, or a keep-alive
            // connection whose client does not read would stay open.
            if (error != null) disconnect();
        });
    }

    /** Characters, which is bytes for the ASCII JSON of events and close enough for a bound otherwise. */
    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    void close() {
        journal.detach(this);
        try {
            if (!sink.isClosed()) sink.close();
        } catch (RuntimeException e) {
            // The response may already be gone with its connection; nothing is left to end.
            LOG.debugf("ending an event stream: %s", e);
        }
    }

    /**
     * Cuts off a client that does not keep up. Ending the response is not enough: what is queued for a client that
     * does not read stays queued for as long as the connection lives, so the connection itself is closed.
     */
    private void disconnect() {
        // The connection first: whatever happens while the response is ended, the client must lose its connection.
        connection.run();
        close();
    }

    private static String json(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event is not serializable", e);
        }
    }
}
