package dev.corral.api;

import dev.corral.node.Corral;
import dev.corral.tree.Caller;
import dev.corral.tree.WatchKind;

/** Setting a watch for a request: the registry remembers who set it (its ACL identities) and bounds how many. */
final class Watches {
    private Watches() {}

    /**
     * Sets the watch, or refuses with BAD_ARGUMENTS when the session already watches as many paths as it may, or the
     * node holds as many watches as it may.
     */
    static void add(Corral corral, long sessionId, String path, WatchKind kind, Caller caller) {
        if (!corral.watches().add(sessionId, path, kind, caller.ids())) throw quotaReached(corral, path);
    }

    /** The refusal when a session, or the node, has as many watched paths as it may. */
    static ApiException quotaReached(Corral corral, String path) {
        return ApiException.badArguments("no more watches: a session may watch at most " + corral.watches().pathsPerSessionMax()
                + " paths (corral.limits.watched-paths-per-session) and this node holds at most " + corral.watches().pathsMax()
                + " (corral.limits.watched-paths); remove some watches first", path);
    }
}
