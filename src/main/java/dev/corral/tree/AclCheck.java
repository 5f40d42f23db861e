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
            case "ip" -> ipMatches(callerId, aclId);
            default -> false;
        };
    }

    /**
     * Validates an ACL list for create or setACL and expands {@code auth} entries into the caller's
     * authenticated (non-ip) identities. Returns null if the list is invalid (INVALID_ACL): empty, an
     * unknown scheme, a malformed id, or an {@code auth} entry from a caller with no identity.
     */
    public static List<Acl> fixup(List<Acl> acl, List<AuthId> ids) {
        if (acl == null || acl.isEmpty()) return null;
        // Insertion-ordered and hashed: de-duplication stays linear in the client-sized list.
        Set<Acl> result = new LinkedHashSet<>(acl.size() * 2);
        for (Acl a : acl) {
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
                    if (!isValidIpExpression(a.id())) return null;
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

    static boolean isValidIpExpression(String expr) {
        int slash = expr.indexOf('/');
        String addr = slash < 0 ? expr : expr.substring(0, slash);
        byte[] bytes = parseIpv4(addr);
        if (bytes == null) return false;
        if (slash < 0) return true;
        try {
            int bits = Integer.parseInt(expr.substring(slash + 1));
            return bits >= 0 && bits <= 32;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean ipMatches(String callerIp, String aclExpr) {
        int slash = aclExpr.indexOf('/');
        byte[] want = parseIpv4(slash < 0 ? aclExpr : aclExpr.substring(0, slash));
        byte[] have = parseIpv4(callerIp);
        if (want == null || have == null) return callerIp.equals(aclExpr);
        int bits = 32;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(aclExpr.substring(slash + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        for (int i = 0; i < 4; i++) {
            int maskBits = Math.max(0, Math.min(8, bits - 8 * i));
            int mask = maskBits == 0 ? 0 : (0xff << (8 - maskBits)) & 0xff;
            if ((want[i] & mask) != (have[i] & mask)) return false;
        }
        return true;
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3) return null;
            int v;
            try {
                v = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (v < 0 || v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }
}
