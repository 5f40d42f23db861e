package dev.corral.diff;

import dev.corral.tree.CreateMode;
import dev.corral.tree.Stat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a sequence's steps from its seed. It is told what happened (paths created, sessions opened and closed)
 * and asks ZooKeeper, the reference, for current versions when a step should carry the right one, so that the
 * same seed gives the same steps on every run while exercising the interesting cases often: right, stale and
 * any (-1) versions, every create mode, sequential names after deletes, ephemeral parents, containers that
 * empty, TTL znodes, ACLs that refuse, multis that fail half-way.
 */
final class Generator {
    /** A TTL this short expires within the sequence; the runner then waits for both servers to remove the znode. */
    static final long SHORT_TTL_MAX_MS = 30;
    private static final long LONG_TTL_MS = 3_600_000;
    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final String[] SEQUENTIAL_NAMES = {"q-", "", "a"};
    private static final int ACTORS_MAX = 4;
    /** ip ACL ids, valid and not, IPv4 and IPv6; the clients of both servers connect from 127.0.0.1. */
    private static final String[] IP_IDS = {"127.0.0.1", "127.0.0.0/8", "10.1.2.3", "127.0.0.1/33", "0127.0.0.1", "127.0.0.1/",
        "::1", "0:0:0:0:0:0:0:1/128", "::ffff:7f00:1", "::/0", "1::2::3", "fe80::1/129", "127.0.0.1.5", "localhost"};
    private static final String[] BUILT_IN = {"/zookeeper", "/zookeeper/config", "/zookeeper/quota"};

    /** What a step does to the path it is given, which decides the built-in znodes it may name. */
    private enum Use { READ, DELETE, CHANGE }

    /** How a step's version is chosen. */
    private enum VersionKind { RIGHT, STALE, ANY }

    private final SplittableRandom random;
    private final String root;
    private final ZooKeeperSide oracle;
    private final List<String> known = new ArrayList<>();
    /** The known paths last created as containers, whose emptying the runner then waits out. */
    private final List<String> containers = new ArrayList<>();
    private int actorsOpened;
    /** A getACL to send next, perhaps, after a step that gave an ACL. */
    private Step.GetAcl aclJustSet;
    private final List<Integer> open = new ArrayList<>();

    Generator(long seed, String root, ZooKeeperSide oracle) {
        this.random = new SplittableRandom(seed);
        this.root = root;
        this.oracle = oracle;
        known.add(root);
    }

    /** The sessions a sequence starts with: one to three, with random identities. */
    List<Step> opening() {
        List<Step> steps = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) steps.add(openSession());
        return steps;
    }

    int steps() {
        return 12 + random.nextInt(25);
    }

    /** Tells the generator that ZooKeeper created {@code path}; it then names it in later steps. */
    void created(String path, CreateMode mode) {
        if (!known.contains(path)) known.add(path);
        if (mode == CreateMode.CONTAINER) {
            if (!containers.contains(path)) containers.add(path);
        } else {
            containers.remove(path);
        }
    }

    /** The paths created so far, the sequence's root first. */
    List<String> knownPaths() {
        return List.copyOf(known);
    }

    int actorsOpened() {
        return actorsOpened;
    }

    Step next() {
        if (aclJustSet != null) {
            // Read back an ACL just given, as the session that gave it (often the only one allowed to).
            Step read = random.nextBoolean() && open.contains(aclJustSet.actor()) ? aclJustSet : null;
            aclJustSet = null;
            if (read != null) return read;
        }
        int actor = open.get(random.nextInt(open.size()));
        int dice = random.nextInt(100);
        if (dice < 30) return create(actor);
        if (dice < 42) {
            String path = random.nextInt(3) == 0 ? containerChild() : anyPath(Use.DELETE);
            return new Step.Delete(actor, path, version(path, false));
        }
        if (dice < 54) {
            String path = anyPath(Use.CHANGE);
            return new Step.SetData(actor, path, data(), version(path, false));
        }
        if (dice < 61) return new Step.GetData(actor, anyPath(Use.READ));
        if (dice < 66) return new Step.Exists(actor, anyPath(Use.READ));
        if (dice < 72) return new Step.Children(actor, anyPath(Use.READ));
        if (dice < 78) return new Step.GetAcl(actor, anyPath(Use.READ));
        if (dice < 84) {
            String path = anyPath(Use.CHANGE);
            aclJustSet = new Step.GetAcl(actor, path);
            return new Step.SetAcl(actor, path, acl(), version(path, true));
        }
        if (dice < 94) return multi(actor);
        if (dice < 97 && open.size() < ACTORS_MAX) return openSession();
        if (open.size() > 1) {
            open.remove(Integer.valueOf(actor));
            return new Step.CloseSession(actor);
        }
        return new Step.Exists(actor, anyPath(Use.READ));
    }

    private Step openSession() {
        Step.Auth auth = Step.Auth.values()[random.nextInt(Step.Auth.values().length)];
        int actor = actorsOpened++;
        open.add(actor);
        return new Step.OpenSession(actor, auth);
    }

    private Step.Create create(int actor) {
        CreateMode mode = mode();
        String parent = random.nextInt(5) == 0 ? known.get(random.nextInt(known.size())) : existingPath();
        String name = mode.sequential ? SEQUENTIAL_NAMES[random.nextInt(SEQUENTIAL_NAMES.length)] : NAMES[random.nextInt(NAMES.length)];
        long ttl = !mode.isTtl() ? -1 : random.nextInt(8) == 0 ? 1 + random.nextLong(SHORT_TTL_MAX_MS) : LONG_TTL_MS;
        List<Step.Ace> acl = random.nextInt(3) == 0 ? acl() : null;
        if (acl != null && !mode.sequential) aclJustSet = new Step.GetAcl(actor, parent + "/" + name);
        return new Step.Create(actor, parent + "/" + name, data(), acl, mode, ttl);
    }

    private CreateMode mode() {
        int dice = random.nextInt(100);
        if (dice < 35) return CreateMode.PERSISTENT;
        if (dice < 48) return CreateMode.EPHEMERAL;
        if (dice < 60) return CreateMode.PERSISTENT_SEQUENTIAL;
        if (dice < 68) return CreateMode.EPHEMERAL_SEQUENTIAL;
        if (dice < 82) return CreateMode.CONTAINER;
        if (dice < 91) return CreateMode.PERSISTENT_TTL;
        return CreateMode.PERSISTENT_SEQUENTIAL_TTL;
    }

    /**
     * Mostly a znode that exists now; else one created in this sequence (it may be gone since), one that never
     * was, or one of the znodes every tree has (read-only for clients, shared by all sequences: only steps that
     * fail may touch them, and reads; never the root, whose Stat counts every sequence's creates).
     */
    private String anyPath(Use use) {
        int dice = random.nextInt(100);
        if (dice < 70) return existingPath();
        if (dice < 85) return known.get(random.nextInt(known.size()));
        if (dice < 95) return known.get(random.nextInt(known.size())) + "/never";
        // Deleting a built-in znode is refused; changing /zookeeper/config needs permissions nobody has here.
        return use == Use.CHANGE ? "/zookeeper/config" : BUILT_IN[random.nextInt(BUILT_IN.length)];
    }

    /** A child of one of the sequence's containers, so that containers empty often; else any path. */
    private String containerChild() {
        List<String> children = known.stream().filter(p -> containers.contains(p.substring(0, p.lastIndexOf('/'))))
                .filter(p -> oracle.current(p) != null).toList();
        return children.isEmpty() ? anyPath(Use.DELETE) : children.get(random.nextInt(children.size()));
    }

    /** A znode of this sequence that exists now (asking ZooKeeper), or the sequence's root if none does yet. */
    private String existingPath() {
        List<String> existing = known.stream().filter(p -> oracle.current(p) != null).toList();
        return existing.isEmpty() ? root : existing.get(random.nextInt(existing.size()));
    }

    private int version(String path, boolean acl) {
        VersionKind kind = VersionKind.values()[random.nextInt(VersionKind.values().length)];
        if (kind == VersionKind.ANY) return -1;
        Stat now = oracle.current(path);
        int right = now == null ? 0 : acl ? now.aversion() : now.version();
        return kind == VersionKind.RIGHT ? right : right + 1 + random.nextInt(2);
    }

    private Step.Multi multi(int actor) {
        int n = 1 + random.nextInt(4);
        List<Step> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int dice = random.nextInt(100);
            if (dice < 45) {
                ops.add(create(actor));
                continue;
            }
            if (dice < 65) {
                String path = anyPath(Use.CHANGE);
                ops.add(new Step.SetData(actor, path, data(), version(path, false)));
            } else if (dice < 85) {
                String path = anyPath(Use.DELETE);
                ops.add(new Step.Delete(actor, path, version(path, false)));
            } else {
                String path = anyPath(Use.READ);
                ops.add(new Step.Check(actor, path, version(path, false)));
            }
        }
        return new Step.Multi(actor, ops);
    }

    private byte[] data() {
        int dice = random.nextInt(10);
        if (dice < 3) return new byte[0];
        if (dice < 7) return ("v" + random.nextInt(100)).getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[1 + random.nextInt(16)];
        random.nextBytes(b);
        return b;
    }

    /**
     * ACLs that allow, refuse some identities (or grant READ without ADMIN, so that getACL hides digests), need
     * authentication, or are invalid.
     */
    private List<Step.Ace> acl() {
        int perms = random.nextInt(32);
        Step.Auth user = random.nextBoolean() ? Step.Auth.ALICE : Step.Auth.BOB;
        return switch (random.nextInt(14)) {
            case 0 -> List.of(new Step.Ace("world", "anyone", 31));
            case 1 -> List.of(new Step.Ace("world", "anyone", 1));
            case 2 -> List.of(new Step.Ace("auth", "", 31));
            case 3, 4 -> List.of(new Step.Ace("digest", digest(user), 1 + random.nextInt(31)), new Step.Ace("world", "anyone", perms));
            case 5 -> List.of(new Step.Ace("digest", digest(user), 31));
            case 6 -> List.of(new Step.Ace("world", "anyone", perms));
            case 7 -> List.of(new Step.Ace("ip", IP_IDS[random.nextInt(IP_IDS.length)], perms));
            case 8 -> List.of(new Step.Ace("auth", "", perms), new Step.Ace("world", "anyone", 1 + random.nextInt(31)));
            // Duplicates, before and after the expansion of auth (ZooKeeper removes only the former).
            case 9 -> List.of(new Step.Ace("world", "anyone", 31), new Step.Ace("world", "anyone", 31));
            case 10 -> List.of(new Step.Ace("auth", "", 31), new Step.Ace("digest", digest(user), 31));
            case 11 -> List.of(new Step.Ace("digest", random.nextBoolean() ? "alice" : "alice:a:b", 31));
            case 12 -> List.of(new Step.Ace("world", "nobody", 31));
            default -> List.of(new Step.Ace("nosuchscheme", "x", 31));
        };
    }

    /** ZooKeeper's digest id of a user: {@code user:base64(sha1(user:password))}. */
    static String digest(Step.Auth auth) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-1").digest(auth.credentials.getBytes(StandardCharsets.UTF_8));
            return auth.credentials.substring(0, auth.credentials.indexOf(':')) + ":" + Base64.getEncoder().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
