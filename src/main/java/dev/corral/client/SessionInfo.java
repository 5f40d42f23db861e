package dev.corral.client;

import java.time.Duration;

/**
 * A live session as the cluster describes it ({@code GET /v1/sessions/{id}}).
 *
 * @param id the session id, 16 hex digits
 * @param timeout the timeout the cluster granted it
 */
public record SessionInfo(String id, Duration timeout) {}
