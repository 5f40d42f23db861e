package dev.corral.node;

import dev.corral.config.CorralConfig;
import dev.corral.config.Members;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a node can start, made before it opens its storage, so that a refused start leaves nothing behind
 * (no data directory, no database file) and says why in one line ({@link StartRefused}).
 */
public final class StartChecks {
    private StartChecks() {}

    /** The voting members; a cluster of more than one needs the cluster secret, with which members authenticate each other. */
    public static Members members(CorralConfig config) {
        Members members;
        try {
            members = Members.parse(config.members().orElse(""), config.observers().orElse(""), config.nodeId());
        } catch (IllegalArgumentException e) {
            throw new StartRefused(e.getMessage(), e);
        }
        if (members.size() > 1) {
            if (config.clusterSecret().filter(s -> !s.isBlank()).isEmpty()) {
                throw new StartRefused("corral.members names " + members.size() + " members but corral.cluster-secret"
                        + " (CORRAL_CLUSTER_SECRET) is not set: members authenticate each other with it");
            }
        }
        return members;
    }

    /**
     * Refuses a data directory the node could not use: not a directory, not writable, or missing where it
     * cannot be created. Creates nothing: the node creates the directory when it opens storage.
     */
    public static void dataDirectory(Path configured) {
        Path dir = configured.toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) {
                throw new StartRefused("data directory " + dir + " (corral.data-dir) is not writable by this user");
            }
            return;
        }
        if (Files.exists(dir)) throw new StartRefused("data directory " + dir + " (corral.data-dir) is not a directory");
        Path existing = dir.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            throw new StartRefused("cannot create data directory " + dir + " (corral.data-dir): " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new StartRefused("cannot create data directory " + dir + " (corral.data-dir): " + existing
                    + " is not writable by this user");
        }
    }

    /**
     * Refuses an HTTP port another process holds, by binding it as the HTTP server will (same host, address
     * reuse on) and letting it go at once. Port 0 (any free port) is never refused.
     */
    public static void httpPortFree(String host, int port) {
        portFree("HTTP port " + port + " on " + host + " (quarkus.http.port, quarkus.http.host)", host, port);
    }

    /** As {@link #httpPortFree}, for the ZooKeeper client port ({@code corral.client-port}). */
    public static void clientPortFree(String host, int port) {
        portFree("ZooKeeper client port " + port + " on " + host + " (corral.client-port; corral.zk.enabled=false turns it off)", host, port);
    }

    private static void portFree(String what, String host, int port) {
        if (port == 0) return;
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartRefused(what + " is not available: " + e.getMessage() + "; stop whatever holds it or choose another port", e);
        }
    }
}
