package dev.corral.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to create a znode: its mode, its ACL (null: the server's default, anyone may do anything) and, for the TTL
 * modes, its time to live.
 *
 * <pre>{@code
 * CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withAcl(Acl.CREATOR_ALL_ACL)
 * CreateOptions.ttl(Duration.ofMinutes(5))
 * }</pre>
 *
 * @param mode the mode
 * @param acl the ACL, or null for the server's default
 * @param ttl the time to live, required by (and only allowed with) the TTL modes; null otherwise
 */
public record CreateOptions(CreateMode mode, List<Acl> acl, Duration ttl) {
    /** A persistent znode with the default ACL. */
    public static final CreateOptions PERSISTENT = new CreateOptions(CreateMode.PERSISTENT, null, null);

    /** Checks that a TTL is given exactly with the TTL modes, and is positive. */
    public CreateOptions {
        Objects.requireNonNull(mode, "mode");
        acl = acl == null ? null : List.copyOf(acl);
        if (mode.isTtl() && (ttl == null || ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException(mode + " needs a positive ttl");
        }
        if (!mode.isTtl() && ttl != null) throw new IllegalArgumentException("a ttl needs a TTL mode, not " + mode);
    }

    /** {@code mode} with the default ACL (not for the TTL modes: use {@link #ttl}). */
    public static CreateOptions of(CreateMode mode) {
        return new CreateOptions(mode, null, null);
    }

    /** A {@link CreateMode#PERSISTENT_TTL} znode living {@code ttl} without changes or children. */
    public static CreateOptions ttl(Duration ttl) {
        return new CreateOptions(CreateMode.PERSISTENT_TTL, null, ttl);
    }

    /** These options with {@code acl}. */
    public CreateOptions withAcl(List<Acl> acl) {
        return new CreateOptions(mode, acl, ttl);
    }

    /** These options with {@code mode} (and the TTL, which a TTL mode needs). */
    public CreateOptions withMode(CreateMode mode) {
        return new CreateOptions(mode, acl, mode.isTtl() ? ttl : null);
    }
}
