package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.CreateMode;
import dev.corral.client.Created;
import dev.corral.client.Stat;

/**
 * The writes the recipes share, made safe to try again when their outcome is unknown. The client never repeats such a
 * write itself (it fails with {@link CorralException.ConnectionLossException} or
 * {@link CorralException.OperationTimeoutException}); these look at the tree first and try again only if the write is
 * not there. A create of an ephemeral znode is recognised by its name, which holds an id no other instance uses, and by
 * its owner, which must be this client's session. Each write is tried at most {@link #ATTEMPTS} times.
 */
final class RetryingWrites {
    /** How many times one write is tried before its last failure is thrown. */
    static final int ATTEMPTS = 5;

    private RetryingWrites() {}

    /**
     * Whether {@code e} leaves a write's outcome unknown: worth looking, then perhaps trying again. A connection loss
     * that is known not to have reached a node is not: the client has already tried every node, with its retries.
     */
    static boolean outcomeUnknown(CorralException e) {
        return e instanceof CorralException.ConnectionLossException c && c.outcomeUnknown()
                || e instanceof CorralException.OperationTimeoutException;
    }

    /** Creates {@code path} and any missing ancestor as persistent znodes; an existing one is fine. */
    static void ensurePath(CorralClient client, String path) {
        if (path.equals("/") || client.exists(path) != null) return;
        int from = 1;
        while (from > 0) {
            int slash = path.indexOf('/', from);
            String prefix = slash < 0 ? path : path.substring(0, slash);
            from = slash < 0 ? -1 : slash + 1;
            for (int attempt = 1; ; attempt++) {
                try {
                    client.create(prefix, null);
                    break;
                } catch (CorralException.NodeExistsException e) {
                    break;
                } catch (CorralException e) {
                    if (!outcomeUnknown(e) || attempt >= ATTEMPTS) throw e;
                }
            }
        }
    }

    /**
     * Creates an ephemeral sequential child {@code parent/<prefix><counter>} (creating the parent if missing). When the
     * create's outcome is unknown, a child whose name starts with {@code prefix} and that this session owns is the one
     * created: it is returned instead of creating another. A create still in flight when the children were listed may
     * yet leave a second such child: callers treat every child of their prefix but the one returned as an orphan and
     * delete it.
     *
     * @param prefix a name prefix that holds an id no other instance uses
     */
    static Created createOwnSequential(CorralClient client, String parent, String prefix, byte[] data) {
        CorralException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return client.create(parent + "/" + prefix, data, CreateMode.EPHEMERAL_SEQUENTIAL);
            } catch (CorralException.NoNodeException e) {
                last = e;
                ensurePath(client, parent);
            } catch (CorralException e) {
                if (!outcomeUnknown(e)) throw e;
                last = e;
                Created mine = findOwn(client, parent, prefix);
                if (mine != null) return mine;
            }
        }
        throw last;
    }

    /** The first child of {@code parent} (in counter order) named {@code prefix<counter>} that this session owns, or null. */
    private static Created findOwn(CorralClient client, String parent, String prefix) {
        long session = client.session().idNumber();
        for (String name : SequentialNames.ordered(client.getChildren(parent).names(), n -> n.startsWith(prefix))) {
            String path = parent + "/" + name;
            Stat stat = client.exists(path);
            if (stat != null && stat.ephemeralOwner() == session) return new Created(path, stat);
        }
        return null;
    }

    /**
     * Creates the ephemeral znode {@code path} for this client's session. If it exists already and this session owns it
     * (a create of unknown outcome that did happen), that is success.
     *
     * @throws CorralException.NodeExistsException if it exists and another session owns it (or it is not ephemeral)
     */
    static Stat createOwnEphemeral(CorralClient client, String path, byte[] data) {
        CorralException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return client.create(path, data, CreateMode.EPHEMERAL).stat();
            } catch (CorralException.NodeExistsException e) {
                Stat stat = client.exists(path);
                if (stat != null && stat.ephemeralOwner() == client.session().idNumber()) return stat;
                if (stat != null) throw e;
                last = e;
            } catch (CorralException e) {
                if (!outcomeUnknown(e)) throw e;
                last = e;
                Stat stat = client.exists(path);
                if (stat != null && stat.ephemeralOwner() == client.session().idNumber()) return stat;
            }
        }
        throw last;
    }

    /** Deletes {@code path} whatever its version; one that does not exist (or no longer) is fine. */
    static void deleteIfExists(CorralClient client, String path) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.delete(path, -1);
                return;
            } catch (CorralException.NoNodeException e) {
                return;
            } catch (CorralException e) {
                if (!outcomeUnknown(e) || attempt >= ATTEMPTS) throw e;
            }
        }
    }
}
