package dev.corral.api;

import dev.corral.config.CorralConfig;
import dev.corral.node.Corral;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;

/** What every client-facing resource needs: the node, who is calling, and how to wait for a write. */
abstract class ClientResource {
    @Inject
    Corral corral;

    @Inject
    Callers callers;

    @Inject
    Outcomes outcomes;

    @Inject
    CorralConfig config;

    @Context
    HttpServerRequest request;
}
