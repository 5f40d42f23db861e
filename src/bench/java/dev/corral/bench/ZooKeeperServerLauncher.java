package dev.corral.bench;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/**
 * Runs {@code ZooKeeperServerMain} (or, with {@code --quorum} first, {@code QuorumPeerMain}: a member of an
 * ensemble) in the child JVM with its log visible: on this class path SLF4J goes to the JBoss LogManager, which
 * nothing configures outside Quarkus, so ZooKeeper would log nothing at all.
 */
public final class ZooKeeperServerLauncher {
    private ZooKeeperServerLauncher() {}

    public static void main(String[] args) {
        Logger root = Logger.getLogger("");
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.INFO);
        console.setFormatter(new SimpleFormatter());
        root.addHandler(console);
        root.setLevel(Level.INFO);
        if (args.length > 0 && args[0].equals("--quorum")) {
            QuorumPeerMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
        } else {
            ZooKeeperServerMain.main(args);
        }
    }
}
