package dev.corral.tree;

import static dev.corral.tree.TreeHarness.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.corral.txn.Acl;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrepAclTest {
    private static final String ALICE = AclCheck.digestId("alice", "pw");
    private static final Caller ALICE_CALLER = new Caller(0, List.of(new AuthId("digest", ALICE)));
    private static final Caller MALLORY = new Caller(0, List.of(new AuthId("digest", AclCheck.digestId("alice", "guess"))));
    private static final Caller SUPER = new Caller(0, List.of(AuthId.SUPER));

    private final TreeHarness h = new TreeHarness();

    private void createWithAcl(String path, List<Acl> acl) {
        h.ok(create(path, new byte[0], acl, CreateMode.PERSISTENT, -1), SUPER);
    }

    @Test
    void worldAnyoneGrantsEveryCaller() {
        createWithAcl("/open", Acl.OPEN);
        h.ok(create("/open/c"));
        h.ok(new Op.SetData("/open", new byte[] {1}, -1));
        h.ok(new Op.Check("/open", -1));
        h.ok(new Op.SetAcl("/open", Acl.OPEN, -1));
        h.ok(new Op.Delete("/open/c", -1));
    }

    @Test
    void missingCreatePermissionOnTheParentFailsWithNoAuth() {
        createWithAcl("/p", List.of(new Acl(Acl.ALL & ~Acl.CREATE, "world", "anyone")));
        h.refused(ErrorCode.NO_AUTH, create("/p/c"), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_AUTH, create("/p/c", new byte[0], null, CreateMode.PERSISTENT_SEQUENTIAL, -1), Caller.ANONYMOUS);
        h.ok(create("/p/c"), SUPER);
    }

    @Test
    void missingDeletePermissionOnTheParentFailsWithNoAuth() {
        createWithAcl("/p", List.of(new Acl(Acl.ALL & ~Acl.DELETE, "world", "anyone")));
        h.ok(create("/p/c"));
        h.refused(ErrorCode.NO_AUTH, new Op.Delete("/p/c", -1), Caller.ANONYMOUS);
        // The node's own ACL does not matter for delete, only its parent's.
        createWithAcl("/q", Acl.OPEN);
        createWithAcl("/q/locked", List.of(new Acl(Acl.READ, "world", "anyone")));
        h.ok(new Op.Delete("/q/locked", -1));
    }

    @Test
    void missingWriteAdminOrReadPermissionFailsWithNoAuth() {
        createWithAcl("/ro", List.of(new Acl(Acl.READ, "world", "anyone")));
        h.refused(ErrorCode.NO_AUTH, new Op.SetData("/ro", new byte[] {1}, -1), Caller.ANONYMOUS);
        h.refused(ErrorCode.NO_AUTH, new Op.SetAcl("/ro", Acl.OPEN, -1), Caller.ANONYMOUS);
        h.ok(new Op.Check("/ro", -1));
        createWithAcl("/wo", List.of(new Acl(Acl.WRITE, "world", "anyone")));
        h.refused(ErrorCode.NO_AUTH, new Op.Check("/wo", -1), Caller.ANONYMOUS);
        h.ok(new Op.SetData("/wo", new byte[] {1}, -1));
    }

    @Test
    void digestAclAdmitsOnlyTheMatchingIdentity() {
        createWithAcl("/d", List.of(new Acl(Acl.ALL, "digest", ALICE)));
        for (Caller caller : List.of(Caller.ANONYMOUS, MALLORY)) {
            h.refused(ErrorCode.NO_AUTH, new Op.SetData("/d", new byte[] {1}, -1), caller);
            h.refused(ErrorCode.NO_AUTH, create("/d/c"), caller);
            h.refused(ErrorCode.NO_AUTH, new Op.Check("/d", -1), caller);
            h.refused(ErrorCode.NO_AUTH, new Op.SetAcl("/d", Acl.OPEN, -1), caller);
        }
        h.ok(new Op.SetData("/d", new byte[] {1}, -1), ALICE_CALLER);
        h.ok(create("/d/c"), ALICE_CALLER);
        h.refused(ErrorCode.NO_AUTH, new Op.Delete("/d/c", -1), Caller.ANONYMOUS);
        h.ok(new Op.Delete("/d/c", -1), ALICE_CALLER);
    }

    @Test
    void ipAclAdmitsAddressesInsideTheMask() {
        createWithAcl("/net", List.of(new Acl(Acl.CREATE | Acl.READ, "ip", "10.1.0.0/16")));
        h.ok(create("/net/a"), new Caller(0, List.of(new AuthId("ip", "10.1.200.3"))));
        h.refused(ErrorCode.NO_AUTH, create("/net/b"), new Caller(0, List.of(new AuthId("ip", "10.2.0.1"))));
        h.refused(ErrorCode.NO_AUTH, create("/net/b"), Caller.ANONYMOUS);
    }

    @Test
    void superBypassesEveryAcl() {
        createWithAcl("/s", List.of(new Acl(Acl.READ, "digest", ALICE)));
        h.ok(new Op.SetData("/s", new byte[] {1}, -1), SUPER);
        h.ok(create("/s/c"), SUPER);
        h.ok(new Op.Delete("/s/c", -1), SUPER);
        h.ok(new Op.SetAcl("/s", List.of(new Acl(Acl.READ, "digest", ALICE)), -1), SUPER);
        h.ok(new Op.Check("/s", -1), Caller.SYSTEM);
    }

    @Test
    void authSchemeExpandsToTheCallersDigestIdentity() {
        Caller aliceFromIp = new Caller(0, List.of(new AuthId("ip", "10.0.0.1"), new AuthId("digest", ALICE)));
        h.ok(create("/mine", new byte[0], List.of(new Acl(Acl.ALL, "auth", "")), CreateMode.PERSISTENT, -1), aliceFromIp);
        assertEquals(List.of(new Acl(Acl.ALL, "digest", ALICE)), h.state.find("/mine").acl());
        h.refused(ErrorCode.NO_AUTH, new Op.SetData("/mine", new byte[0], -1), Caller.ANONYMOUS);
        h.ok(new Op.SetData("/mine", new byte[0], -1), ALICE_CALLER);
        h.ok(new Op.SetAcl("/mine", List.of(new Acl(Acl.READ, "auth", "")), -1), ALICE_CALLER);
        assertEquals(List.of(new Acl(Acl.READ, "digest", ALICE)), h.state.find("/mine").acl());
    }

    @Test
    void invalidAclFailsWithInvalidAcl() {
        h.created("/a");
        List<List<Acl>> invalid = List.of(
                List.of(),
                List.of(new Acl(Acl.ALL, "unknown", "x")),
                List.of(new Acl(Acl.ALL, "world", "nobody")),
                List.of(new Acl(Acl.ALL, "digest", "malformed")),
                List.of(new Acl(Acl.ALL, "ip", "300.0.0.1")),
                List.of(new Acl(Acl.ALL, "auth", "")));
        for (List<Acl> acl : invalid) {
            h.refused(ErrorCode.INVALID_ACL, create("/b", new byte[0], acl, CreateMode.PERSISTENT, -1), Caller.ANONYMOUS);
            h.refused(ErrorCode.INVALID_ACL, new Op.SetAcl("/a", acl, -1), Caller.ANONYMOUS);
        }
        h.refused(ErrorCode.INVALID_ACL, new Op.SetAcl("/a", null, -1), Caller.ANONYMOUS);
        assertNull(h.state.find("/b"));
    }

    @Test
    void aclListsAreInternedAcrossZnodes() {
        List<Acl> acl = List.of(new Acl(Acl.READ | Acl.WRITE, "digest", ALICE));
        createWithAcl("/x", acl);
        createWithAcl("/y", List.of(new Acl(Acl.READ | Acl.WRITE, "digest", ALICE)));
        assertSame(h.state.find("/x").acl(), h.state.find("/y").acl());
        assertEquals(acl, h.state.find("/y").acl());
        h.created("/z");
        assertSame(Acl.OPEN, h.state.find("/z").acl());
        assertNotNull(h.acls);
    }
}
