package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.corral.txn.Acl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interned ACL lists are shared, and a client that uses a new ACL for every znode cannot grow the table without bound. */
class AclTableTest {
    private static List<Acl> ipAcl(int i) {
        return List.of(new Acl(Acl.ALL, "ip", "10.0." + (i >> 8) + "." + (i & 255)));
    }

    @Test
    void distinctListsBeyondTheBoundAreCopiedNotKept() {
        AclTable table = new AclTable(100);
        List<Acl> first = table.intern(ipAcl(0));
        assertSame(first, table.intern(ipAcl(0)), "an interned list is shared");
        for (int i = 1; i < 10_000; i++) {
            List<Acl> acl = ipAcl(i);
            assertEquals(acl, table.intern(acl));
        }
        assertEquals(100, table.size());
        assertSame(first, table.intern(ipAcl(0)), "lists interned before the bound stay shared");
        assertSame(Acl.OPEN, table.intern(List.copyOf(Acl.OPEN)));
        List<Acl> late = ipAcl(9_999);
        assertNotSame(table.intern(new ArrayList<>(late)), table.intern(new ArrayList<>(late)), "a list past the bound is not shared");
    }
}
