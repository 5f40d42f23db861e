package dev.corral.zk.server;

import dev.corral.tree.CreateMode;
import dev.corral.tree.ErrorCode;
import dev.corral.txn.Acl;
import dev.corral.zk.wire.Id;
import dev.corral.zk.wire.Stat;
import java.util.ArrayList;
import java.util.List;

/** Between Corral's records and the wire's: Stats, ACLs and create flags. */
final class ZkConvert {
    private ZkConvert() {}

    /** Corral keeps pzxid with the other zxids; the wire sends it last. */
    static Stat stat(dev.corral.tree.Stat s) {
        return new Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(), s.cversion(), s.aversion(), s.ephemeralOwner(),
                s.dataLength(), s.numChildren(), s.pzxid());
    }

    /** A client's ACL; null (which ZooKeeper's client never sends) is refused as an invalid ACL. */
    static List<Acl> acl(List<dev.corral.zk.wire.Acl> wire) {
        if (wire == null) throw new ZkRefusal(ErrorCode.INVALID_ACL, "no ACL");
        List<Acl> out = new ArrayList<>(wire.size());
        for (dev.corral.zk.wire.Acl a : wire) {
            Id id = a.id();
            if (id == null || id.scheme() == null || id.id() == null) throw new ZkRefusal(ErrorCode.INVALID_ACL, "an ACL entry without scheme or id");
            out.add(new Acl(a.perms(), id.scheme(), id.id()));
        }
        return out;
    }

    static List<dev.corral.zk.wire.Acl> wireAcl(List<Acl> acl) {
        List<dev.corral.zk.wire.Acl> out = new ArrayList<>(acl.size());
        for (Acl a : acl) out.add(new dev.corral.zk.wire.Acl(a.perms(), new Id(a.scheme(), a.id())));
        return out;
    }

    /** ZooKeeper's {@code CreateMode} flag; an unknown one is refused as BAD_ARGUMENTS. */
    static CreateMode mode(int flags) {
        for (CreateMode m : CreateMode.values()) if (m.flag == flags) return m;
        throw new ZkRefusal(ErrorCode.BAD_ARGUMENTS, "unknown create flags " + flags);
    }

    /** A request refused before it reached the node, with ZooKeeper's code. */
    static final class ZkRefusal extends RuntimeException {
        final ErrorCode code;

        ZkRefusal(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
