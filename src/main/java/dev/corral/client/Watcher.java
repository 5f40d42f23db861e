package dev.corral.client;

/**
 * Receives the events of the watches it was registered with. A one-shot watch (left by
 * {@link CorralClient#getData(String, Watcher)}, {@link CorralClient#exists(String, Watcher)} or
 * {@link CorralClient#getChildren(String, Watcher)}) delivers at most one event; a persistent one
 * ({@link CorralClient#addWatch}) every event until removed.
 *
 * <p>Events of one client are delivered one at a time, in zxid order, on one thread of the client's: a watcher that
 * blocks delays every later event and session state change. Call back into the client freely (re-arm a watch, read),
 * but do not wait there on something that needs another event first. An exception thrown here is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface Watcher {
    /** Called with each event of this watcher's watches. */
    void process(WatchedEvent event);
}
