package dev.corral.bench;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.zookeeper.server.ZooKeeperServerMain;

/**
 * Runs {@code ZooKeeperServerMain} in the child JVM with its log visible: on this class path SLF4J goes to the
 * JBoss LogManager, which nothing configures outside Quarkus, so ZooKeeper would log nothing at all.
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
        ZooKeeperServerMain.main(args);
    }
}
