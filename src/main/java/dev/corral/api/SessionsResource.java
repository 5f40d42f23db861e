package dev.corral.api;

import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Paths;
import dev.corral.tree.SessionEntry;
import dev.corral.tree.WatchKind;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import dev.corral.tree.WatchRegistry;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * Sessions, their heartbeats, watches and event streams. A session lives while heartbeats (keepalive, or
 * any request naming it) arrive within its timeout; closing or expiring it deletes its ephemeral znodes
 * in one transaction.
 */
@Path("/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionsResource extends ClientResource {
    @Inject
    SessionQuota quota;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Open a session", description = "The timeout is negotiated into the configured range (default 4–40 s)."
            + " The answer carries the session's secret, shown only here: every later request that acts as the session"
            + " (names it in a body or query, or under /v1/sessions/{id}) must send it in the " + Sessions.SECRET_HEADER + " header.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.SessionRequest.class)))
    @APIResponse(responseCode = "201", description = "Opened", content = @Content(schema = @Schema(implementation = Dtos.OpenedSession.class)))
    @APIResponse(responseCode = "429", description = "THROTTLED_OP: this client address already holds corral.limits.sessions-per-address open sessions")
    public CompletionStage<Response> open(byte[] body) {
        JsonBody b = JsonBody.parse(body, null, Set.of("timeoutMs"));
        Integer timeout = b.intValue("timeoutMs");
        Op.CreateSession op = new Op.CreateSession(timeout == null ? 30_000 : timeout);
        Caller caller = callers.of(request, 0);
        String address = Callers.address(request);
        quota.reserve(address);
        long[] opened = new long[1];
        return outcomes.await(corral.write(op, caller), null, (result, zxid) -> {
            OpResult.SessionOpened s = (OpResult.SessionOpened) result;
            opened[0] = s.sessionId();
            return Response.status(201).header(NodesResource.ZXID_HEADER, zxid)
                    .entity(new Dtos.OpenedSession(Sessions.format(s.sessionId()), s.timeoutMs(), s.secret().hex())).build();
        }).whenComplete((r, error) -> quota.release(address, opened[0]));
    }

    @GET
    @Path("{id}")
    @NonBlocking
    @Operation(summary = "Describe a session")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "The session", content = @Content(schema = @Schema(implementation = Dtos.Session.class)))
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public Response get(@PathParam("id") String id) {
        SessionEntry s = existing(Sessions.parse(id));
        return Response.ok(new Dtos.Session(Sessions.format(s.id()), s.timeoutMs())).build();
    }

    @POST
    @Path("{id}/keepalive")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Heartbeat", description = "Extends the session by its timeout.")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "Alive", content = @Content(schema = @Schema(implementation = Dtos.Session.class)))
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public CompletionStage<Response> keepalive(@PathParam("id") String id) {
        return Sessions.retryUnknown(corral, () -> {
            long sessionId = existing(Sessions.parse(id)).id();
            return corral.touchSession(sessionId).thenApply(alive -> {
                SessionEntry s = corral.state().session(sessionId);
                if (!alive || s == null) throw expired(sessionId);
                return Response.ok(new Dtos.Session(Sessions.format(sessionId), s.timeoutMs())).build();
            });
        });
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Close a session", description = "Its ephemeral znodes are deleted in the same transaction.")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "204", description = "Closed")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public CompletionStage<Response> close(@PathParam("id") String id) {
        return Sessions.retryUnknown(corral, () -> {
            long sessionId = existing(Sessions.parse(id)).id();
            return outcomes.await(corral.write(new Op.CloseSession(sessionId), callers.of(request, 0)), null,
                    (result, zxid) -> Response.noContent().header(NodesResource.ZXID_HEADER, zxid).build());
        });
    }

    @POST
    @Path("{id}/watches")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    @Operation(summary = "Add a persistent watch", description = "mode persistent: created, deleted, data and children events on"
            + " the path; persistent_recursive: created, deleted and data events at or below it. Stays until removed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.WatchRequest.class)))
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = Dtos.Watch.class)))
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public CompletionStage<Response> addWatch(@PathParam("id") String id, byte[] body) {
        return Sessions.retryUnknown(corral, () -> CompletableFuture.completedFuture(addWatchNow(id, body)));
    }

    private Response addWatchNow(String id, byte[] body) {
        long sessionId = existing(Sessions.parse(id)).id();
        JsonBody b = JsonBody.parse(body, null, Set.of("path", "mode"));
        String path = NodesResource.givenPath(b.string("path"));
        String mode = b.string("mode") == null ? "persistent" : b.string("mode");
        WatchKind kind = switch (mode) {
            case "persistent" -> WatchKind.PERSISTENT;
            case "persistent_recursive" -> WatchKind.PERSISTENT_RECURSIVE;
            default -> throw ApiException.badArguments("mode must be persistent or persistent_recursive, got \"" + mode + "\"", path);
        };
        corral.touchSession(sessionId);
        return corral.watches().atomically(() -> {
            existing(sessionId);
            Watches.add(corral, sessionId, path, kind, callers.of(request, sessionId));
            return Response.status(201).header(NodesResource.ZXID_HEADER, corral.state().lastZxid()).entity(new Dtos.Watch(path, mode)).build();
        });
    }

    @POST
    @Path("{id}/watches/restore")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    @Operation(summary = "Restore watches after moving to this node", description = "For a client whose node went away:"
            + " sets again the watches it had there, judged against the last zxid it saw, as ZooKeeper's servers do for a"
            + " reconnecting client. A data watch whose znode is gone fires NodeDeleted, one whose data changed since fires"
            + " NodeDataChanged; an exists watch whose znode now exists fires NodeCreated; a children watch whose znode is gone"
            + " fires NodeDeleted, one whose children changed since NodeChildrenChanged. A watch that fired is spent (it was"
            + " one-shot); the others, and persistent ones, are set. Events go to the session's event stream here: open it"
            + " without Last-Event-ID. Waits until this node has applied lastZxid (at most corral.limits.request-timeout).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.WatchRestoreRequest.class)))
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "Restored", content = @Content(schema = @Schema(implementation = Dtos.WatchRestoreResult.class)))
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS: a bad path or zxid, or more watched paths than the session's quota")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public CompletionStage<Response> restoreWatches(@PathParam("id") String id, byte[] body) {
        return Sessions.retryUnknown(corral, () -> {
            long sessionId = existing(Sessions.parse(id)).id();
            JsonBody b = JsonBody.parse(body, null, Set.of("lastZxid", "data", "exists", "children", "persistent", "persistentRecursive"));
            Long lastZxid = b.longValue("lastZxid");
            if (lastZxid == null) throw ApiException.badArguments("lastZxid is required: the highest zxid the client saw", null);
            ReadGates.checkWaitable(corral, lastZxid, "lastZxid", null);
            List<WatchRegistry.Restored> watches = new java.util.ArrayList<>();
            restoring(b, "data", WatchRegistry.RestoredKind.DATA, watches);
            restoring(b, "exists", WatchRegistry.RestoredKind.EXISTS, watches);
            restoring(b, "children", WatchRegistry.RestoredKind.CHILD, watches);
            restoring(b, "persistent", WatchRegistry.RestoredKind.PERSISTENT, watches);
            restoring(b, "persistentRecursive", WatchRegistry.RestoredKind.PERSISTENT_RECURSIVE, watches);
            Caller caller = callers.of(request, sessionId);
            corral.touchSession(sessionId);
            CompletableFuture<Long> applied = lastZxid <= corral.state().lastZxid() ? CompletableFuture.completedFuture(0L)
                    : outcomes.await(corral.awaitApplied(lastZxid), null, (result, zxid) -> zxid).toCompletableFuture();
            return applied.thenApply(ignored -> corral.watches().atomically(() -> {
                existing(sessionId);
                var state = corral.state();
                int fired = corral.watches().restore(sessionId, caller.ids(), lastZxid, state, watches);
                if (fired < 0) throw Watches.quotaReached(corral, null);
                return Response.ok(new Dtos.WatchRestoreResult(watches.size() - fired, fired, state.lastZxid()))
                        .header(NodesResource.ZXID_HEADER, state.lastZxid()).build();
            }));
        });
    }

    /** Adds the paths of list {@code field} (validated, at most the session's quota in all) as watches of {@code kind}. */
    private void restoring(JsonBody b, String field, WatchRegistry.RestoredKind kind, List<WatchRegistry.Restored> into) {
        com.fasterxml.jackson.databind.JsonNode list = b.raw().get(field);
        if (list == null || list.isNull()) return;
        if (!list.isArray()) throw ApiException.badArguments("\"" + field + "\" must be a list of paths", null);
        for (com.fasterxml.jackson.databind.JsonNode p : list) {
            if (!p.isTextual()) throw ApiException.badArguments("\"" + field + "\" must be a list of paths", null);
            if (into.size() >= corral.watches().pathsPerSessionMax()) {
                throw ApiException.badArguments("more watches than a session may have (" + corral.watches().pathsPerSessionMax() + ")", null);
            }
            into.add(new WatchRegistry.Restored(NodesResource.givenPath(p.asText()), kind));
        }
    }

    @DELETE
    @Path("{id}/watches")
    @NonBlocking
    @Operation(summary = "Remove watches", description = "type: any (default), data, children, persistent or persistent_recursive.")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "404", description = "NO_WATCHER: none of that type on the path")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public CompletionStage<Response> removeWatches(@PathParam("id") String id, @QueryParam("path") String rawPath,
            @Parameter(description = "any, data, children, persistent, persistent_recursive") @QueryParam("type") String type) {
        return Sessions.retryUnknown(corral, () -> CompletableFuture.completedFuture(removeWatchesNow(id, rawPath, type)));
    }

    private Response removeWatchesNow(String id, String rawPath, String type) {
        long sessionId = existing(Sessions.parse(id)).id();
        String path = NodesResource.givenPath(rawPath);
        Set<WatchKind> kinds = switch (type == null ? "any" : type) {
            case "any" -> EnumSet.allOf(WatchKind.class);
            case "data" -> EnumSet.of(WatchKind.DATA);
            case "children" -> EnumSet.of(WatchKind.CHILD);
            case "persistent" -> EnumSet.of(WatchKind.PERSISTENT);
            case "persistent_recursive" -> EnumSet.of(WatchKind.PERSISTENT_RECURSIVE);
            default -> throw ApiException.badArguments("unknown watch type \"" + type + "\"", path);
        };
        if (!corral.watches().remove(sessionId, path, kinds)) {
            throw new ApiException(ErrorCode.NO_WATCHER, "no such watch on " + path, path);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The session's watch events", description = "Server-Sent Events: event watch with data"
            + " {type, path, zxid} and id = zxid of the change (when one change causes several events, only the last of them carries the id). Reconnect with Last-Event-ID to receive every event missed;"
            + " if they are no longer kept (or the node restarted), one resync event says to re-read and re-register watches."
            + " Event session {state: closed} ends the stream when the session closes or expires.")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, required = true, description = "The session's secret")
    @APIResponse(responseCode = "200", description = "The stream")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the session's secret is missing or wrong")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    public void events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink,
            @Context Sse sse) {
        long sessionId = Sessions.retryUnknownBlocking(corral, config.limits().requestTimeout().toMillis(),
                () -> existing(Sessions.parse(id)).id());
        long last;
        try {
            last = lastEventId == null || lastEventId.isBlank() ? -1 : Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badArguments("Last-Event-ID must be a zxid, got \"" + lastEventId + "\"", null);
        }
        var connection = request.connection();
        new EventStream(sink, sse, corral.watches().journal(sessionId), config.limits().streamBufferBytes(),
                () -> abort(connection)).start(last);
    }

    /**
     * Closes a connection now, dropping what is queued for it. Vert.x makes every close graceful, even the channel's
     * own (its handler turns it into "flush what is queued, then close"), and what is queued never flushes for a client
     * that does not read: the connection, and the buffers it holds, would stay until the client went away. Netty's
     * low-level close does not wait; the pipeline still hears that the channel is inactive, so Vert.x cleans up.
     */
    private static void abort(io.vertx.core.http.HttpConnection connection) {
        if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
            io.netty.channel.Channel ch = base.channel();
            ch.eventLoop().execute(() -> ch.unsafe().close(ch.unsafe().voidPromise()));
        } else {
            connection.close();
        }
    }

    /** The session, once the request has proven it may act as it (its secret). */
    private SessionEntry existing(long sessionId) {
        return Sessions.entry(corral, request, sessionId, null);
    }

    private static ApiException expired(long sessionId) {
        return Sessions.expired(sessionId, null);
    }


}
