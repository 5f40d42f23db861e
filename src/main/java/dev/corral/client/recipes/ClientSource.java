package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.SessionListener;
import dev.corral.client.SessionState;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The client a long-lived recipe works with: the one its supplier gave, until that client's session has ended, when
 * the supplier is asked again (a {@link RenewingClient} then gives a client with a fresh session; a fixed client gives
 * itself, ended). The recipe hears the session states of the client it works with, each with that client, so that it
 * can ignore a late state of a client it has left. Thread-safe.
 */
final class ClientSource {
    /** Told of a session state of {@code client}. */
    interface Listener {
        void stateChanged(CorralClient client, SessionState state);
    }

    private final Supplier<CorralClient> supplier;
    private final Listener listener;
    /** The client in use and the listener registered with it; null before the first use and after close. */
    private CorralClient client;
    private SessionListener registered;
    private boolean closed;

    ClientSource(Supplier<CorralClient> supplier, Listener listener) {
        this.supplier = Objects.requireNonNull(supplier, "clients");
        this.listener = listener;
    }

    /** Whether {@code client}'s session has ended (expired, or closed by that client). */
    static boolean ended(CorralClient client) {
        SessionState s = client.sessionState();
        return s == SessionState.EXPIRED || s == SessionState.CLOSED;
    }

    /** Whether {@code client}'s session is open and its node answered its last heartbeat. */
    static boolean connected(CorralClient client) {
        SessionState s = client.sessionState();
        return s == SessionState.CONNECTED || s == SessionState.RECONNECTED;
    }

    /** The client to use: the current one while its session lives, else the supplier's (whose states are then heard). */
    synchronized CorralClient client() {
        if (closed) throw new IllegalStateException("the recipe is closed");
        if (client != null && !ended(client)) return client;
        CorralClient next = Objects.requireNonNull(supplier.get(), "the client supplier gave null");
        if (next != client) {
            if (client != null) client.removeSessionListener(registered);
            CorralClient c = next;
            registered = state -> listener.stateChanged(c, state);
            next.addSessionListener(registered);
            client = next;
        }
        return next;
    }

    /** Whether {@code c} is the client in use (states of others are stale). */
    synchronized boolean isCurrent(CorralClient c) {
        return c == client;
    }

    /** Stops listening; {@link #client} fails afterwards. */
    synchronized void close() {
        closed = true;
        if (client != null) client.removeSessionListener(registered);
    }
}
