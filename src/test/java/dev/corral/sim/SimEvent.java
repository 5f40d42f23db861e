package dev.corral.sim;

import dev.corral.consensus.Message;

/**
 * What can happen in a step of the simulation. Events addressed to a node carry the incarnation (life) of the
 * node they were scheduled for; a node that crashed since ignores them.
 */
sealed interface SimEvent {
    record Tick(int node, int incarnation) implements SimEvent {}

    record Deliver(Message m) implements SimEvent {}

    record Sync(int node, int incarnation) implements SimEvent {}

    /** A driver that batches inputs gets round to processing them. */
    record Process(int node, int incarnation) implements SimEvent {}

    record ClientWake(int client) implements SimEvent {}

    /** Picks a node to crash now, or arms a crash for a moment when it hurts. */
    record Crash() implements SimEvent {}

    record CrashNode(int node, int incarnation) implements SimEvent {}

    record Restart(int node, int incarnation) implements SimEvent {}

    record Partition() implements SimEvent {}

    record HealPartition(int partition) implements SimEvent {}

    /** The end of the fault phase. */
    record Heal() implements SimEvent {}
}
