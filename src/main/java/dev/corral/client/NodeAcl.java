package dev.corral.client;

import java.util.List;

/**
 * A znode's ACL and Stat ({@code aversion} counts the ACL's changes). Without ADMIN permission, digest entries come
 * back with their hash hidden, as ZooKeeper does.
 *
 * @param path the znode's path
 * @param acl its ACL
 * @param stat its Stat
 */
public record NodeAcl(String path, List<Acl> acl, Stat stat) {
    /** Copies the ACL. */
    public NodeAcl {
        acl = List.copyOf(acl);
    }
}
