package dev.corral.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The watch events of one session, kept so that an event stream can resume after a disconnect.
 *
 * <p>Events are kept in zxid order, at most {@code capacity} of them. A stream that resumes after a zxid
 * gets every later event, or, if the journal has already dropped some of them (or did not exist yet, as after
 * a restart), a single answer that the client must re-read. At most one stream is attached: attaching another
 * replaces it. Thread-safe.
 */
public final class EventJournal {
    /**
     * A listener that also wants to know where a batch of appended events ends: all events of one zxid are
     * appended in one batch, so a stream can tell which event is the last of its zxid.
     */
    public interface BatchListener extends Consumer<TreeChange> {
        void endOfBatch();

        /** Another stream attached to the journal; this one receives nothing more. */
        void replaced();
    }

    /** What a (re)connecting stream gets first. */
    public record Resume(boolean resync, List<TreeChange> events) {}

    private final ArrayDeque<TreeChange> events = new ArrayDeque<>();
    private final int capacity;
    /** Events with zxid at or below this may have been dropped. */
    private long droppedThroughZxid;
    /** Highest zxid handed to a listener. */
    private long deliveredThroughZxid;
    /** The attached stream. Detaching takes no lock, so a stream may detach while it holds its own lock. */
    private final AtomicReference<Consumer<TreeChange>> listener = new AtomicReference<>();

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
        Consumer<TreeChange> l = listener.get();
        if (l != null) {
            try {
                l.accept(event);
                deliveredThroughZxid = event.zxid();
            } catch (RuntimeException e) {
                // A stream that fails must not fail the applier that called it (the stream reports its own failures; this
                // is the last guard): it is detached, and its client resumes from the journal like any stream cut off.
                listener.compareAndSet(l, null);
            }
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
        // One stream per session: a new one (typically the same client reconnecting before the server noticed that
        // the old connection died) takes over, and the old one is told, rather than silently starved.
        Consumer<TreeChange> old = listener.getAndSet(newListener);
        if (old != null && old != newListener && old instanceof BatchListener b) b.replaced();
        if (lastEventZxid < 0 ? after < droppedThroughZxid : after <= droppedThroughZxid) {
            deliveredThroughZxid = events.isEmpty() ? deliveredThroughZxid : events.getLast().zxid();
            return new Resume(true, List.of());
        }
        List<TreeChange> missed = new ArrayList<>();
        for (TreeChange e : events) if (e.zxid() > after) missed.add(e);
        if (!events.isEmpty()) deliveredThroughZxid = Math.max(deliveredThroughZxid, events.getLast().zxid());
        return new Resume(false, missed);
    }

    /** Marks the end of a batch of appends (every event of the zxids appended so far is in). */
    synchronized void endBatch() {
        if (listener.get() instanceof BatchListener b) b.endOfBatch();
    }

    public void detach(Consumer<TreeChange> oldListener) {
        listener.compareAndSet(oldListener, null);
    }

    public synchronized int size() {
        return events.size();
    }
}
