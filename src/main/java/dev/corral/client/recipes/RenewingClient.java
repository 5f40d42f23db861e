package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.SessionState;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A supplier of clients for the recipes that replaces its client once the client's session has expired. A
 * {@link CorralClient} has one session for life, as ZooKeeper's does; a recipe given this supplier asks it again
 * after an expiry and carries on with the new client's fresh session (a new lock acquisition, a new candidacy, a
 * re-read configuration), while a recipe given a fixed client stops.
 *
 * <pre>{@code
 * try (RenewingClient clients = new RenewingClient(() -> CorralClient.builder().servers(urls).build())) {
 *     ConfigWatcher config = new ConfigWatcher(clients, "/app/config", value -> apply(value));
 *     config.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>The expired client is closed when it is replaced. A client the user closed ({@link SessionState#CLOSED}) is not
 * replaced: closing is a decision, expiry is not. Thread-safe.
 */
public final class RenewingClient implements Supplier<CorralClient>, AutoCloseable {
    private final Supplier<CorralClient> factory;
    private CorralClient current;
    private int created;
    private boolean closed;

    /**
     * @param factory builds a new client, e.g. {@code () -> CorralClient.builder().servers(...).build()}; called for
     *     the first {@link #get} and after each expiry
     */
    public RenewingClient(Supplier<CorralClient> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The current client, or a new one if there is none yet or the current one's session has expired.
     *
     * @throws IllegalStateException once this supplier is closed
     */
    @Override
    public synchronized CorralClient get() {
        if (closed) throw new IllegalStateException("this RenewingClient is closed");
        if (current != null && current.sessionState() != SessionState.EXPIRED) return current;
        CorralClient old = current;
        current = Objects.requireNonNull(factory.get(), "the factory gave null");
        created++;
        if (old != null) old.close();
        return current;
    }

    /** How many clients the factory has built: 1 plus the number of expiries met so far. */
    public synchronized int clientsCreated() {
        return created;
    }

    /** Closes the current client (its session and ephemeral znodes end); {@link #get} fails afterwards. */
    @Override
    public void close() {
        CorralClient c;
        synchronized (this) {
            closed = true;
            c = current;
            current = null;
        }
        if (c != null) c.close();
    }
}
