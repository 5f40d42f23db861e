package dev.corral.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {
    private final SessionTracker tracker = new SessionTracker();

    @Test
    void sessionExpiresOnlyOnceItsTimeoutHasPassed() {
        tracker.track(1, 1000, 10_000);
        assertEquals(List.of(), tracker.expired(10_999));
        assertEquals(List.of(), tracker.expired(11_000));
        assertEquals(List.of(1L), tracker.expired(11_001));
    }

    @Test
    void touchPushesTheDeadlineOutByTheTimeout() {
        tracker.track(1, 1000, 0);
        assertTrue(tracker.touch(1, 800));
        assertEquals(List.of(), tracker.expired(1_500));
        assertEquals(List.of(), tracker.expired(1_800));
        assertEquals(List.of(1L), tracker.expired(1_801));
    }

    @Test
    void touchNeverMovesTheDeadlineBackwards() {
        tracker.track(1, 1000, 5_000);
        assertTrue(tracker.touch(1, 4_000));
        assertEquals(List.of(), tracker.expired(6_000));
        assertEquals(List.of(1L), tracker.expired(6_001));
    }

    @Test
    void expiredSessionIsReportedOnceUntilTouchedAgain() {
        tracker.track(1, 100, 0);
        tracker.track(2, 100, 0);
        assertEquals(List.of(1L, 2L), tracker.expired(101));
        assertEquals(List.of(), tracker.expired(102));
        assertEquals(List.of(), tracker.expired(1_000_000));
        assertTrue(tracker.touch(2, 1_000_000));
        assertEquals(List.of(), tracker.expired(1_000_100));
        assertEquals(List.of(2L), tracker.expired(1_000_101));
        assertEquals(List.of(), tracker.expired(1_000_200));
    }

    @Test
    void expiredSessionsAreListedInIdOrder() {
        tracker.track(30, 10, 0);
        tracker.track(-5, 10, 0);
        tracker.track(7, 10, 0);
        tracker.track(8, 1000, 0);
        assertEquals(List.of(-5L, 7L, 30L), tracker.expired(11));
    }

    @Test
    void unknownSessionsCannotBeTouchedAndForgottenOnesDoNotExpire() {
        assertFalse(tracker.touch(9, 0));
        tracker.track(9, 10, 0);
        assertTrue(tracker.isTracked(9));
        tracker.forget(9);
        assertFalse(tracker.isTracked(9));
        assertFalse(tracker.touch(9, 5));
        assertEquals(List.of(), tracker.expired(1000));
        assertEquals(0, tracker.size());
    }

    @Test
    void resetReplacesEverySessionWithAFullTimeoutFromNow() {
        tracker.track(1, 100, 0);
        tracker.track(2, 100, 0);
        assertEquals(List.of(1L, 2L), tracker.expired(500));
        tracker.reset(Map.of(2L, 300, 3L, 50), 1000);
        assertEquals(2, tracker.size());
        assertFalse(tracker.isTracked(1));
        assertEquals(List.of(), tracker.expired(1050));
        assertEquals(List.of(3L), tracker.expired(1051));
        assertEquals(List.of(), tracker.expired(1300));
        assertEquals(List.of(2L), tracker.expired(1301));
    }

    @Test
    void retrackingAnExpiredSessionGivesItAFreshDeadline() {
        tracker.track(1, 100, 0);
        assertEquals(List.of(1L), tracker.expired(200));
        tracker.track(1, 100, 200);
        assertEquals(List.of(), tracker.expired(300));
        assertEquals(List.of(1L), tracker.expired(301));
    }
}
