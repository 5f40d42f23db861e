package dev.corral.api;

import dev.corral.tree.Caller;
import dev.corral.tree.SessionEntry;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Distributed locks for clients with no ZooKeeper library, held by a REST session: a fair queue under
 * {@code /corral/locks/{name}} ({@link Queues}). Whoever is first in the queue holds the lock until it releases it or
 * its session ends.
 */
@Path("/v1/locks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "locks")
public class LocksResource extends ClientResource {
    static final String LOCK_HELD = "LOCK_HELD";
    private static final Set<String> FIELDS = Set.of("session", "waitMs");

    @Inject
    Queues queues;

    @POST
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Acquire a lock", description = "Queues the session for the lock (the ephemeral znode"
            + " /corral/locks/{name}/{session}-{10 digits}) and answers once it holds it, or fails after waitMs (0: at once)"
            + " and leaves the queue. Fair: sessions get the lock in the order they asked. A session already holding or"
            + " waiting keeps its place, so repeating a request whose answer was lost is safe; the lock belongs to the"
            + " session, not to the request. It is released by DELETE, or when the session ends (closed or expired): keep"
            + " the session alive while holding it.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.QueueRequest.class)))
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "The session holds the lock", content = @Content(schema = @Schema(implementation = Dtos.LockHolder.class)))
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS: a bad name, body, or waitMs; no session")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "403", description = "NO_AUTH: the ACL of /corral, /corral/locks or the lock's znode forbids it")
    @APIResponse(responseCode = "409", description = "LOCK_HELD: another session held it for all of waitMs; the error names the"
            + " holder (session, token) if the caller may read the lock's znode. The session is no longer queued")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    @APIResponse(responseCode = "503", description = "No quorum, or too many waiters (THROTTLED_OP); CONNECTION_LOSS if the request"
            + " could not leave the queue when giving up: release the lock then")
    public CompletionStage<Response> acquire(@PathParam("name") String name, byte[] body) {
        String dir = Queues.Kind.LOCKS.path(Queues.validName(name));
        return Sessions.retryUnknown(corral, () -> {
            JsonBody b = JsonBody.parse(body, dir, FIELDS);
            SessionEntry session = Queues.session(corral, request, b.string("session"), dir);
            Long waitMs = b.longValue("waitMs");
            Caller caller = callers.of(request, session.id());
            return queues.enter(dir, caller, new byte[0], waitMs == null ? 0 : waitMs, session.timeoutMs(), request.connection(),
                            LOCK_HELD, "the lock " + name + " is held by another session")
                    .thenApply(m -> Response.ok(holder(name, m)).build());
        });
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Who holds a lock", description = "As this node's tree shows it (it may lag the leader a little);"
            + " consistency=linearizable first catches up with the leader's commit point.")
    @APIResponse(responseCode = "200", description = "The holder (null if free) and how many wait", content = @Content(schema = @Schema(implementation = Dtos.LockState.class)))
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS: a bad name or consistency")
    @APIResponse(responseCode = "403", description = "NO_AUTH: the caller may not READ the lock's znode")
    public CompletionStage<Response> get(@PathParam("name") String name,
            @Parameter(description = "sequential (default) or linearizable") @QueryParam("consistency") String consistency) {
        String dir = Queues.Kind.LOCKS.path(Queues.validName(name));
        return queues.read(dir, consistency, callers.of(request, 0)).thenApply(v -> Response.ok(
                new Dtos.LockState(name, v.head() == null ? null : holder(name, v.head()), Math.max(0, v.length() - 1))).build());
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Release a lock", description = "Takes the session out of the lock's queue, whether it holds the lock"
            + " or waits for it. The next session in the queue gets it.")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "204", description = "Released")
    @APIResponse(responseCode = "404", description = "NO_NODE: the session neither holds nor waits for the lock")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED (its locks are released already)")
    public CompletionStage<Response> release(@PathParam("name") String name,
            @Parameter(description = "The session (16 hex digits)", required = true) @QueryParam("session") String sessionParam) {
        String dir = Queues.Kind.LOCKS.path(Queues.validName(name));
        return Sessions.retryUnknown(corral, () -> {
            SessionEntry session = Queues.session(corral, request, sessionParam, dir);
            return queues.leave(dir, callers.of(request, session.id()), "the lock " + name).thenApply(n -> Response.noContent().build());
        });
    }

    private static Dtos.LockHolder holder(String name, Queues.Member m) {
        return new Dtos.LockHolder(name, Sessions.format(m.session()), m.path(), m.token());
    }
}
