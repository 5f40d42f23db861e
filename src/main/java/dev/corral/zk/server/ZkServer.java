package dev.corral.zk.server;

import dev.corral.api.SessionQuota;
import dev.corral.config.CorralConfig;
import dev.corral.node.Corral;
import dev.corral.node.StartRefused;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The ZooKeeper client port ({@code corral.client-port}, default 2181): a non-blocking Vert.x TCP server speaking
 * ZooKeeper 3.9's client protocol, so that ZooKeeper's own clients (Curator, Kafka, kazoo, …) use Corral unchanged.
 * Each connection is a {@link ZkConnection} on one event loop; no thread waits on a client.
 *
 * <p>Bounds: connections per client address and in total ({@code corral.limits.connections-per-address-max},
 * {@code corral.limits.connections-max}, counted apart from HTTP's), the frame size (the data limit plus room for
 * the rest of a request), requests in flight per connection ({@code corral.zk.requests-in-flight-max}: beyond it the
 * connection stops reading until answers drain), bytes waiting to be written (beyond {@code
 * corral.limits.stream-buffer-bytes} of notifications a slow client is disconnected) and the handshake's time.
 */
@ApplicationScoped
public class ZkServer {
    private static final Logger LOG = Logger.getLogger(ZkServer.class);

    @Inject
    CorralConfig config;

    @Inject
    Corral corral;

    @Inject
    SessionQuota sessionQuota;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    private volatile NetServer server;
    private final Map<String, Integer> perAddress = new HashMap<>();
    private int connections;
    private final Set<ZkConnection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Frames received and sent on every connection, for {@code srvr} and {@code mntr}. */
    final AtomicLong received = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    private volatile FourLetterWords words;

    void onStart(@Observes StartupEvent event) {
        if (!config.autostart() || !config.zk().enabled()) return;
        words = new FourLetterWords(this, config);
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(config.clientPort()).setTcpNoDelay(true)
                .setReuseAddress(true).setIdleTimeout(0);
        NetServer s = vertx.createNetServer(options).connectHandler(this::accept);
        try {
            s.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StartRefused("ZooKeeper client port " + config.clientPort() + " on " + host + " (corral.client-port) is not available: "
                    + cause.getMessage() + "; stop whatever holds it, choose another port, or set corral.zk.enabled=false", cause);
        }
        server = s;
        LOG.infof("ZooKeeper client protocol on %s:%d", host, s.actualPort());
    }

    void onStop(@Observes ShutdownEvent event) {
        NetServer s = server;
        server = null;
        if (s == null) return;
        for (ZkConnection c : open) c.close("the node is shutting down");
        try {
            s.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("closing the client port: %s", e);
        }
    }

    /** The port the client protocol listens on (useful with {@code corral.client-port=0}); -1 if it does not listen. */
    public int port() {
        NetServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    /** Connections open now. */
    public int connectionCount() {
        return open.size();
    }

    Iterable<ZkConnection> connections() {
        return open;
    }

    FourLetterWords words() {
        return words;
    }

    private void accept(NetSocket socket) {
        String address = socket.remoteAddress() == null || socket.remoteAddress().hostAddress() == null ? "unknown"
                : socket.remoteAddress().hostAddress();
        String refusal = admit(address);
        if (refusal != null) {
            LOG.warnf("ZooKeeper client %s refused: %s", address, refusal);
            socket.close();
            return;
        }
        ZkConnection c = new ZkConnection(this, socket, address, corral, config, sessionQuota, vertx);
        open.add(c);
        socket.closeHandler(v -> {
            open.remove(c);
            leave(address);
            c.closed();
        });
        c.start();
    }

    private synchronized String admit(String address) {
        int max = config.limits().connectionsMax();
        int perMax = config.limits().connectionsPerAddressMax();
        if (connections >= max) return connections + " connections are open, the most this port takes (corral.limits.connections-max)";
        int mine = perAddress.getOrDefault(address, 0);
        if (mine >= perMax) {
            return "this address has " + mine + " connections open, the most one address may (corral.limits.connections-per-address-max)";
        }
        connections++;
        perAddress.put(address, mine + 1);
        return null;
    }

    private synchronized void leave(String address) {
        connections--;
        perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }
}
