package dev.corral.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-written histories, each accepted or rejected for one reason. Each rule of the checker has a test that fails
 * without it: real-time order ({@code staleRead…}, {@code readsOrderedInRealTime…}), the register model
 * ({@code readOfAValueNeverWritten…}, {@code twoCasOnOneVersion…}, {@code versionGoingBackwards…}) and unknown
 * operations ({@code unknownWrite…}). Key {@code k} starts at "init" version 0; times are made-up nanoseconds.
 */
class LinearizabilityCheckerTest {

    static void assertLinearizable(CheckResult r) {
        assertEquals(CheckResult.Verdict.LINEARIZABLE, r.verdict(), r::describe);
    }

    static void assertNotLinearizable(CheckResult r) {
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, r.verdict(), r::describe);
    }

    // ---- accepted ----

    @Test
    void sequentialHistoryOfEveryKindIsLinearizable() {
        Script s = new Script().startAbsent("k")
                .readAbsent(0, 0, 10)
                .create(0, 20, 30, "a")
                .read(1, 40, 50, "a", 0)
                .write(1, 60, 70, "b", 1)
                .cas(0, 80, 90, 1, "c")
                .read(0, 100, 110, "c", 2);
        assertLinearizable(s.check());
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertLinearizable(new Script().check());
    }

    @Test
    void overlappingWritesMayTakeEffectInEitherOrder() {
        // Both orders of two concurrent writes, each with reads in the overlap seeing the first one.
        assertLinearizable(new Script()
                .write(0, 0, 100, "a", 1).write(1, 10, 90, "b", 2)
                .read(2, 20, 30, "a", 1).read(2, 40, 50, "b", 2).read(2, 110, 120, "b", 2).check());
        assertLinearizable(new Script()
                .write(0, 0, 100, "a", 2).write(1, 10, 90, "b", 1)
                .read(2, 20, 30, "init", 0).read(2, 40, 50, "b", 1).read(2, 110, 120, "a", 2).check());
    }

    @Test
    void aReadOverlappingAWriteMaySeeTheOldOrTheNewValue() {
        assertLinearizable(new Script().write(0, 0, 100, "a", 1).read(1, 10, 20, "init", 0).read(2, 10, 20, "a", 1).check());
    }

    @Test
    void operationsAtEqualTimesCountAsConcurrent() {
        // The read is invoked at the very nanosecond the write completes: the two may be in either order.
        assertLinearizable(new Script().write(0, 0, 50, "a", 1).read(1, 50, 60, "init", 0).check());
    }

    @Test
    void unknownWriteThatTookEffectExplainsALaterRead() {
        assertLinearizable(new Script().unknownWrite(0, 0, 10, "x").read(1, 50, 60, "x", 1).check());
    }

    @Test
    void unknownWriteThatNeverTookEffectMayBeLeftOut() {
        assertLinearizable(new Script().unknownWrite(0, 0, 10, "x").read(1, 50, 60, "init", 0).write(1, 70, 80, "y", 1)
                .read(1, 90, 100, "y", 1).check());
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterTheClientGaveUp() {
        assertLinearizable(new Script().unknownWrite(0, 0, 10, "x").read(1, 20, 30, "init", 0).read(1, 40, 50, "x", 1).check());
    }

    @Test
    void unknownWriteTakingEffectShiftsTheVersionsOfLaterWrites() {
        // Nobody read "x", but the write after it reported version 2: "x" must have been written in between.
        assertLinearizable(new Script().unknownWrite(0, 0, 10, "x").write(1, 20, 30, "y", 2).check());
        assertNotLinearizable(new Script().write(1, 20, 30, "y", 2).check());
    }

    @Test
    void casChainWithConcurrentLosersIsLinearizable() {
        Script s = new Script()
                .cas(0, 0, 10, 0, "a")
                .cas(1, 5, 25, 1, "b")
                .casBadVersion(2, 6, 24, 1, "c")
                .cas(0, 30, 40, 2, "d")
                .unknownCas(2, 35, 45, 3, "e")
                .read(1, 50, 60, "e", 4)
                .cas(1, 70, 80, 4, "f")
                .read(0, 90, 95, "f", 5);
        assertLinearizable(s.check());
    }

    @Test
    void failedOperationsAreIgnored() {
        assertLinearizable(new Script().failedWrite(0, 0, 10, "x", "NO_NODE").casBadVersion(0, 20, 30, 0, "y")
                .read(1, 40, 50, "init", 0).check());
    }

    @Test
    void sequentialReadsAreIgnoredUnlessAsked() {
        Script s = new Script().write(0, 0, 10, "a", 1).sequentialRead(1, 20, 30, "init", 0);
        assertLinearizable(s.check());
        assertNotLinearizable(s.check(LinearizabilityChecker.Options.defaults().withCheckAllReads(true)));
    }

    @Test
    void badVersionFailureCheckedAsAReadWhenAsked() {
        var asRead = LinearizabilityChecker.Options.defaults().withBadVersionIsRead(true);
        // Refused while a concurrent write moved the version on: fine.
        assertLinearizable(new Script().write(0, 0, 100, "a", 1).casBadVersion(1, 10, 20, 0, "x").check(asRead));
        // Refused although the version was 0 throughout: only reported when asked.
        Script stale = new Script().casBadVersion(1, 10, 20, 0, "x").write(0, 30, 40, "a", 1);
        assertLinearizable(stale.check());
        assertNotLinearizable(stale.check(asRead));
    }

    @Test
    void keysAreCheckedIndependently() {
        Script s = new Script().write(0, 0, 10, "a", 1).on("j").startAbsent("j").create(1, 5, 15, "b").readAbsent(1, 20, 30)
                .on("k").read(1, 20, 30, "a", 1);
        CheckResult r = s.check();
        assertNotLinearizable(r);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, r.keys().get(0).verdict());
        assertEquals("j", r.keys().get(0).key());
        assertEquals(CheckResult.Verdict.LINEARIZABLE, r.keys().get(1).verdict());
    }

    // ---- rejected ----

    @Test
    void staleReadAfterACompletedWriteIsNotLinearizable() {
        CheckResult r = new Script().write(0, 0, 10, "a", 1).read(1, 20, 30, "init", 0).check();
        assertNotLinearizable(r);
        // The report names both: the write cannot go first, since the read after it needs version 0.
        assertTrue(r.describe().contains("#0 p0 k write(\"a\") OK v1 [+0ns, +10ns]: the register allows it"), r::describe);
        assertTrue(r.describe().contains("#1 p1 k read OK \"init\"@v0 [+20ns, +30ns], still to come, needs v0"), r::describe);
    }

    @Test
    void readOfAValueNeverWrittenIsNotLinearizable() {
        assertNotLinearizable(new Script().write(0, 0, 100, "a", 1).read(1, 10, 20, "b", 1).check());
    }

    @Test
    void readsOrderedInRealTimeMustNotSeeWritesInOppositeOrders() {
        // "a" then "b" (their versions say so); the first read saw "b", a later one "a" again.
        assertNotLinearizable(new Script().write(0, 0, 100, "a", 1).write(1, 0, 100, "b", 2)
                .read(2, 10, 20, "b", 2).read(3, 30, 40, "a", 1).check());
        // Same with writes of unknown outcome, which report no versions.
        assertNotLinearizable(new Script().unknownWrite(0, 0, 100, "a").unknownWrite(1, 0, 100, "b")
                .read(2, 10, 20, "b", 2).read(3, 30, 40, "a", 1).check());
        // The same reads overlapping each other are fine.
        assertLinearizable(new Script().write(0, 0, 100, "a", 1).write(1, 0, 100, "b", 2)
                .read(2, 10, 40, "b", 2).read(3, 30, 50, "a", 1).check());
    }

    @Test
    void twoCasOnOneVersionBothSucceedingIsALostUpdate() {
        assertNotLinearizable(new Script().cas(0, 0, 10, 0, "a").cas(1, 5, 15, 0, "b").check());
        assertNotLinearizable(new Script().cas(0, 0, 10, 0, "a").cas(1, 20, 30, 0, "b").check());
    }

    @Test
    void casWithAnExpectedVersionThatNeverWasIsNotLinearizable() {
        assertNotLinearizable(new Script().cas(0, 0, 10, 3, "a").check());
    }

    @Test
    void writeReportingAVersionTheRegisterCannotHaveIsNotLinearizable() {
        assertNotLinearizable(new Script().write(0, 0, 10, "a", 5).check());
    }

    @Test
    void versionGoingBackwardsIsNotLinearizable() {
        assertNotLinearizable(new Script().write(0, 0, 10, "a", 1).write(0, 20, 30, "b", 2)
                .read(1, 40, 50, "b", 2).read(1, 60, 70, "a", 1).check());
    }

    @Test
    void createOfAnExistingZnodeOrReadingAbsentAfterCreateIsNotLinearizable() {
        assertNotLinearizable(new Script().create(0, 0, 10, "a").check());
        assertNotLinearizable(new Script().startAbsent("k").create(0, 0, 10, "a").readAbsent(1, 20, 30).check());
    }

    @Test
    void unknownWriteSeenThenUnseenIsNotLinearizable() {
        // The unknown write took effect (the first read saw it): a later read cannot see the older value again.
        assertNotLinearizable(new Script().unknownWrite(0, 0, 5, "x").read(1, 10, 20, "x", 1).read(1, 30, 40, "init", 0).check());
    }

    @Test
    void unknownWriteSeenBeforeItWasInvokedIsNotLinearizable() {
        assertNotLinearizable(new Script().read(1, 0, 10, "x", 1).unknownWrite(0, 20, 30, "x").check());
    }

    @Test
    void unknownCasTakesEffectOnlyAtItsExpectedVersion() {
        assertLinearizable(new Script().unknownCas(0, 0, 5, 0, "x").read(1, 10, 20, "x", 1).check());
        assertNotLinearizable(new Script().unknownCas(0, 0, 5, 3, "x").read(1, 10, 20, "x", 1).check());
    }

    @Test
    void unknownWriteTakesEffectAtMostOnce() {
        // Seeing "x" at version 1 and at version 2 needs it twice (no other write could move the version).
        assertNotLinearizable(new Script().unknownWrite(0, 0, 5, "x").read(1, 10, 20, "x", 1).read(1, 30, 40, "x", 2).check());
    }

    @Test
    void searchLimitGivesUnknownRatherThanAnAnswer() {
        // Twenty concurrent reads may go in any order: a search that must exhaust them enters 2^20 configurations.
        Script s = new Script();
        for (int i = 0; i < 20; i++) s.read(i, 0, 100, "init", 0);
        s.read(0, 200, 210, "never written", 0);
        CheckResult r = s.check(LinearizabilityChecker.Options.defaults().withStatesMax(1_000));
        assertEquals(CheckResult.Verdict.UNKNOWN, r.verdict(), r::describe);
        assertTrue(r.describe().contains("UNKNOWN (search limit)"), r::describe);
    }
}
