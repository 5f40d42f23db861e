package dev.corral.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a znode's ACL, as in ZooKeeper: who ({@code scheme} and {@code id}) may do what ({@code perms}, a sum
 * of {@link #READ}, {@link #WRITE}, {@link #CREATE}, {@link #DELETE} and {@link #ADMIN}).
 *
 * <p>Schemes: {@code world} (id {@code anyone}), {@code auth} (whoever creates the znode: the HTTP Basic credentials
 * given to {@link CorralClientBuilder#credentials}), {@code digest} ({@code user:base64(sha1(user:password))}, see
 * {@link #digest}) and {@code ip} (an address, optionally with {@code /bits}).
 *
 * @param perms the permission bits, 0 to {@link #ALL}
 * @param scheme the scheme
 * @param id the identity within the scheme
 */
public record Acl(int perms, String scheme, String id) {
    /** May read the data and list the children. */
    public static final int READ = 1;
    /** May set the data. */
    public static final int WRITE = 2;
    /** May create children. */
    public static final int CREATE = 4;
    /** May delete children. */
    public static final int DELETE = 8;
    /** May set the ACL. */
    public static final int ADMIN = 16;
    /** Every permission. */
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    /** Anyone may do anything: the default for a znode created without an ACL. */
    public static final List<Acl> OPEN_ACL_UNSAFE = List.of(new Acl(ALL, "world", "anyone"));
    /** Only the creator's identity (its HTTP Basic credentials) may do anything. */
    public static final List<Acl> CREATOR_ALL_ACL = List.of(new Acl(ALL, "auth", ""));
    /** Anyone may read. */
    public static final List<Acl> READ_ACL_UNSAFE = List.of(new Acl(READ, "world", "anyone"));

    /** Checks the fields; {@code perms} must be within 0 and {@link #ALL}. */
    public Acl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(id, "id");
        if (perms < 0 || perms > ALL) throw new IllegalArgumentException("perms must be 0.." + ALL + ", was " + perms);
    }

    /** {@code perms} for everyone. */
    public static Acl world(int perms) {
        return new Acl(perms, "world", "anyone");
    }

    /**
     * {@code perms} for the digest identity of {@code user} with {@code password}, which a client with those HTTP
     * Basic credentials (or a ZooKeeper client with that digest auth) has.
     */
    public static Acl digest(String user, String password, int perms) {
        return new Acl(perms, "digest", digestId(user, password));
    }

    /** {@code perms} for a client address, or a network given as {@code address/bits}. */
    public static Acl ip(String addressOrNetwork, int perms) {
        return new Acl(perms, "ip", addressOrNetwork);
    }

    /** ZooKeeper's digest identity: {@code user:base64(sha1(user:password))}. */
    public static String digestId(String user, String password) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
