package dev.corral.tree;

import dev.corral.txn.Acl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The digest of a replicated state: a 64-bit value that every node computes identically from the same state, so
 * that nodes can compare their trees by comparing one number ({@link TreeState#digest()}).
 *
 * <p><b>What it covers.</b> The sum, modulo 2<sup>64</sup>, of one hash per znode and one per session:
 * <ul>
 *   <li>a znode: its path, data, ACL (entries in order) and the Stat fields as stored: czxid, mzxid, pzxid, ctime,
 *       mtime, version, the stored count of child creations (from which the Stat's cversion follows), aversion,
 *       the raw ephemeralOwner (container and TTL markers included), numChildren and, through the data, its
 *       length;</li>
 *   <li>a session: its id and negotiated timeout. Not its secret: a digest is logged and carried in the log, and it
 *       should reveal nothing about a credential. Not its ephemerals, nor the container and TTL indexes, nor the
 *       znode and byte counters: all of those follow from the znodes.</li>
 * </ul>
 * The last zxid is not covered: digests are only ever compared at the same zxid.
 *
 * <p><b>Why a sum.</b> {@link Apply} keeps the digest up to date at the cost of the znodes a transaction changes:
 * it subtracts the hash of a znode as it was and adds the hash of the znode as it is. No tree walk, and no field per
 * znode (a znode's hash is recomputed from the znode when it changes). A znode's hash is itself a sum of two parts,
 * one over its path, data and ACL ({@code content}) and one over its path and Stat fields ({@code stat}), so that
 * the parent of a created or deleted znode, whose Stat alone changes, costs a hash of its path and a few longs,
 * however much data it holds.
 *
 * <p><b>Strength.</b> Not a cryptographic hash: it detects divergence (a bug, a corrupt record or snapshot that
 * passed its checksum, nodes that apply differently), not tampering. Each part absorbs its input word by word with
 * a round that is a bijection of the state for every input word (an xxHash64-style round), then ends with a
 * bijective finalizer (SplitMix64's). So two znodes at one path whose data, ACL or Stat differ in one 8-byte word,
 * one field, or one byte, always hash differently, and so do two states that differ in exactly one znode; beyond
 * that, two different states collide with a chance of about 2<sup>-64</sup>. Only values that every JVM computes
 * alike go in: chars of strings, bytes, longs. Never an object's identity hash.
 *
 * <p>Pure and stateless.
 */
public final class Digest {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    /** Seeds that keep the parts apart: a path's hash, a znode's content and Stat, and a session never share one. */
    private static final long SEED_PATH = 0x27D4EB2F165667C5L;
    private static final long SEED_CONTENT = 0x165667B19E3779F9L;
    private static final long SEED_STAT = 0x85EBCA77C2B2AE63L;
    private static final long SEED_SESSION = 0x61C8864E7A143579L;

    private Digest() {}

    /** The digest of {@code state} computed from scratch: a walk of every znode and session. For loading and tests. */
    public static long of(TreeState state) {
        long sum = 0;
        ArrayDeque<String> paths = new ArrayDeque<>();
        ArrayDeque<Znode> nodes = new ArrayDeque<>();
        paths.push("/");
        nodes.push(state.root);
        while (!nodes.isEmpty()) {
            String path = paths.pop();
            Znode n = nodes.pop();
            sum += znode(path, n);
            n.children().forEach((name, child) -> {
                paths.push(Paths.child(path, name));
                nodes.push(child);
            });
        }
        for (SessionEntry s : state.sessions.values()) sum += session(s);
        return sum;
    }

    /** The hash one znode at {@code path} adds to the digest. */
    public static long znode(String path, Znode n) {
        long p = path(path);
        return content(p, n.data(), n.acl()) + stat(p, n);
    }

    /** How the digest moves when the znode at {@code path} changes only its Stat from {@code before} to {@code after}. */
    static long statChange(String path, Znode before, Znode after) {
        long p = path(path);
        return stat(p, after) - stat(p, before);
    }

    /** The hash one session adds to the digest. */
    static long session(SessionEntry s) {
        long h = SEED_SESSION;
        h = round(h, s.id());
        h = round(h, s.timeoutMs());
        return finish(h);
    }

    static long path(String path) {
        return finish(chars(round(SEED_PATH, path.length()), path));
    }

    private static long content(long pathHash, byte[] data, List<Acl> acl) {
        long h = round(SEED_CONTENT, pathHash);
        h = round(h, data.length);
        int i = 0;
        if (data.length >= 8) {
            ByteBuffer words = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            if (data.length >= 32) {
                // Four independent lanes, as xxHash64 has, so that the rounds overlap in the processor; each lane is
                // still a chain of bijections, and so is merging them, so a one-word difference still shows.
                long v1 = h + P1, v2 = h + P2, v3 = h, v4 = h - P1;
                for (; i + 32 <= data.length; i += 32) {
                    v1 = round(v1, words.getLong(i));
                    v2 = round(v2, words.getLong(i + 8));
                    v3 = round(v3, words.getLong(i + 16));
                    v4 = round(v4, words.getLong(i + 24));
                }
                h = round(round(round(round(h, v1), v2), v3), v4);
            }
            for (; i + 8 <= data.length; i += 8) h = round(h, words.getLong(i));
        }
        if (i < data.length) {
            long tail = 0;
            for (int k = 0; i < data.length; i++, k += 8) tail |= (data[i] & 0xFFL) << k;
            h = round(h, tail);
        }
        h = round(h, acl.size());
        for (Acl a : acl) {
            h = round(h, a.perms());
            h = chars(round(h, a.scheme().length()), a.scheme());
            h = chars(round(h, a.id().length()), a.id());
        }
        return finish(h);
    }

    private static long stat(long pathHash, Znode n) {
        long h = round(SEED_STAT, pathHash);
        h = round(h, n.czxid());
        h = round(h, n.mzxid());
        h = round(h, n.pzxid());
        h = round(h, n.ctime());
        h = round(h, n.mtime());
        h = round(h, n.ephemeralOwner());
        h = round(h, ((long) n.version() << 32) | (n.childCreations() & 0xFFFFFFFFL));
        h = round(h, ((long) n.aversion() << 32) | (n.numChildren() & 0xFFFFFFFFL));
        return finish(h);
    }

    /** Absorbs the chars of {@code s}, four to a word (the caller absorbs the length first). */
    private static long chars(long h, String s) {
        int i = 0;
        int n = s.length();
        for (; i + 4 <= n; i += 4) {
            h = round(h, s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48);
        }
        if (i < n) {
            long tail = 0;
            for (int k = 0; i < n; i++, k += 16) tail |= (long) s.charAt(i) << k;
            h = round(h, tail);
        }
        return h;
    }

    /** xxHash64's round: for a fixed state, a bijection of the word (odd multipliers, a rotation). */
    private static long round(long h, long word) {
        return Long.rotateLeft(h + word * P2, 31) * P1;
    }

    /** SplitMix64's finalizer, a bijection that spreads every input bit over the whole word. */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
