package dev.corral.api;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open HTTP connections per client address, so that one client cannot hold every connection the node
 * allows ({@code corral.limits.connections-per-address-max}). The total is Quarkus' accept-time limit.
 *
 * <p>A connection is counted when its first request arrives: Quarkus offers no hook when a connection is
 * accepted, and the first request is the earliest point a refusal can be explained (503 THROTTLED_OP) rather
 * than being a bare close. A connection that never sends a request counts only toward the total.
 *
 * <p>Thread-safe: requests of different connections arrive on different event loops.
 */
final class ConnectionLimits {
    private final int perAddressMax;
    /** The connections counted, each with the address it is counted under. */
    private final ConcurrentHashMap<HttpConnection, String> counted = new ConcurrentHashMap<>();
    /** Invariant: the number of entries of {@link #counted} with each address; no entry for zero. */
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionLimits(int perAddressMax) {
        this.perAddressMax = perAddressMax;
    }

    int perAddressMax() {
        return perAddressMax;
    }

    /**
     * Counts the connection if this is its first request; false (and not counted) if its address already has
     * {@code perAddressMax} connections open.
     */
    boolean admit(HttpConnection connection) {
        if (connection == null || counted.containsKey(connection)) return true;
        String address = addressOf(connection);
        boolean[] admitted = {false};
        perAddress.compute(address, (a, n) -> {
            int open = n == null ? 0 : n;
            if (open >= perAddressMax) return n;
            admitted[0] = true;
            return open + 1;
        });
        if (!admitted[0]) return false;
        counted.put(connection, address);
        onClose(connection, () -> release(connection));
        return true;
    }

    private void release(HttpConnection connection) {
        String address = counted.remove(connection);
        if (address != null) perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    static String addressOf(HttpConnection connection) {
        SocketAddress remote = connection.remoteAddress();
        String host = remote == null ? null : remote.hostAddress();
        return host == null ? "local" : host;
    }

    /**
     * Runs {@code action} once the connection is closed, at once if it already is. Vert.x 4 keeps a single
     * close handler per connection, and Quarkus' total limit uses it to count down: setting another would
     * silently break that count. The close future takes any number of listeners.
     */
    private static void onClose(HttpConnection connection, Runnable action) {
        if (connection instanceof ConnectionBase base) {
            base.closeFuture().onComplete(ar -> action.run());
        } else {
            connection.closeHandler(v -> action.run());
        }
    }
}
