package dev.corral.node;

import dev.corral.replica.Outcome;
import dev.corral.config.CorralConfig;
import dev.corral.config.Members;
import dev.corral.consensus.RaftConfig;
import dev.corral.storage.StorageException;
import dev.corral.storage.jdbc.JdbcStorage;
import dev.corral.tree.Caller;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeState;
import dev.corral.tree.WatchRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import dev.corral.consensus.Message;
import dev.corral.peer.HttpTransport;
import dev.corral.peer.PeerHandler;
import dev.corral.peer.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.jboss.logging.Logger;

/**
 * Wires a node together at start-up from configuration: opens storage (taking ownership of it, migrating the
 * schema), starts the {@link NodeDriver}, and stands in for it as the {@link Corral} the front-ends use.
 * Storage problems that make starting pointless (another node owns the data directory, a newer schema, the
 * database cannot be reached) fail the start with a {@link StartRefused}, whose one-line message the entry point
 * prints. Once started, the driver owns the storage: it rides out storage outages by reopening it through
 * {@link #openStorage()}, and only a fatal error (a broken invariant, a corrupt log) stops the process, so that a
 * supervisor can restart it.
 */
@ApplicationScoped
public class NodeLifecycle implements Corral, PeerHandler {
    private static final Logger LOG = Logger.getLogger(NodeLifecycle.class);

    @Inject
    CorralConfig config;

    @Inject
    TransactionManager transactions;

    @Inject
    @Any
    Instance<AgroalDataSource> dataSources;

    @Inject
    @Any
    Instance<SessionFactory> sessionFactories;

    @Inject
    @Any
    Instance<Flyway> flyways;

    @Inject
    Instance<NodeMetrics> metrics;

    private volatile NodeDriver driver;
    private volatile HttpTransport transport;
    private final WatchRegistry noWatches = new WatchRegistry(1, 0);
    private final java.util.List<Runnable> publishedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    void onStart(@Observes StartupEvent event) {
        if (!config.autostart()) {
            LOG.info("corral.autostart=false: the node is not started");
            return;
        }
        // The entry point made these checks already (before Quarkus booted); they are repeated here for nodes
        // started otherwise, as in tests. Refusals are StartRefused, and so is a storage refusal below.
        Members members = StartChecks.members(config);
        if (!postgres()) StartChecks.dataDirectory(Path.of(config.dataDir()));
        JdbcStorage storage;
        try {
            storage = openStorage();
        } catch (StorageException e) {
            throw new StartRefused(e.getMessage(), e);
        }
        RaftConfig raft = new RaftConfig(config.nodeId(), members.ids(), config.raft().electionTicks(), config.raft().heartbeatTicks(),
                512, 1 << 20, 64L << 20, config.raft().logCacheBytes(), members.observers());
        long tickMs = Math.max(1, config.raft().tick().toMillis());
        NodeDriver.Settings settings = new NodeDriver.Settings(raft, tickMs,
                new Prep.Limits(config.limits().dataBytesMax(), (int) config.session().minTimeout().toMillis(),
                        (int) config.session().maxTimeout().toMillis()),
                (int) Math.max(1, config.raft().reapInterval().toMillis() / tickMs), config.snapshot().everyEntries(),
                config.snapshot().everyBytes(), config.snapshot().keepEntries(), config.snapshot().keep(), config.watch().journalEvents(),
                config.limits().queuedRequestsMax(), config.limits().watchedPathsPerSession(), config.limits().watchedPaths(),
                config.limits().pendingRequestsMax(), config.digest().enabled() ? config.digest().everyEntries() : 0, config.storageLost());
        NodeMetrics m = metrics.isResolvable() ? metrics.get() : NodeMetrics.NONE;
        Transport peers = Transport.NONE;
        if (members.size() > 1) {
            HttpTransport http = new HttpTransport(config.nodeId(), members.urls(), config.clusterSecret().orElseThrow(),
                    new HttpTransport.Settings(config.peer().requestTimeout(), config.limits().requestTimeout(), config.peer().queueMessagesMax(),
                            config.peer().batchBytesMax()));
            http.start();
            peers = http;
            transport = http;
            LOG.infof("node %d: member of %s", config.nodeId(), members.urls());
        }
        NodeDriver created = new NodeDriver(settings, storage, this::openStorage, m, System::currentTimeMillis, peers, message -> {
            LOG.errorf("node %d stopped: %s", config.nodeId(), message);
            Quarkus.asyncExit(3);
        });
        created.addPublishedListener(() -> {
            for (Runnable r : publishedListeners) r.run();
        });
        driver = created;
        driver.start();
    }

    /**
     * Opens this node's storage as configured (taking ownership of it). The node does this at start-up and
     * after a storage outage; with {@code corral.autostart=false}, tools and tests may call it themselves.
     */
    public JdbcStorage openStorage() {
        boolean postgres = postgres();
        String name = postgres ? "pg" : "sqlite";
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        String location = postgres ? config.storage().jdbcUrl().get() : dataDir.resolve("corral.db").toString();
        if (!postgres) JdbcStorage.ensureDirectory(dataDir);
        return JdbcStorage.open(postgres ? JdbcStorage.Kind.POSTGRESQL : JdbcStorage.Kind.SQLITE, location, dataDir,
                dataSources.select(new DataSource.DataSourceLiteral(name)).get(),
                sessionFactories.select(new PersistenceUnit.PersistenceUnitLiteral(name)).get(), transactions,
                flyways.select(FlywayDataSource.FlywayDataSourceLiteral.of(name)).get(), config.nodeId(),
                System.currentTimeMillis());
    }

    private boolean postgres() {
        return config.storage().jdbcUrl().filter(u -> !u.isBlank()).isPresent();
    }

    /** The driver closes the storage it owns. */
    void onStop(@Observes ShutdownEvent event) {
        NodeDriver d = driver;
        if (d != null) d.close();
        HttpTransport t = transport;
        if (t != null) t.close();
    }

    /** The running driver, for metrics; null before start-up completes. */
    public NodeDriver driver() {
        return driver;
    }

    @Override
    public CompletableFuture<Outcome> write(Op op, Caller caller) {
        NodeDriver d = driver;
        if (d == null) return CompletableFuture.completedFuture(starting());
        return d.write(op, caller);
    }

    @Override
    public CompletableFuture<Outcome> sync() {
        NodeDriver d = driver;
        if (d == null) return CompletableFuture.completedFuture(starting());
        return d.sync();
    }

    @Override
    public CompletableFuture<Boolean> touchSession(long sessionId) {
        NodeDriver d = driver;
        return d == null ? CompletableFuture.completedFuture(false) : d.touchSession(sessionId);
    }

    @Override
    public TreeState state() {
        NodeDriver d = driver;
        return d == null ? TreeState.initial() : d.state();
    }

    @Override
    public void addPublishedListener(Runnable listener) {
        publishedListeners.add(listener);
    }

    @Override
    public WatchRegistry watches() {
        NodeDriver d = driver;
        return d == null ? noWatches : d.watches();
    }

    @Override
    public NodeStatus status() {
        NodeDriver d = driver;
        return d == null ? NodeStatus.starting(config.nodeId()) : d.status();
    }

    @Override
    public CompletableFuture<Outcome> barrier(boolean linearizable) {
        NodeDriver d = driver;
        if (d == null) return CompletableFuture.completedFuture(starting());
        return d.barrier(linearizable);
    }

    @Override
    public CompletableFuture<Outcome> awaitApplied(long zxid) {
        NodeDriver d = driver;
        if (d == null) return CompletableFuture.completedFuture(starting());
        return d.awaitApplied(zxid);
    }

    // ---- PeerHandler ----

    @Override
    public boolean deliver(List<Message> messages) {
        NodeDriver d = driver;
        return d != null && d.deliver(messages);
    }

    @Override
    public CompletableFuture<Outcome> forwarded(Op op, Caller caller) {
        NodeDriver d = driver;
        if (d == null) return CompletableFuture.completedFuture(starting());
        return d.forwarded(op, caller);
    }

    @Override
    public void touched(long[] sessionIds) {
        NodeDriver d = driver;
        if (d != null) d.touched(sessionIds);
    }

    @Override
    public CompletableFuture<Outcome> barrierForPeer(boolean linearizable) {
        NodeDriver d = driver;
        if (d == null) return CompletableFuture.completedFuture(starting());
        return d.barrierForPeer(linearizable);
    }

    @Override
    public long term() {
        NodeDriver d = driver;
        return d == null ? -1 : d.term();
    }

    @Override
    public long appliedZxid() {
        return state().lastZxid();
    }

    @Override
    public InputStream snapshot(long index, long term) throws IOException {
        NodeDriver d = driver;
        return d == null ? null : d.snapshotBytes(index, term);
    }

    private Outcome starting() {
        return new Outcome.Unavailable(dev.corral.tree.ErrorCode.CONNECTION_LOSS, 0, "node " + config.nodeId() + " is starting");
    }
}
