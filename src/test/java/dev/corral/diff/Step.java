package dev.corral.diff;

import dev.corral.tree.CreateMode;
import dev.corral.txn.Acl;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a differential sequence, with every argument concrete (versions already resolved), so that both
 * servers get exactly the same request. {@code actor} is the index of the session (and identity) that sends it.
 */
sealed interface Step {
    /** An ACL entry as both APIs take it: scheme, id and ZooKeeper's permission bits. */
    record Ace(String scheme, String id, int perms) {
        @Override
        public String toString() {
            return scheme + ":" + id + " " + (perms == 0 ? "none" : Acl.permsToString(perms));
        }
    }

    /** Who a session authenticates as: nobody, or a digest user (HTTP Basic for Corral, addAuthInfo for ZooKeeper). */
    enum Auth {
        NONE(null), ALICE("alice:wonderland"), BOB("bob:builder");

        final String credentials;

        Auth(String credentials) {
            this.credentials = credentials;
        }
    }

    record Create(int actor, String path, byte[] data, List<Ace> acl, CreateMode mode, long ttlMs) implements Step {}

    record Delete(int actor, String path, int version) implements Step {}

    record SetData(int actor, String path, byte[] data, int version) implements Step {}

    /** Only inside a {@link Multi}, as ZooKeeper has it. */
    record Check(int actor, String path, int version) implements Step {}

    record GetData(int actor, String path) implements Step {}

    record Exists(int actor, String path) implements Step {}

    record Children(int actor, String path) implements Step {}

    record GetAcl(int actor, String path) implements Step {}

    record SetAcl(int actor, String path, List<Ace> acl, int aversion) implements Step {}

    record Multi(int actor, List<Step> ops) implements Step {}

    /** Opens a session: it becomes actor number {@code actor}, authenticated as {@code auth}. */
    record OpenSession(int actor, Auth auth) implements Step {}

    /** Closes a session; its ephemeral znodes go with it. */
    record CloseSession(int actor) implements Step {}

    int actor();

    /** The step as a person reads it in a failure report. */
    static String describe(Step step) {
        return switch (step) {
            case Create c -> "create " + c.path() + " " + c.mode().restName() + (c.mode().isTtl() ? " ttl=" + c.ttlMs() : "")
                    + " data=" + data(c.data()) + (c.acl() == null ? "" : " acl=" + c.acl()) + by(c);
            case Delete d -> "delete " + d.path() + " version=" + d.version() + by(d);
            case SetData d -> "setData " + d.path() + " data=" + data(d.data()) + " version=" + d.version() + by(d);
            case Check c -> "check " + c.path() + " version=" + c.version();
            case GetData g -> "getData " + g.path() + by(g);
            case Exists e -> "exists " + e.path() + by(e);
            case Children c -> "getChildren " + c.path() + by(c);
            case GetAcl g -> "getACL " + g.path() + by(g);
            case SetAcl s -> "setACL " + s.path() + " acl=" + s.acl() + " aversion=" + s.aversion() + by(s);
            case Multi m -> "multi [" + m.ops().stream().map(Step::describe).collect(Collectors.joining("; ")) + "]" + by(m);
            case OpenSession o -> "open session " + o.actor() + " as " + o.auth();
            case CloseSession c -> "close session " + c.actor();
        };
    }

    private static String by(Step s) {
        return " (session " + s.actor() + ")";
    }

    private static String data(byte[] b) {
        boolean printable = true;
        for (byte x : b) printable &= x >= 0x20 && x < 0x7f;
        return printable ? "\"" + new String(b, StandardCharsets.US_ASCII) + "\"" : "0x" + HexFormat.of().formatHex(b);
    }
}
