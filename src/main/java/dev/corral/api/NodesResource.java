package dev.corral.api;

import dev.corral.node.Corral;
import dev.corral.tree.AclCheck;
import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.Paths;
import dev.corral.tree.TreeState;
import dev.corral.tree.WatchKind;
import dev.corral.tree.Znode;
import dev.corral.txn.Acl;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
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
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
 * Znodes: {@code /v1/nodes/a/b} is the znode {@code /a/b}, {@code /v1/nodes} the root. Thin: parse, call, map.
 * Reads are answered from this node's committed tree; writes complete once durable on a quorum.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "znodes")
public class NodesResource extends ClientResource {
    static final String ZXID_HEADER = "Corral-Zxid";
    static final String NODES = "/v1/nodes";
    private static final Set<String> CREATE_FIELDS = Set.of("data", "mode", "ttl", "acl", "session");
    private static final Set<String> SET_FIELDS = Set.of("data", "version", "session");


    @POST
    @Path("nodes{path: (/.*)?}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a znode", description = "Creates the znode at the path (a sequential mode appends a 10-digit counter).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.CreateRequest.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Dtos.Created.class)))
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS, INVALID_ACL, NO_CHILDREN_FOR_EPHEMERALS")
    @APIResponse(responseCode = "404", description = "NO_NODE: the parent does not exist")
    @APIResponse(responseCode = "409", description = "NODE_EXISTS")
    @APIResponse(responseCode = "403", description = "NO_AUTH")
    @APIResponse(responseCode = "410", description = "SESSION_EXPIRED")
    @APIResponse(responseCode = "503", description = "No quorum, not ready, or outcome unknown")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, description = "The secret of the session the request names, if any")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the named session's secret is missing or wrong")
    public CompletionStage<Response> create(@PathParam("path") String raw, @QueryParam("session") String sessionParam, byte[] body) {
        return Sessions.retryUnknown(corral, () -> {
            String path = createPath(requestPath(request, NODES, raw));
            JsonBody b = JsonBody.parse(body, path, CREATE_FIELDS);
            CreateMode mode = b.mode("mode");
            Long ttl = b.longValue("ttl");
            long session = Sessions.authorize(corral, request, b.string("session") != null ? b.string("session") : sessionParam, path);
            Op.Create op = new Op.Create(path, b.data("data"), b.acl("acl"), mode, ttl == null ? -1 : ttl);
            Caller caller = callers.of(request, session);
            return outcomes.await(corral.write(op, caller), path, (result, zxid) -> {
                OpResult.Created c = (OpResult.Created) result;
                return Response.status(201).header(ZXID_HEADER, zxid).entity(new Dtos.Created(c.path(), c.stat())).build();
            });
        });
    }

    @GET
    @Path("nodes{path: (/.*)?}")
    @NonBlocking
    @Operation(summary = "Read a znode", description = "Data and Stat; with children=true the child names (sorted) and Stat;"
            + " with exists=true whether it exists (never NO_NODE). Each needs READ permission on an existing znode, as in"
            + " ZooKeeper 3.9. watch=true (with a session) also leaves a one-shot watch, as"
            + " ZooKeeper's getData, getChildren and exists do; events arrive on the session's event stream.")
    @APIResponse(responseCode = "200", description = "The znode", content = @Content(schema = @Schema(implementation = Dtos.NodeData.class)))
    @APIResponse(responseCode = "404", description = "NO_NODE")
    @APIResponse(responseCode = "403", description = "NO_AUTH: the znode exists and the caller may not READ it")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, description = "The secret of the session the request names, if any")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the named session's secret is missing or wrong")
    public CompletionStage<Response> get(@PathParam("path") String raw,
            @Parameter(description = "List children instead of data") @QueryParam("children") boolean children,
            @Parameter(description = "Report existence; never 404") @QueryParam("exists") boolean exists,
            @Parameter(description = "Leave a one-shot watch (needs session)") @QueryParam("watch") boolean watch,
            @Parameter(description = "Session id: counts as a heartbeat; required for watch") @QueryParam("session") String sessionParam,
            @Parameter(description = "With children=true: at most this many names (a page); the answer's next is the"
                    + " after of the next page") @QueryParam("limit") Integer limit,
            @Parameter(description = "With children=true: only names after this one (sorted order)") @QueryParam("after") String after,
            @Parameter(description = "sequential (default): this node's tree, which may lag the leader but never goes back and"
                    + " never misses this client's own writes through this node (ZooKeeper's guarantee); linearizable: first"
                    + " waits until this node has applied the leader's commit point, confirmed by a quorum after the request arrived, so the"
                    + " answer reflects every write acknowledged anywhere before it") @QueryParam("consistency") String consistency,
            @Parameter(description = "Answer only once this node has applied this zxid (a zxid the client has seen, from any"
                    + " node); 503 OPERATION_TIMEOUT if it does not get there within the request timeout") @QueryParam("minZxid") Long minZxid) {
        return Sessions.retryUnknown(corral, () -> {
            String path = znodePath(requestPath(request, NODES, raw));
            long session = Sessions.authorize(corral, request, sessionParam, path);
            if (watch && session == 0) throw ApiException.badArguments("watch=true needs a session", path);
            Caller caller = callers.of(request, session);
            if (session != 0) corral.touchSession(session);
            WatchKind kind = children ? WatchKind.CHILD : WatchKind.DATA;
            if (!children && (limit != null || after != null)) throw ApiException.badArguments("limit and after page children=true", path);
            CompletableFuture<Outcome> gate = ReadGates.gate(corral, consistency, minZxid, path);
            if (gate == null) return read(path, session, caller, kind, watch, children, exists, limit, after);
            return outcomes.await(gate, path, (result, zxid) -> zxid).thenCompose(zxid -> read(path, session, caller, kind, watch, children,
                    exists, limit, after));
        });
    }

    private CompletionStage<Response> read(String path, long session, Caller caller, WatchKind kind, boolean watch, boolean children,
            boolean exists, Integer limit, String after) {
        return corral.watches().<CompletionStage<Response>>atomically(() -> {
            TreeState state = Reads.state(corral);
            if (watch && state.session(session) == null) {
                throw new ApiException(ErrorCode.SESSION_EXPIRED, "session " + Sessions.format(session) + " has expired or does not exist", path);
            }
            Znode node = state.find(path);
            // ZooKeeper (3.9.5) checks READ for exists too, once the znode exists: its Stat is the znode's to hide.
            // A missing znode has no ACL, so anyone learns that it is missing (and may watch for its creation).
            if (node != null && !AclCheck.permits(node.acl(), Acl.READ, caller.ids())) {
                throw new ApiException(ErrorCode.NO_AUTH, "no READ permission", path);
            }
            if (exists) {
                if (watch) Watches.add(corral, session, path, WatchKind.DATA, caller);
                return CompletableFuture.completedFuture(ok(state, new Dtos.Exists(path, node != null, node == null ? null : node.stat())));
            }
            if (node == null) throw new ApiException(ErrorCode.NO_NODE, "node does not exist", path);
            if (watch) Watches.add(corral, session, path, kind, caller);
            if (children) {
                // The node is immutable: listing it outside the registry's lock, on another thread, sees the same state.
                long bytesMax = config.limits().responseBytes();
                return Listings.run(node, () -> {
                    Listings.Page page = Listings.page(node, path, after, limit, bytesMax);
                    return ok(state, new Dtos.Children(path, page.names(), node.stat(), page.next()));
                });
            }
            return CompletableFuture.completedFuture(
                    ok(state, new Dtos.NodeData(path, Base64.getEncoder().encodeToString(node.data()), node.stat())));
        });
    }

    @PUT
    @Path("nodes{path: (/.*)?}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Set a znode's data", description = "With version, only if the znode is at that version.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.SetRequest.class)))
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = Dtos.Updated.class)))
    @APIResponse(responseCode = "404", description = "NO_NODE")
    @APIResponse(responseCode = "412", description = "BAD_VERSION")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, description = "The secret of the session the request names, if any")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the named session's secret is missing or wrong")
    public CompletionStage<Response> set(@PathParam("path") String raw, @QueryParam("session") String sessionParam, byte[] body) {
        return Sessions.retryUnknown(corral, () -> {
            String path = znodePath(requestPath(request, NODES, raw));
            JsonBody b = JsonBody.parse(body, path, SET_FIELDS);
            Op.SetData op = new Op.SetData(path, b.data("data"), b.version("version"));
            long session = Sessions.authorize(corral, request, b.string("session") != null ? b.string("session") : sessionParam, path);
            return outcomes.await(corral.write(op, callers.of(request, session)), path, (result, zxid) -> {
                OpResult.DataSet s = (OpResult.DataSet) result;
                return Response.ok(new Dtos.Updated(s.path(), s.stat())).header(ZXID_HEADER, zxid).build();
            });
        });
    }

    @DELETE
    @Path("nodes{path: (/.*)?}")
    @Operation(summary = "Delete a znode", description = "With version, only if the znode is at that version. It must have no children.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "NO_NODE")
    @APIResponse(responseCode = "409", description = "NOT_EMPTY")
    @APIResponse(responseCode = "412", description = "BAD_VERSION")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, description = "The secret of the session the request names, if any")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the named session's secret is missing or wrong")
    public CompletionStage<Response> delete(@PathParam("path") String raw, @QueryParam("version") String versionParam,
            @QueryParam("session") String sessionParam) {
        return Sessions.retryUnknown(corral, () -> {
            String path = znodePath(requestPath(request, NODES, raw));
            int version = parseVersion(versionParam, path);
            long session = Sessions.authorize(corral, request, sessionParam, path);
            return outcomes.await(corral.write(new Op.Delete(path, version), callers.of(request, session)), path,
                    (result, zxid) -> Response.noContent().header(ZXID_HEADER, zxid).build());
        });
    }

    static Response ok(TreeState state, Object entity) {
        return Response.ok(entity).header(ZXID_HEADER, state.lastZxid()).build();
    }

    /**
     * The part of the request's path after {@code collection} (such as {@code /v1/nodes}), percent-decoded but
     * otherwise as the client sent it. The framework matches routes on a normalized path, with "." and ".."
     * segments resolved, "//" collapsed and a trailing slash dropped, and {@code matched} is taken from that;
     * using it would silently turn {@code /a/../b} into {@code /b} and {@code /a/} (a sequential create's
     * parent) into {@code /a}, where ZooKeeper refuses the first and creates under the parent for the second.
     */
    static String requestPath(HttpServerRequest request, String collection, String matched) {
        String raw = request == null ? null : request.path();
        if (raw == null) return matched;
        String decoded = percentDecoded(raw);
        if (!decoded.startsWith(collection)
                || decoded.length() > collection.length() && decoded.charAt(collection.length()) != '/') {
            throw ApiException.badArguments("invalid path: the request path " + raw + " is not in normal form", null);
        }
        return decoded.substring(collection.length());
    }

    /**
     * Decodes %XX escapes as UTF-8; other characters stand for the bytes the client sent (HTTP reads them as
     * Latin-1). Refused: a malformed escape, {@code %2F} (an encoded slash would become a separator, so that
     * {@code t%2Fx} named the znode {@code x} under {@code t}; HttpGate refuses it first) and bytes that are
     * not UTF-8 (silently replacing them would name another znode than the client spelled).
     */
    private static String percentDecoded(String raw) {
        if (raw.indexOf('%') < 0 && raw.chars().allMatch(c -> c < 0x80)) return raw;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) throw ApiException.badArguments("invalid path: bad percent-encoding in " + raw, null);
                if (hi * 16 + lo == '/') throw ApiException.badArguments("invalid path: an encoded slash (%2F) in " + raw, null);
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c <= 0xff) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badArguments("invalid path: the percent-decoded path is not UTF-8 in " + raw, null);
        }
    }

    /** The znode path for the part of the URL after {@code /v1/nodes} (or another collection), validated. */
    static String znodePath(String raw) {
        String path = raw == null || raw.isEmpty() ? "/" : raw;
        String reason = Paths.invalidReason(path);
        if (reason != null) throw ApiException.badArguments("invalid path: " + reason, path);
        return path;
    }

    /**
     * A znode path given in a request body or query parameter, validated. Unlike a URL suffix, where nothing
     * after the collection means the root, a missing or empty path here is a mistake, not the root.
     */
    static String givenPath(String path) {
        if (path == null || path.isEmpty()) throw ApiException.badArguments("a \"path\" is required", null);
        return znodePath(path);
    }

    /** As {@link #znodePath}, but a trailing slash may stay: a sequential create appends its counter there. */
    static String createPath(String raw) {
        String path = raw == null || raw.isEmpty() ? "/" : raw;
        return path.length() > 1 && path.endsWith("/") ? path : znodePath(path);
    }

    static int parseVersion(String s, String path) {
        if (s == null || s.isEmpty()) return -1;
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.badArguments("version must be an integer, got \"" + s + "\"", path);
        }
        if (v < -1) throw ApiException.badArguments("version must be -1 (any) or at least 0, was " + v, path);
        return v;
    }
}
