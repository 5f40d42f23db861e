package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.corral.txn.Acl;
import org.junit.jupiter.api.Test;

/**
 * A znode as created and never changed is kept in its small form, whose Stat is derived from its creation;
 * every change gives the full form, and the same fields always give the same form.
 */
class ZnodeTest {
    @Test
    void aZnodeKeepsItsSmallFormOnlyUntilItChanges() {
        TreeHarness h = new TreeHarness();
        Stat created = h.created("/p");
        Znode p = h.state.find("/p");
        assertInstanceOf(Znode.Pristine.class, p);
        assertEquals(new Stat(created.czxid(), created.czxid(), created.czxid(), created.ctime(), created.ctime(), 0, 0, 0, 0, 0, 0),
                p.stat());

        h.ok(new Op.SetData("/p", new byte[] {1, 2}, -1));
        assertInstanceOf(Znode.Full.class, h.state.find("/p"));
        assertEquals(1, h.stat("/p").version());
        assertEquals(2, h.stat("/p").dataLength());

        h.created("/q");
        h.created("/q/c");
        assertInstanceOf(Znode.Full.class, h.state.find("/q"), "a parent stores its children");
        assertInstanceOf(Znode.Pristine.class, h.state.find("/q/c"));
        h.ok(new Op.Delete("/q/c", -1));
        Stat q = h.stat("/q");
        assertInstanceOf(Znode.Full.class, h.state.find("/q"), "its pzxid and cversion moved");
        assertEquals(1, h.state.find("/q").childCreations());
        assertEquals(2, q.cversion(), "a create and a delete, as ZooKeeper reports them");
        assertEquals(h.state.lastZxid(), q.pzxid());

        h.created("/r");
        h.ok(new Op.SetAcl("/r", Acl.READ_ONLY, -1));
        assertEquals(1, h.stat("/r").aversion());
        assertInstanceOf(Znode.Full.class, h.state.find("/r"));

        long session = h.openSession();
        h.created("/e", CreateMode.EPHEMERAL, Caller.ANONYMOUS.withSession(session));
        assertInstanceOf(Znode.Full.class, h.state.find("/e"), "an ephemeral stores its owner");
        assertEquals(session, h.stat("/e").ephemeralOwner());
    }

    @Test
    void theSameFieldsGiveTheSameForm() {
        Znode full = Znode.of(new byte[0], Acl.OPEN, PersistentMap.empty(), 5, 5, 5, 100, 100, 0, 0, 0, 0);
        assertInstanceOf(Znode.Pristine.class, full);
        Znode parent = Znode.created(new byte[0], Acl.OPEN, 5, 100, 0).withChildAdded("c", full, 6);
        assertInstanceOf(Znode.Full.class, parent);
        assertEquals(new Stat(5, 5, 6, 100, 100, 0, 1, 0, 0, 0, 1), parent.stat());
        assertInstanceOf(Znode.Pristine.class, Znode.of(new byte[0], Acl.OPEN, PersistentMap.empty(), 5, 5, 5, 100, 100, 0, 0, 0, 0));
        assertInstanceOf(Znode.Full.class, Znode.of(new byte[0], Acl.OPEN, PersistentMap.empty(), 5, 5, 5, 100, 101, 0, 0, 0, 0));
        assertInstanceOf(Znode.Full.class, Znode.of(new byte[0], Acl.OPEN, PersistentMap.empty(), 5, 5, 5, 100, 100, 0, 0, 0, 1));
    }
}
