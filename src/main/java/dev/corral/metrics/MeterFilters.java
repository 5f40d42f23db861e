package dev.corral.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Meters Corral does not publish, and why. */
public class MeterFilters {
    /**
     * Quarkus registers {@code vertx.http.connections.current} once per HTTP server instance when a connection limit is
     * set, each with its own count: the second registration is ignored with a warning at every start, and the one
     * kept counts only its own instance's connections. A gauge that is wrong is worse than none.
     */
    @Produces
    @Singleton
    MeterFilter hidePerInstanceConnectionCount() {
        return MeterFilter.deny(id -> id.getName().equals("vertx.http.connections.current"));
    }
}
