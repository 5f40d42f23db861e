package dev.corral.bench;

/** A system under test that the same closed-loop clients can drive: Corral over REST, or ZooKeeper. */
interface Target {
    /** The operations measured. */
    enum Op {
        CREATE("create"),
        SET("setData"),
        GET("getData");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    /** One client: its own connection (Corral) or session (ZooKeeper), used by one thread at a time. */
    interface Client extends AutoCloseable {
        /** Creates a persistent znode; fails unless it was created. */
        void create(String path, byte[] data) throws Exception;

        /** Sets data at any version. */
        void setData(String path, byte[] data) throws Exception;

        /** Reads data and Stat of an existing znode. */
        void getData(String path) throws Exception;

        /** Creates a znode unless it exists. */
        void ensure(String path) throws Exception;

        @Override
        void close();
    }

    String label();

    Client connect() throws Exception;

    /** The server's own counters of durable log writes, read before and after each cell; null if none. */
    default WriteCounters counters() {
        return null;
    }
}
