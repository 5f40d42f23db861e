package dev.corral.tree;

/**
 * An identity a caller has proven, in ZooKeeper's {@code scheme:id} form: {@code digest:user:hash},
 * {@code ip:127.0.0.1}, or {@code super:} for the configured super user who bypasses every ACL.
 */
public record AuthId(String scheme, String id) {
    public static final AuthId SUPER = new AuthId("super", "");
}
