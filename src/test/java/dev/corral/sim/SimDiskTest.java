package dev.corral.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import dev.corral.tree.TreeState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated disk loses exactly what was never synced, and a torn tail is cut off by recovery. */
class SimDiskTest {
    private static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(new Entry(i, term, new byte[] {(byte) i}));
        return out;
    }

    @Test
    void unsyncedWritesAreLostOnCrashAndSyncedOnesSurvive() {
        SimDisk disk = new SimDisk(64);
        disk.enqueue(new SimDisk.Pending.Write(1, new HardState(1, 1, 0), entries(1, 3, 1)));
        disk.enqueue(new SimDisk.Pending.Write(2, null, entries(4, 5, 1)));
        disk.syncNext();
        assertTrue(disk.holds(3, 1));
        assertFalse(disk.holds(4, 1));
        disk.crash(SimDisk.CrashKind.LOSE_ALL, new SplittableRandom(1));
        SimDisk.Recovered r = disk.recover(new AclTable());
        assertEquals(3, r.entries().size());
        assertEquals(new HardState(1, 1, 0), r.hardState());
        assertEquals(0, r.truncatedFrom());
        assertFalse(disk.hasPending());
    }

    @Test
    void aTornWriteLeavesAPrefixThatRecoveryCutsAtTheDamagedRecord() {
        for (long seed = 0; seed < 50; seed++) {
            SimDisk disk = new SimDisk(64);
            disk.enqueue(new SimDisk.Pending.Write(3, new HardState(1, 1, 0), entries(1, 2, 1)));
            disk.syncNext();
            disk.enqueue(new SimDisk.Pending.Write(4, new HardState(2, 0, 2), entries(3, 8, 2)));
            disk.crash(SimDisk.CrashKind.TEAR, new SplittableRandom(seed));
            SimDisk.Recovered r = disk.recover(new AclTable());
            long last = r.entries().isEmpty() ? 0 : r.entries().getLast().index();
            assertTrue(last >= 2 && last < 8, "seed " + seed + ": recovered up to " + last);
            assertEquals(last + 1, r.truncatedFrom(), "seed " + seed + ": the torn record follows the intact prefix");
            assertEquals(new HardState(2, 0, 2), r.hardState(), "the torn write's hard state is written first");
            assertEquals(last, disk.log.lastIndex(), "recovery removed the torn record from the store");
            for (Entry e : r.entries()) assertEquals(e.index() <= 2 ? 1 : 2, e.term());
        }
    }

    @Test
    void aTornWriteThatReplacesASuffixKeepsNothingOfTheOldSuffix() {
        SimDisk disk = new SimDisk(64);
        disk.enqueue(new SimDisk.Pending.Write(5, new HardState(1, 1, 0), entries(1, 6, 1)));
        disk.syncNext();
        disk.enqueue(new SimDisk.Pending.Write(6, new HardState(2, 0, 0), entries(4, 5, 2)));
        disk.crash(SimDisk.CrashKind.TEAR, new SplittableRandom(3));
        SimDisk.Recovered r = disk.recover(new AclTable());
        for (Entry e : r.entries()) assertEquals(e.index() <= 3 ? 1 : 2, e.term(), "entry " + e.index());
        assertTrue(r.entries().size() <= 4);
    }

    @Test
    void aKeptPrefixOfUnsyncedWritesBecomesDurableInOrder() {
        SimDisk disk = new SimDisk(64);
        for (long i = 1; i <= 5; i++) disk.enqueue(new SimDisk.Pending.Write(7, null, entries(i, i, 1)));
        disk.crash(SimDisk.CrashKind.KEEP_PREFIX, new SplittableRandom(7));
        SimDisk.Recovered r = disk.recover(new AclTable());
        for (int k = 0; k < r.entries().size(); k++) assertEquals(k + 1, r.entries().get(k).index());
        assertEquals(0, r.truncatedFrom());
    }

    @Test
    void aSnapshotCompactsTheLogAndRecoveryStartsFromIt() {
        SimDisk disk = new SimDisk(16);
        disk.enqueue(new SimDisk.Pending.Write(8, new HardState(1, 1, 0), entries(1, 4, 1)));
        disk.syncNext();
        Apply apply = new Apply(new AclTable());
        TreeState state = TreeState.initial();
        state = apply.apply(state, 1, new TxnRecord(5, new Txn.Create("/a", new byte[] {1}, Acl.OPEN, 0))).state();
        state = apply.apply(state, 2, new TxnRecord(6, new Txn.Noop())).state();
        disk.snapshot(state, 1);
        SimDisk.Recovered r = disk.recover(new AclTable());
        assertEquals(List.of(3L, 4L), r.entries().stream().map(Entry::index).toList());
        assertEquals(TreeDigest.of(state), TreeDigest.of(r.snapshotState()));
    }
}
