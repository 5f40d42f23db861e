package dev.corral.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The watch events of one session, kept so that an event stream can resume after a disconnect.
 *
 * <p>Events are kept in zxid order, at most {@code capacity} of them. A stream that resumes after a zxid
 * gets every later event, or, if the journal has already dropped some of them (or did not exist yet, as after
 * a restart), a single answer that the client must re-read. Thread-safe.
 */
public final class EventJournal {
    /** What a (re)connecting stream gets first. */
    public record Resume(boolean resync, List<TreeChange> events) {}

    private final ArrayDeque<TreeChange> events = new ArrayDeque<>();
    private final int capacity;
    /** Events with zxid at or below this may have been dropped. */
    private long droppedThroughZxid;
    /** Highest zxid handed to a listener. */
    private long deliveredThroughZxid;
    private Consumer<TreeChange> listener;

    EventJournal(int capacity, long startZxid) {
        this.capacity = capacity;
        this.droppedThroughZxid = startZxid;
        this.deliveredThroughZxid = startZxid;
    }

    synchronized void append(TreeChange event) {
        if (events.size() == capacity) {
            droppedThroughZxid = Math.max(droppedThroughZxid, events.removeFirst().zxid());
        }
        events.addLast(event);
        if (listener != null) {
            listener.accept(event);
            deliveredThroughZxid = event.zxid();
        }
    }

    /**
     * Attaches a stream. With {@code lastEventZxid} < 0 the stream gets the events not yet delivered to any
     * stream; otherwise those after {@code lastEventZxid}, or a resync if some of them are gone.
     *
     * <p>A given {@code lastEventZxid} at {@code droppedThroughZxid} also means a resync: it may be the zxid
     * the journal started at (an event from before a restart: the events since are unknown and the watches
     * that caused them are gone), or that of a dropped event, alongside which others of the same zxid may
     * have been dropped.
     */
    public synchronized Resume attach(long lastEventZxid, Consumer<TreeChange> newListener) {
        long after = lastEventZxid < 0 ? deliveredThroughZxid : lastEventZxid;
        listener = newListener;
        if (lastEventZxid < 0 ? after < droppedThroughZxid : after <= droppedThroughZxid) {
            deliveredThroughZxid = events.isEmpty() ? deliveredThroughZxid : events.getLast().zxid();
            return new Resume(true, List.of());
        }
        List<TreeChange> missed = new ArrayList<>();
        for (TreeChange e : events) if (e.zxid() > after) missed.add(e);
        if (!events.isEmpty()) deliveredThroughZxid = Math.max(deliveredThroughZxid, events.getLast().zxid());
        return new Resume(false, missed);
    }

    public synchronized void detach(Consumer<TreeChange> oldListener) {
        if (listener == oldListener) listener = null;
    }

    public synchronized int size() {
        return events.size();
    }
}
