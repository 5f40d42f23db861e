package dev.corral.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One packaged node ({@link NodeProcess}) for integration tests outside this package, such as the client's
 * {@code ClientJarIT}: started on a fresh data directory with free ports, ready when returned, killed on close.
 */
public final class PackagedNode implements AutoCloseable {
    private final NodeProcess node;

    private PackagedNode(NodeProcess node) {
        this.node = node;
    }

    /** Starts the packaged node on {@code dataDir}, logging to {@code logName} beside the other black-box logs. */
    public static PackagedNode startReady(Path dataDir, String logName) throws IOException {
        return new PackagedNode(NodeProcess.startReady(dataDir, CrashRecoveryIT.logFile(logName), Map.of()));
    }

    /** The node's base URL, {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + node.httpPort;
    }

    /** The last {@code lines} lines of the node's output, for a failure message. */
    public String tail(int lines) {
        return node.tail(lines);
    }

    @Override
    public void close() {
        node.close();
    }
}
