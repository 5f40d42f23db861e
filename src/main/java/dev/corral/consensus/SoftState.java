package dev.corral.consensus;

/** Volatile facts about the member that its driver reports and reacts to: role, known leader (0 if none), term. */
public record SoftState(Role role, int leaderId, long term) {}
