package dev.corral.txn;

import java.util.List;
import java.util.Objects;

/**
 * One access-control entry: a permission mask granted to an identity ({@code scheme:id}), with ZooKeeper's
 * permission bits. ACL lists are values: two lists with the same entries in the same order are equal.
 */
public record Acl(int perms, String scheme, String id) {
    public static final int READ = 1;
    public static final int WRITE = 1 << 1;
    public static final int CREATE = 1 << 2;
    public static final int DELETE = 1 << 3;
    public static final int ADMIN = 1 << 4;
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    /** ZooKeeper's {@code OPEN_ACL_UNSAFE}: everyone may do everything. */
    public static final List<Acl> OPEN = List.of(new Acl(ALL, "world", "anyone"));
    /** ZooKeeper's {@code READ_ACL_UNSAFE}, used for the built-in {@code /zookeeper/config} node. */
    public static final List<Acl> READ_ONLY = List.of(new Acl(READ, "world", "anyone"));

    public Acl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(id, "id");
    }

    /** Renders a permission mask as ZooKeeper's CLI does, in the order {@code cdrwa}. */
    public static String permsToString(int perms) {
        StringBuilder sb = new StringBuilder(5);
        if ((perms & CREATE) != 0) sb.append('c');
        if ((perms & DELETE) != 0) sb.append('d');
        if ((perms & READ) != 0) sb.append('r');
        if ((perms & WRITE) != 0) sb.append('w');
        if ((perms & ADMIN) != 0) sb.append('a');
        return sb.toString();
    }

    /** Parses {@code cdrwa} letters in any order; returns -1 for any other character. */
    public static int permsFromString(String letters) {
        int perms = 0;
        for (int i = 0; i < letters.length(); i++) {
            switch (letters.charAt(i)) {
                case 'c' -> perms |= CREATE;
                case 'd' -> perms |= DELETE;
                case 'r' -> perms |= READ;
                case 'w' -> perms |= WRITE;
                case 'a' -> perms |= ADMIN;
                default -> {
                    return -1;
                }
            }
        }
        return perms;
    }
}
