package dev.corral.zk.server;

import dev.corral.config.CorralConfig;
import dev.corral.consensus.Role;
import dev.corral.node.NodeStatus;
import dev.corral.tree.TreeState;
import dev.corral.zk.wire.FourLetterWord;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * ZooKeeper's four-letter words on the client port ({@code echo srvr | nc host 2181}), in ZooKeeper's formats so that
 * scripts and monitoring written for it keep working. Only the words in {@code corral.zk.four-letter-words} are
 * answered (ZooKeeper's {@code 4lw.commands.whitelist}); any other gets ZooKeeper's refusal line.
 */
final class FourLetterWords {
    /** The version scripts see; tools parse {@code srvr}'s first line for "3.9". */
    static final String VERSION = "3.9.5-corral";

    private final ZkServer server;
    private final CorralConfig config;
    private final Set<String> allowed;

    FourLetterWords(ZkServer server, CorralConfig config) {
        this.server = server;
        this.config = config;
        Set<String> words = new TreeSet<>();
        for (String w : config.zk().fourLetterWords()) {
            String t = w.trim().toLowerCase(Locale.ROOT);
            if (t.equals("*")) {
                for (FourLetterWord f : FourLetterWord.values()) words.add(f.word());
            } else if (!t.isEmpty()) {
                words.add(t);
            }
        }
        this.allowed = Set.copyOf(words);
    }

    String answer(FourLetterWord word, ZkConnection asking) {
        String w = word.word();
        if (!allowed.contains(w)) return w + " is not executed because it is not in the whitelist.\n";
        NodeStatus s = server.corral.status();
        TreeState t = server.corral.state();
        return switch (w) {
            case "ruok" -> "imok";
            case "isro" -> "rw";
            case "srvr" -> srvr(s, t);
            case "stat" -> {
                StringBuilder b = new StringBuilder(versionLine()).append("Clients:\n");
                for (ZkConnection c : server.connections()) b.append(' ').append(describe(c)).append('\n');
                b.append('\n');
                yield b + srvr(s, t).substring(versionLine().length());
            }
            case "cons" -> {
                StringBuilder b = new StringBuilder();
                for (ZkConnection c : server.connections()) b.append(' ').append(describe(c)).append('\n');
                yield b.append('\n').toString();
            }
            case "mntr" -> mntr(s, t);
            case "conf" -> "clientPort=" + server.port() + "\ndataDir=" + config.dataDir() + "\ntickTime=" + config.raft().tick().toMillis()
                    + "\nminSessionTimeout=" + config.session().minTimeout().toMillis() + "\nmaxSessionTimeout="
                    + config.session().maxTimeout().toMillis() + "\nserverId=" + s.nodeId() + "\n";
            case "envi" -> "Environment:\nzookeeper.version=" + VERSION + "\njava.version=" + System.getProperty("java.version")
                    + "\njava.vendor=" + System.getProperty("java.vendor") + "\nos.name=" + System.getProperty("os.name") + "\n";
            case "wchs" -> server.connectionCount() + " connections watching " + server.corral.watches().count() + " paths\nTotal watches:"
                    + server.corral.watches().count() + "\n";
            default -> w + " is not executed because it is not in the whitelist.\n";
        };
    }

    private static String versionLine() {
        return "Zookeeper version: " + VERSION + ", built on Corral\n";
    }

    private static String describe(ZkConnection c) {
        return "/" + c.address() + "[1](queued=" + c.queued() + ",recved=" + c.requests() + ",sent=" + c.requests() + ",sid=0x"
                + Long.toHexString(c.session()) + ")";
    }

    private String srvr(NodeStatus s, TreeState t) {
        return versionLine() + "Latency min/avg/max: 0/0.0/0\nReceived: " + server.received.get() + "\nSent: " + server.sent.get()
                + "\nConnections: " + server.connectionCount() + "\nOutstanding: 0\nZxid: 0x" + Long.toHexString(t.lastZxid()) + "\nMode: "
                + mode(s) + "\nNode count: " + t.nodeCount() + "\n";
    }

    private String mode(NodeStatus s) {
        boolean single = config.members().isEmpty() || config.members().get().isBlank();
        if (single) return "standalone";
        if (s.role() == Role.LEADER) return "leader";
        return config.observers().isPresent() && config.observers().get().contains(s.nodeId() + "=") ? "observer" : "follower";
    }

    private String mntr(NodeStatus s, TreeState t) {
        return "zk_version\t" + VERSION + "\nzk_server_state\t" + mode(s) + "\nzk_znode_count\t" + t.nodeCount() + "\nzk_watch_count\t"
                + server.corral.watches().count() + "\nzk_ephemerals_count\t" + ephemerals(t) + "\nzk_approximate_data_size\t" + t.dataBytes()
                + "\nzk_num_alive_connections\t" + server.connectionCount() + "\nzk_outstanding_requests\t0\nzk_packets_received\t"
                + server.received.get() + "\nzk_packets_sent\t" + server.sent.get() + "\nzk_last_zxid\t0x" + Long.toHexString(t.lastZxid())
                + "\nzk_ready\t" + s.isReady() + "\n";
    }

    private static long ephemerals(TreeState t) {
        long n = 0;
        for (var e : t.sessions()) n += e.ephemerals().size();
        return n;
    }
}
