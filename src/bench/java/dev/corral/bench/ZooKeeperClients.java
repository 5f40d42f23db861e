package dev.corral.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** ZooKeeper through its official Java client; each benchmark client is its own session and connection. */
final class ZooKeeperClients implements Target {
    private final String label;
    private final String connectString;
    private final WriteCounters counters;

    ZooKeeperClients(String label, InetSocketAddress address) {
        this(label, address, new ZooKeeperCounters(address));
    }

    /** ZooKeeper's client against any server that speaks its protocol (Corral's client port), with that server's counters. */
    ZooKeeperClients(String label, InetSocketAddress address, WriteCounters counters) {
        this.label = label;
        this.connectString = Servers.connectString(address);
        this.counters = counters;
    }

    @Override
    public WriteCounters counters() {
        return counters;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Client connect() throws Exception {
        return new ZkClient(open(connectString, 30));
    }

    /** A connected session, or an exception after {@code timeoutSeconds}. */
    static ZooKeeper open(String connectString, int timeoutSeconds) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(timeoutSeconds, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no ZooKeeper session at " + connectString + " within " + timeoutSeconds + " s");
        }
        return zk;
    }

    private record ZkClient(ZooKeeper zk) implements Client {
        @Override
        public void create(String path, byte[] data) throws Exception {
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }

        @Override
        public void setData(String path, byte[] data) throws Exception {
            zk.setData(path, data, -1);
        }

        @Override
        public void getData(String path) throws Exception {
            zk.getData(path, false, null);
        }

        @Override
        public void ensure(String path) throws Exception {
            try {
                zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // Already there, as wanted.
            }
        }

        @Override
        public void close() {
            try {
                zk.close(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
