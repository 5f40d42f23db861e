package dev.corral.client;

/**
 * A change to a watched znode.
 *
 * @param type what happened
 * @param path the znode it happened to (for a persistent recursive watch, the znode at or below the watched path)
 * @param zxid the zxid of the change; for an event fired when watches were set again on another node, the zxid the
 *     node judged them at
 */
public record WatchedEvent(EventType type, String path, long zxid) {}
