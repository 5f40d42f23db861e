package dev.corral.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Meters Corral does not publish, and why. */
public class MeterFilters {
    /**
     * Quarkus registers {@code vertx.http.connections.current} and {@code .max} once per HTTP server instance when a
     * connection limit is set, the current count each with its own counter: the second registrations are ignored
     * with a warning at every start, and the count kept covers only its own instance's connections. A gauge that is
     * wrong is worse than none; the limit itself is in the configuration.
     */
    @Produces
    @Singleton
    MeterFilter hidePerInstanceConnectionGauges() {
        return MeterFilter.deny(id -> id.getName().equals("vertx.http.connections.current") || id.getName().equals("vertx.http.connections.max"));
    }
}
