package dev.corral.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

    @Test
    void recordsInvokeAndCompletionTimesFromItsClock() {
        AtomicLong clock = new AtomicLong(100);
        History h = new History(clock::get);
        History.Pending w = h.invokeWrite(3, "/a", "x");
        clock.set(150);
        History.Pending r = h.invokeRead(4, "/a", true);
        clock.set(200);
        w.ok(1);
        clock.set(250);
        r.okRead("x", 1);
        List<Op> ops = h.ops();
        assertEquals(List.of(
                new Op(0, 3, "/a", Op.Kind.WRITE, "x", -1, true, 100, Op.Outcome.OK, 200, new Register("x", 1), null),
                new Op(1, 4, "/a", Op.Kind.READ, null, -1, true, 150, Op.Outcome.OK, 250, new Register("x", 1), null)), ops);
    }

    @Test
    void anOperationStillOpenCountsAsUnknownAndCompletesOnlyOnce() {
        History h = new History(() -> 7);
        History.Pending p = h.invokeCas(0, "/a", 2, "y");
        Op open = h.ops().get(0);
        assertEquals(Op.Outcome.UNKNOWN, open.outcome());
        assertEquals(Long.MAX_VALUE, open.completeNanos());
        p.fail("BAD_VERSION");
        assertEquals(Op.Outcome.FAIL, h.ops().get(0).outcome());
        assertThrows(IllegalStateException.class, p::unknown);
        assertThrows(IllegalStateException.class, () -> h.invokeRead(0, "/a", true).ok(3));
        assertEquals(2, h.ops().size());
    }

    @Test
    void jsonRoundTripKeepsEveryOperationAndTheInitialStates(@TempDir Path dir) throws IOException {
        History h = RegisterSimulation.run(7);
        h.initial("/extra", new Register(null, 4));
        History back = History.fromJson(h.toJson());
        assertEquals(h.ops(), back.ops());
        assertEquals(h.initial(), back.initial());
        assertTrue(h.ops().stream().map(Op::outcome).distinct().count() == 3, "the run should have all three outcomes");

        Path file = dir.resolve("history.json");
        h.writeJson(file);
        assertEquals(h.ops(), History.readJson(file).ops());
        assertEquals(new LinearizabilityChecker().check(h).verdict(), new LinearizabilityChecker().check(History.readJson(file)).verdict());
    }

    @Test
    void jsonOfAnotherFormatIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> History.fromJson("{\"format\":\"other\",\"ops\":[]}"));
    }

    /**
     * Real threads recording against a register that is linearizable because a lock guards it: the recorder keeps
     * every operation, and the history passes. Nothing is timed; the threads just race.
     */
    @Test
    void threadsRecordingAgainstALockedRegisterGiveALinearizableHistory() throws Exception {
        History h = new History();
        h.initial("/r", new Register("init", 0));
        Object lock = new Object();
        Register[] register = {new Register("init", 0)};
        int threads = 6;
        int opsPerThread = 500;
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int process = t;
                done.add(pool.submit(() -> {
                    SplittableRandom rng = new SplittableRandom(process);
                    for (int i = 0; i < opsPerThread; i++) {
                        if (rng.nextBoolean()) {
                            History.Pending p = h.invokeRead(process, "/r", true);
                            Register seen;
                            synchronized (lock) {
                                seen = register[0];
                            }
                            p.okRead(seen.value(), seen.version());
                        } else {
                            String value = "p" + process + "-" + i;
                            History.Pending p = h.invokeWrite(process, "/r", value);
                            int version;
                            synchronized (lock) {
                                register[0] = new Register(value, register[0].version() + 1);
                                version = register[0].version();
                            }
                            p.ok(version);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        assertEquals(threads * opsPerThread, h.ops().size());
        CheckResult r = new LinearizabilityChecker().check(h);
        assertEquals(CheckResult.Verdict.LINEARIZABLE, r.verdict(), r::describe);
    }
}
