package dev.corral.tree;

import dev.corral.txn.Acl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ZooKeeper's ACL rules: the {@code world}, {@code auth}, {@code digest} and {@code ip} schemes, permission
 * checks ({@code ZooKeeperServer.checkACL}) and the expansion of {@code auth} entries
 * ({@code PrepRequestProcessor.fixupACL}).
 */
public final class AclCheck {
    private AclCheck() {}

    /** True if {@code caller} holds {@code perm} on a znode with {@code acl}. */
    public static boolean permits(List<Acl> acl, int perm, List<AuthId> ids) {
        if (acl == null || acl.isEmpty()) return true;
        for (AuthId id : ids) {
            if (id.scheme().equals("super")) return true;
        }
        for (Acl a : acl) {
            if ((a.perms() & perm) == 0) continue;
            if (a.scheme().equals("world") && a.id().equals("anyone")) return true;
            for (AuthId id : ids) {
                if (id.scheme().equals(a.scheme()) && matches(a.scheme(), id.id(), a.id())) return true;
            }
        }
        return false;
    }

    private static boolean matches(String scheme, String callerId, String aclId) {
        return switch (scheme) {
            case "digest" -> callerId.equals(aclId);
            case "ip" -> IpAcl.matches(callerId, aclId);
            default -> false;
        };
    }

    /**
     * Validates an ACL list for create or setACL and expands {@code auth} entries into the caller's
     * authenticated (non-ip) identities. Returns null if the list is invalid (INVALID_ACL): empty, an
     * unknown scheme, a malformed id, or an {@code auth} entry from a caller with no identity.
     *
     * <p>As ZooKeeper's {@code fixupACL}: duplicate entries are removed from the list as given, before the
     * expansion, so an {@code auth} entry and an explicit entry for the same identity both stay.
     */
    public static List<Acl> fixup(List<Acl> acl, List<AuthId> ids) {
        if (acl == null || acl.isEmpty()) return null;
        // Linear in the list's length: the list is the client's to size.
        Set<Acl> distinct = new LinkedHashSet<>(acl);
        List<Acl> result = new ArrayList<>(distinct.size());
        for (Acl a : distinct) {
            if (a == null || a.perms() < 0 || a.perms() > Acl.ALL) return null;
            switch (a.scheme()) {
                case "world" -> {
                    if (!a.id().equals("anyone")) return null;
                    result.add(a);
                }
                case "auth" -> {
                    boolean any = false;
                    for (AuthId id : ids) {
                        if (id.scheme().equals("digest")) {
                            result.add(new Acl(a.perms(), id.scheme(), id.id()));
                            any = true;
                        }
                    }
                    if (!any) return null;
                }
                case "digest" -> {
                    if (a.id().split(":").length != 2) return null;
                    result.add(a);
                }
                case "ip" -> {
                    if (!IpAcl.isValid(a.id())) return null;
                    result.add(a);
                }
                default -> {
                    return null;
                }
            }
        }
        return List.copyOf(result);
    }

    /**
     * The id ZooKeeper's digest scheme stores for {@code user:password}: {@code user:base64(sha1(user:password))}.
     */
    public static String digestId(String user, String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] hash = sha1.digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the digest ACL scheme", e);
        }
    }

    /** The ACL with digest hashes hidden, as ZooKeeper shows it to a reader without ADMIN permission. */
    public static List<Acl> redacted(List<Acl> acl) {
        List<Acl> out = new ArrayList<>(acl.size());
        for (Acl a : acl) {
            if (a.scheme().equals("digest")) {
                int colon = a.id().indexOf(':');
                String user = colon < 0 ? a.id() : a.id().substring(0, colon);
                out.add(new Acl(a.perms(), a.scheme(), user + ":x"));
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
