package dev.corral.api;

import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.SessionEntry;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
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
 * Leader election for clients with no ZooKeeper library, as etcd offers it: candidates are REST sessions queued under
 * {@code /corral/elections/{name}} ({@link Queues}), each with a value; the first is the leader until it resigns or its
 * session ends, and then the next one leads. To follow an election, watch the children of its znode.
 */
@Path("/v1/elections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "elections")
public class ElectionsResource extends ClientResource {
    static final String NOT_ELECTED = "NOT_ELECTED";
    private static final Set<String> CAMPAIGN_FIELDS = Set.of("session", "waitMs", "value");
    private static final Set<String> PROCLAIM_FIELDS = Set.of("session", "value");

    @Inject
    Queues queues;

    @POST
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Campaign", description = "Makes the session a candidate with its value (the ephemeral znode"
            + " /corral/elections/{name}/{session}-{10 digits}) and answers once it leads, or fails after waitMs (0: at once)"
            + " and withdraws. Candidates lead in the order they joined. A session that is already a candidate keeps its"
            + " place (and its value), so repeating a request whose answer was lost is safe. It leads until it resigns"
            + " (DELETE) or its session ends: keep the session alive while leading.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.QueueRequest.class)))
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "The session leads", content = @Content(schema = @Schema(implementation = Dtos.Leader.class)))
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS: a bad name, body, value or waitMs; no session")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "403", description = "NO_AUTH: the ACL of /corral, /corral/elections or the election's znode forbids it")
    @APIResponse(responseCode = "409", description = "NOT_ELECTED: another session led for all of waitMs (the error names it, if the"
            + " caller may read the election's znode). The session is no longer a candidate")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    @APIResponse(responseCode = "503", description = "No quorum, or too many waiters (THROTTLED_OP); CONNECTION_LOSS if the request"
            + " could not withdraw when giving up: resign then")
    public CompletionStage<Response> campaign(@PathParam("name") String name, byte[] body) {
        String dir = Queues.Kind.ELECTIONS.path(Queues.validName(name));
        return Sessions.retryUnknown(corral, () -> {
            JsonBody b = JsonBody.parse(body, dir, CAMPAIGN_FIELDS);
            SessionEntry session = Queues.session(corral, request, b.string("session"), dir);
            byte[] value = b.data("value");
            Long waitMs = b.longValue("waitMs");
            Caller caller = callers.of(request, session.id());
            return queues.enter(dir, caller, value == null ? new byte[0] : value, waitMs == null ? 0 : waitMs, session.timeoutMs(),
                            request.connection(), NOT_ELECTED, "another session leads the election " + name)
                    .thenApply(m -> Response.ok(leader(name, m)).build());
        });
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Who leads", description = "As this node's tree shows it (it may lag the leader a little);"
            + " consistency=linearizable first catches up with the leader's commit point.")
    @APIResponse(responseCode = "200", description = "The leader (null if no candidate) and how many candidates", content = @Content(schema = @Schema(implementation = Dtos.ElectionState.class)))
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS: a bad name or consistency")
    @APIResponse(responseCode = "403", description = "NO_AUTH: the caller may not READ the election's znode")
    public CompletionStage<Response> get(@PathParam("name") String name,
            @Parameter(description = "sequential (default) or linearizable") @QueryParam("consistency") String consistency) {
        String dir = Queues.Kind.ELECTIONS.path(Queues.validName(name));
        return queues.read(dir, consistency, callers.of(request, 0)).thenApply(v -> Response.ok(
                new Dtos.ElectionState(name, v.head() == null ? null : leader(name, v.head()), v.length())).build());
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Proclaim a new value", description = "The leader replaces its value, without an election.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.ProclaimRequest.class)))
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "The leader, with its new value", content = @Content(schema = @Schema(implementation = Dtos.Leader.class)))
    @APIResponse(responseCode = "409", description = "NOT_ELECTED: the session does not lead")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public CompletionStage<Response> proclaim(@PathParam("name") String name, byte[] body) {
        String dir = Queues.Kind.ELECTIONS.path(Queues.validName(name));
        return Sessions.retryUnknown(corral, () -> {
            JsonBody b = JsonBody.parse(body, dir, PROCLAIM_FIELDS);
            SessionEntry session = Queues.session(corral, request, b.string("session"), dir);
            byte[] value = b.data("value");
            Caller caller = callers.of(request, session.id());
            return outcomes.await(corral.sync(), dir, (r, z) -> z).thenCompose(z -> {
                Queues.View v = queues.view(Reads.state(corral), dir, caller);
                if (v == null || v.head() == null || v.head().session() != session.id()) {
                    throw new ApiException(409, NOT_ELECTED, "session " + Sessions.format(session.id()) + " does not lead the election "
                            + name, dir, java.util.Map.of());
                }
                // Only this session's own znode changes: if it still exists it still leads, as no candidate can get ahead of it.
                String path = v.head().path();
                return outcomes.await(corral.write(new Op.SetData(path, value == null ? new byte[0] : value, -1), caller), path,
                        (r, zx) -> Response.ok(new Dtos.Leader(name, Sessions.format(session.id()), path, v.head().token(),
                                Base64.getEncoder().encodeToString(value == null ? new byte[0] : value))).build());
            }).exceptionally(t -> {
                if (Queues.unwrap(t) instanceof ApiException a && a.code == ErrorCode.NO_NODE) {
                    throw new ApiException(409, NOT_ELECTED, "session " + Sessions.format(session.id()) + " no longer leads the election "
                            + name, dir, java.util.Map.of());
                }
                throw new java.util.concurrent.CompletionException(Queues.unwrap(t));
            });
        });
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Resign", description = "Takes the session out of the election, leading or not; the next candidate leads.")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "204", description = "Resigned")
    @APIResponse(responseCode = "404", description = "NO_NODE: the session is not a candidate")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED (it is no candidate any more)")
    public CompletionStage<Response> resign(@PathParam("name") String name,
            @Parameter(description = "The session (16 hex digits)", required = true) @QueryParam("session") String sessionParam) {
        String dir = Queues.Kind.ELECTIONS.path(Queues.validName(name));
        return Sessions.retryUnknown(corral, () -> {
            SessionEntry session = Queues.session(corral, request, sessionParam, dir);
            return queues.leave(dir, callers.of(request, session.id()), "the election " + name).thenApply(n -> Response.noContent().build());
        });
    }

    private static Dtos.Leader leader(String name, Queues.Member m) {
        return new Dtos.Leader(name, Sessions.format(m.session()), m.path(), m.token(), Base64.getEncoder().encodeToString(m.data()));
    }
}
