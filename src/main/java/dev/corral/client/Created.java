package dev.corral.client;

/**
 * A created znode.
 *
 * @param path its path; for a sequential mode, with the counter the server appended
 * @param stat its Stat just after the create
 */
public record Created(String path, Stat stat) {}
