package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.txn.Acl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclCheckTest {

    @Test
    void digestIdMatchesZooKeepersPublishedSuperDigest() {
        // The value ZooKeeper's own build and docs use for -Dzookeeper.DigestAuthenticationProvider.superDigest.
        assertEquals("super:D/InIHSb7yEEbrWz8b9l71RjZJU=", AclCheck.digestId("super", "test"));
    }

    @Test
    void digestIdIsUserColonBase64OfSha1OfUserColonPassword() throws Exception {
        String user = "ünïcode-user";
        String password = "p:ss wörd";
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        assertEquals(user + ":" + Base64.getEncoder().encodeToString(sha1), AclCheck.digestId(user, password));
        assertEquals(AclCheck.digestId("bob", "a"), AclCheck.digestId("bob", "a"));
        assertFalse(AclCheck.digestId("bob", "a").equals(AclCheck.digestId("bob", "b")));
    }

    @Test
    void redactedHidesDigestHashesOnly() {
        List<Acl> acl = List.of(
                new Acl(Acl.ALL, "digest", AclCheck.digestId("alice", "secret")),
                new Acl(Acl.READ, "world", "anyone"),
                new Acl(Acl.WRITE, "ip", "10.0.0.0/8"));
        assertEquals(List.of(
                new Acl(Acl.ALL, "digest", "alice:x"),
                new Acl(Acl.READ, "world", "anyone"),
                new Acl(Acl.WRITE, "ip", "10.0.0.0/8")), AclCheck.redacted(acl));
        assertEquals(List.of(), AclCheck.redacted(List.of()));
    }

    @Test
    void ipMatchingHonoursMasksOfEveryWidth() {
        assertTrue(IpAcl.matches("10.200.3.4", "10.0.0.0/8"));
        assertFalse(IpAcl.matches("11.0.0.0", "10.0.0.0/8"));
        assertTrue(IpAcl.matches("10.1.255.255", "10.1.0.0/16"));
        assertFalse(IpAcl.matches("10.2.0.0", "10.1.0.0/16"));
        assertTrue(IpAcl.matches("192.168.5.77", "192.168.5.0/24"));
        assertFalse(IpAcl.matches("192.168.6.77", "192.168.5.0/24"));
        assertTrue(IpAcl.matches("192.168.5.7", "192.168.5.7/32"));
        assertFalse(IpAcl.matches("192.168.5.8", "192.168.5.7/32"));
        assertTrue(IpAcl.matches("192.168.5.7", "192.168.5.7"));
        assertFalse(IpAcl.matches("192.168.5.70", "192.168.5.7"));
        assertTrue(IpAcl.matches("172.31.255.255", "172.16.0.0/12"));
        assertFalse(IpAcl.matches("172.32.0.0", "172.16.0.0/12"));
        assertTrue(IpAcl.matches("1.2.3.4", "0.0.0.0/0"));
        assertTrue(IpAcl.matches("10.9.9.9", "10.1.2.3/8"), "host bits in the ACL are masked too");
        assertFalse(IpAcl.matches("10.1.2.3", "10.1.2.3/x"));
    }

    @Test
    void ipv6ExpressionsMatchAsZooKeeperMatchesThem() {
        assertTrue(IpAcl.matches("0:0:0:0:0:0:0:1", "::1"));
        assertTrue(IpAcl.matches("0:0:0:0:0:0:0:1", "::/0"));
        assertTrue(IpAcl.matches("fe80:0:0:0:1:2:3:4", "fe80::/10"));
        assertTrue(IpAcl.matches("febf:0:0:0:0:0:0:1", "fe80::/10"));
        assertFalse(IpAcl.matches("fec0:0:0:0:0:0:0:1", "fe80::/10"));
        assertTrue(IpAcl.matches("2001:db8:0:0:0:0:0:7", "2001:db8::7/128"));
        assertFalse(IpAcl.matches("2001:db8:0:0:0:0:0:8", "2001:db8::7/128"));
        assertFalse(IpAcl.matches("127.0.0.1", "::ffff:7f00:1"), "an IPv4 client never matches an IPv6 id");
        assertFalse(IpAcl.matches("0:0:0:0:0:0:0:1", "0.0.0.0/0"), "nor an IPv6 client an IPv4 id");
        assertFalse(IpAcl.matches("0:0:0:0:0:0:0:1%lo", "::1"), "a scoped address does not parse, as in ZooKeeper");
    }

    @Test
    void ipExpressionsAreValidatedLikeZooKeeper() {
        for (String ok : List.of("10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "010.0.0.1", "::1", "::", "1::",
                "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128", "1::8/0", "ffff::/16")) {
            assertTrue(IpAcl.isValid(ok), ok);
        }
        for (String bad : List.of("10.0.0", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/a", "host", "", "1.2.3.4.5",
                "10.0.0.1/", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "1:2:3:4::5:6:7:8", "12345::", "g::", "::1/129",
                "::ffff:1.2.3.4")) {
            assertFalse(IpAcl.isValid(bad), bad);
        }
    }

    @Test
    void permitsChecksTheRequestedBitAgainstMatchingIdentities() {
        String alice = AclCheck.digestId("alice", "pw");
        List<Acl> acl = List.of(new Acl(Acl.READ | Acl.WRITE, "digest", alice), new Acl(Acl.CREATE, "ip", "10.0.0.0/8"));
        List<AuthId> aliceIds = List.of(new AuthId("digest", alice));
        assertTrue(AclCheck.permits(acl, Acl.READ, aliceIds));
        assertTrue(AclCheck.permits(acl, Acl.WRITE, aliceIds));
        assertFalse(AclCheck.permits(acl, Acl.CREATE, aliceIds));
        assertFalse(AclCheck.permits(acl, Acl.DELETE, aliceIds));
        assertFalse(AclCheck.permits(acl, Acl.READ, List.of(new AuthId("digest", AclCheck.digestId("alice", "wrong")))));
        assertTrue(AclCheck.permits(acl, Acl.CREATE, List.of(new AuthId("ip", "10.3.3.3"))));
        assertFalse(AclCheck.permits(acl, Acl.CREATE, List.of(new AuthId("ip", "11.3.3.3"))));
        assertFalse(AclCheck.permits(acl, Acl.CREATE, List.of(new AuthId("digest", "10.3.3.3"))), "schemes must match");
        assertFalse(AclCheck.permits(acl, Acl.READ, List.of()));
        assertTrue(AclCheck.permits(acl, Acl.ADMIN, List.of(AuthId.SUPER)), "super bypasses every ACL");
        assertTrue(AclCheck.permits(List.of(), Acl.ADMIN, List.of()), "an empty ACL permits everything, as in ZooKeeper");
        assertTrue(AclCheck.permits(Acl.READ_ONLY, Acl.READ, List.of()));
        assertFalse(AclCheck.permits(Acl.READ_ONLY, Acl.WRITE, List.of()));
    }

    @Test
    void fixupExpandsAuthIntoTheCallersDigestIdentities() {
        String alice = AclCheck.digestId("alice", "pw");
        List<AuthId> ids = List.of(new AuthId("ip", "10.0.0.1"), new AuthId("digest", alice));
        assertEquals(List.of(new Acl(Acl.ALL, "digest", alice)), AclCheck.fixup(List.of(new Acl(Acl.ALL, "auth", "")), ids));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "auth", "")), List.of(new AuthId("ip", "10.0.0.1"))));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "auth", "")), List.of()));
    }

    @Test
    void fixupRefusesEmptyUnknownAndMalformedAcls() {
        assertNull(AclCheck.fixup(List.of(), List.of()));
        assertNull(AclCheck.fixup(null, List.of()));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "kerberos", "x")), List.of()));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "world", "someone")), List.of()));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "ip", "10.0.0.0/40")), List.of()));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "digest", "no-colon")), List.of()));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "digest", "a:b:c")), List.of()));
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.ALL, "digest", "alice:")), List.of()),
                "ZooKeeper's digest provider splits on ':' dropping trailing empty parts, so 'alice:' has one part");
        assertNull(AclCheck.fixup(List.of(Acl.OPEN.getFirst(), new Acl(Acl.ALL, "bogus", "x")), List.of()));
    }

    /** Found by the differential test against ZooKeeper 3.9.5, whose fixupACL removes duplicates before expanding auth. */
    @Test
    void fixupRemovesDuplicatesAsGivenButKeepsThoseThatAuthExpandsInto() {
        String alice = AclCheck.digestId("alice", "pw");
        List<AuthId> ids = List.of(new AuthId("ip", "127.0.0.1"), new AuthId("digest", alice));
        assertEquals(List.of(new Acl(Acl.ALL, "digest", alice), new Acl(Acl.ALL, "digest", alice)),
                AclCheck.fixup(List.of(new Acl(Acl.ALL, "auth", ""), new Acl(Acl.ALL, "digest", alice)), ids));
        assertEquals(List.of(new Acl(Acl.ALL, "digest", alice)),
                AclCheck.fixup(List.of(new Acl(Acl.ALL, "auth", ""), new Acl(Acl.ALL, "auth", "")), ids));
    }

    @Test
    void fixupAcceptsIpv6IdsAsZooKeeperDoes() {
        for (String id : List.of("::1", "0:0:0:0:0:0:0:1/128", "::ffff:7f00:1", "fe80::/10", "::/0", "0127.0.0.1")) {
            assertEquals(List.of(new Acl(Acl.READ, "ip", id)), AclCheck.fixup(List.of(new Acl(Acl.READ, "ip", id)), List.of()), id);
        }
        assertNull(AclCheck.fixup(List.of(new Acl(Acl.READ, "ip", "1::2::3")), List.of()));
    }

    @Test
    void fixupKeepsValidEntriesInOrderWithoutDuplicates() {
        List<Acl> acl = List.of(
                new Acl(Acl.READ, "world", "anyone"),
                new Acl(Acl.ALL, "digest", "bob:hash="),
                new Acl(Acl.READ, "world", "anyone"),
                new Acl(Acl.CREATE, "ip", "10.0.0.0/8"));
        assertEquals(List.of(acl.get(0), acl.get(1), acl.get(3)), AclCheck.fixup(acl, List.of()));
    }
}
