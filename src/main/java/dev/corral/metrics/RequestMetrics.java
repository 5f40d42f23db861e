package dev.corral.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Rate and latency of each client operation ({@code corral_requests_seconds{op,status}}), named as
 * ZooKeeper names them: create, get_data, get_children, exists, set_data, delete, multi, …
 */
public class RequestMetrics {
    private static final String START = "corral.request.start";

    @Inject
    MeterRegistry registry;

    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void start(ContainerRequestContext ctx) {
        ctx.setProperty(START, System.nanoTime());
    }

    @ServerResponseFilter
    public void stop(ContainerRequestContext req, ContainerResponseContext resp) {
        Object start = req.getProperty(START);
        if (!(start instanceof Long t0)) return;
        String op = operation(req);
        if (op == null) return;
        String status = Integer.toString(resp.getStatus());
        timers.computeIfAbsent(op + ' ' + status, k -> Timer.builder("corral.requests").tag("op", op).tag("status", status)
                        .description("Client requests by operation").publishPercentileHistogram().register(registry))
                .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }

    static String operation(ContainerRequestContext req) {
        String path = req.getUriInfo().getPath();
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        var q = req.getUriInfo().getQueryParameters();
        if (path.startsWith("/v1/nodes")) {
            return switch (method) {
                case "POST" -> "create";
                case "PUT" -> "set_data";
                case "DELETE" -> "delete";
                case "GET" -> "true".equals(q.getFirst("children")) ? "get_children" : "true".equals(q.getFirst("exists")) ? "exists" : "get_data";
                default -> "other";
            };
        }
        if (path.startsWith("/v1/acls")) return method.equals("PUT") ? "set_acl" : "get_acl";
        if (path.equals("/v1/multi")) return "multi";
        if (path.equals("/v1/multi-read")) return "multi_read";
        if (path.equals("/v1/sync")) return "sync";
        if (path.startsWith("/v1/sessions")) {
            if (path.endsWith("/keepalive")) return "ping";
            if (path.endsWith("/events")) return null;
            if (path.endsWith("/watches")) return method.equals("DELETE") ? "remove_watches" : "add_watch";
            return method.equals("POST") ? "create_session" : method.equals("DELETE") ? "close_session" : "get_session";
        }
        if (path.startsWith("/v1/")) return "other";
        return null;
    }
}
