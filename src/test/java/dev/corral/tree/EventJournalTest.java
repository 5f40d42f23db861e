package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.tree.TreeChange.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventJournalTest {
    private static final Consumer<TreeChange> IGNORE = e -> { };

    private static TreeChange event(long zxid) {
        return new TreeChange(EventType.NodeDataChanged, "/n" + zxid, zxid);
    }

    private static List<TreeChange> events(long... zxids) {
        List<TreeChange> out = new ArrayList<>();
        for (long z : zxids) out.add(event(z));
        return out;
    }

    /** A stream that throws (its client went away mid-send) is detached; the applier that appended goes on. */
    @Test
    void aFailingListenerIsDetachedAndTheEventStaysForTheNextStream() {
        EventJournal j = new EventJournal(10, 0);
        j.attach(-1, e -> {
            throw new IllegalStateException("the response is closed");
        });
        j.append(event(1));
        List<TreeChange> later = new ArrayList<>();
        j.append(event(2));
        EventJournal.Resume r = j.attach(-1, later::add);
        assertEquals(events(1, 2), r.events(), "the events the failed stream did not take are handed to the next one");
        j.append(event(3));
        assertEquals(events(3), later);
    }

    @Test
    void firstAttachGetsEveryEventNotYetDelivered() {
        EventJournal j = new EventJournal(10, 0);
        j.append(event(1));
        j.append(event(2));
        EventJournal.Resume r = j.attach(-1, IGNORE);
        assertFalse(r.resync());
        assertEquals(events(1, 2), r.events());
    }

    @Test
    void attachedListenerReceivesNewEventsAndReattachWithoutZxidSkipsThem() {
        EventJournal j = new EventJournal(10, 0);
        List<TreeChange> live = new ArrayList<>();
        Consumer<TreeChange> first = live::add;
        j.append(event(1));
        assertEquals(events(1), j.attach(-1, first).events());
        j.append(event(2));
        j.append(event(3));
        assertEquals(events(2, 3), live);
        j.detach(first);
        j.append(event(4));
        assertEquals(events(2, 3), live);
        Consumer<TreeChange> second = e -> { };
        assertEquals(events(4), j.attach(-1, second).events());
        j.detach(second);
        j.append(event(5));
        j.append(event(6));
        EventJournal.Resume r = j.attach(-1, IGNORE);
        assertFalse(r.resync());
        assertEquals(events(5, 6), r.events());
    }

    @Test
    void attachAfterAZxidGetsTheEventsAfterIt() {
        EventJournal j = new EventJournal(10, 0);
        for (long z = 1; z <= 5; z++) j.append(event(z));
        assertEquals(events(4, 5), j.attach(3, IGNORE).events());
        assertEquals(events(2, 3, 4, 5), j.attach(1, IGNORE).events());
        assertEquals(events(), j.attach(5, IGNORE).events());
        assertEquals(events(), j.attach(-1, IGNORE).events());
    }

    @Test
    void overflowPastTheResumePointAsksForResync() {
        EventJournal j = new EventJournal(3, 0);
        for (long z = 1; z <= 5; z++) j.append(event(z));
        assertEquals(3, j.size());
        EventJournal.Resume lost = j.attach(1, IGNORE);
        assertTrue(lost.resync());
        assertEquals(List.of(), lost.events());
        assertTrue(j.attach(0, IGNORE).resync());
        assertTrue(j.attach(2, IGNORE).resync(), "other events of the last dropped zxid may be gone too");
        EventJournal.Resume kept = j.attach(3, IGNORE);
        assertFalse(kept.resync());
        assertEquals(events(4, 5), kept.events());
    }

    @Test
    void undeliveredEventsLostToOverflowAskForResync() {
        EventJournal j = new EventJournal(2, 0);
        for (long z = 1; z <= 4; z++) j.append(event(z));
        EventJournal.Resume r = j.attach(-1, IGNORE);
        assertTrue(r.resync());
        j.detach(IGNORE);
        j.append(event(5));
        EventJournal.Resume next = j.attach(-1, IGNORE);
        assertFalse(next.resync(), "after a resync the stream continues from the newest event");
        assertEquals(events(5), next.events());
    }

    @Test
    void resumeFromBeforeTheJournalStartedAsksForResync() {
        EventJournal j = new EventJournal(10, 100);
        j.append(event(101));
        assertTrue(j.attach(50, IGNORE).resync());
        assertTrue(j.attach(99, IGNORE).resync());
        assertTrue(j.attach(100, IGNORE).resync(), "the zxid the node restarted at: its watches are gone");
        EventJournal.Resume r = j.attach(101, IGNORE);
        assertFalse(r.resync());
        assertEquals(events(), r.events());
    }

    @Test
    void registryJournalsStartAtTheRegistrysStartZxid() {
        WatchRegistry registry = new WatchRegistry(10, 500);
        assertTrue(registry.journal(1).attach(499, IGNORE).resync());
        assertTrue(registry.journal(2).attach(500, IGNORE).resync());
        assertFalse(registry.journal(4).attach(501, IGNORE).resync());
        assertFalse(registry.journal(3).attach(-1, IGNORE).resync());
    }
}
