package dev.corral.health;

import dev.corral.node.Corral;
import dev.corral.node.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Kubernetes probes. Liveness: the node has not stopped on a fatal error (cheap and local); a storage outage
 * is not one, the node rides it out. Startup: the log has been recovered. Readiness: recovered, storage
 * writable, a leader known and everything known committed applied here; when not, {@code reason} says why.
 */
@ApplicationScoped
public class NodeHealth {
    @Inject
    Corral corral;

    @Liveness
    HealthCheck live() {
        return () -> {
            NodeStatus s = corral.status();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("corral-node").status(s.phase() != NodeStatus.Phase.FAILED)
                    .withData("phase", s.phase().name());
            if (s.failure() != null) b.withData("failure", s.failure());
            return b.build();
        };
    }

    @Startup
    HealthCheck started() {
        return () -> {
            NodeStatus s = corral.status();
            boolean started = s.phase() == NodeStatus.Phase.RUNNING || s.phase() == NodeStatus.Phase.STORAGE_UNAVAILABLE;
            return HealthCheckResponse.named("corral-recovery").status(started)
                    .withData("phase", s.phase().name()).withData("lastIndex", s.lastIndex()).build();
        };
    }

    @Readiness
    HealthCheck ready() {
        return () -> {
            NodeStatus s = corral.status();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("corral-replication").status(s.isReady())
                    .withData("phase", s.phase().name())
                    .withData("role", s.role().name())
                    .withData("leader", s.leaderId())
                    .withData("term", s.term())
                    .withData("commitIndex", s.commitIndex())
                    .withData("caughtUp", s.caughtUp())
                    .withData("appliedZxid", s.appliedZxid());
            String reason = s.notReadyReason();
            if (reason != null) b.withData("reason", reason);
            return b.build();
        };
    }
}
