package dev.corral.tree;

import java.util.List;

/**
 * Who asks: the session the request runs in (0 for none) and the identities it has proven. ACL checks and
 * the {@code auth} ACL scheme use the identities; ephemeral creates use the session.
 */
public record Caller(long sessionId, List<AuthId> ids) {
    public static final Caller ANONYMOUS = new Caller(0, List.of());
    /** The node itself (session expiry, TTL and container reaping): bypasses ACLs. */
    public static final Caller SYSTEM = new Caller(0, List.of(AuthId.SUPER));

    public Caller {
        ids = List.copyOf(ids);
    }

    public Caller withSession(long id) {
        return new Caller(id, ids);
    }
}
