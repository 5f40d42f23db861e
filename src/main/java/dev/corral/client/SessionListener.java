package dev.corral.client;

/**
 * Told of each change of the client's session state, on the thread that delivers watch events, in order with them
 * (see {@link Watcher} for what not to do there).
 */
@FunctionalInterface
public interface SessionListener {
    /** The session is now in {@code state}. */
    void stateChanged(SessionState state);
}
