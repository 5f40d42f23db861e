package dev.corral.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.tree.AclCheck;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.TreeState;
import dev.corral.tree.Znode;
import dev.corral.txn.TxnLimits;
import dev.corral.txn.Acl;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Batches: {@code /v1/multi} (all-or-nothing writes) and {@code /v1/multi-read} (independent reads). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "znodes")
public class MultiResource extends ClientResource {
    private static final Set<String> MULTI_FIELDS = Set.of("ops", "session");
    private static final int OPS_MAX = TxnLimits.MULTI_OPS_MAX;
    /** A result's JSON beyond its path, data and names: op, code, the Stat's eleven fields, punctuation. */
    private static final int RESULT_OVERHEAD_BYTES = 320;


    @POST
    @Path("multi")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Apply operations all or nothing", description = "ops: create, delete, set and check, applied in order at one"
            + " zxid, each seeing the effects of those before it. On failure nothing changes; the error names the failing op"
            + " (failedOp) and results give each op's code: OK before it, its error, RUNTIME_INCONSISTENCY after, as ZooKeeper reports.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.MultiRequest.class)))
    @APIResponse(responseCode = "200", description = "All applied; results per op")
    @APIResponse(responseCode = "4XX", description = "The failing op's error, with failedOp and results")
    @Parameter(name = Sessions.SECRET_HEADER, in = ParameterIn.HEADER, description = "The secret of the session the request names, if any")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED: the named session's secret is missing or wrong")
    public CompletionStage<Response> multi(byte[] body) {
        return Sessions.retryUnknown(corral, () -> {
            JsonBody b = JsonBody.parse(body, null, MULTI_FIELDS);
            long session = Sessions.authorize(corral, request, b.string("session"), null);
            List<Op> ops = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (ObjectNode o : opNodes(b)) {
                String kind = textOf(o, "op");
                kinds.add(kind);
                try {
                    ops.add(parseWriteOp(kind, o));
                } catch (ApiException e) {
                    // Refused before validation (a malformed path, a bad field): still say which operation it was.
                    throw new ApiException(e.status, e.code, "operation " + ops.size() + ": " + e.getMessage(), e.path,
                            Map.of("failedOp", ops.size()));
                }
            }
            return outcomes.await(corral.write(new Op.Multi(ops), callers.of(request, session)), null, (result, zxid) -> {
                List<OpResult> results = ((OpResult.MultiDone) result).results();
                List<Map<String, Object>> out = new ArrayList<>(results.size());
                for (int i = 0; i < results.size(); i++) out.add(describe(kinds.get(i), results.get(i)));
                return Response.ok(resultsAndZxid(out, zxid)).header(NodesResource.ZXID_HEADER, zxid).build();
            });
        });
    }

    @POST
    @Path("multi-read")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Read several znodes at once", description = "ops: get, children and exists, all answered from one"
            + " consistent state. Each result is independent: a missing znode gives that op a NO_NODE result, not a failed request;"
            + " an existing znode the caller may not READ gives NO_AUTH, for exists too. The whole answer is bounded"
            + " (corral.limits.response-bytes); a request whose answer would be larger is refused.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.MultiReadRequest.class)))
    @APIResponse(responseCode = "200", description = "One result per op, in order")
    @APIResponse(responseCode = "400", description = "BAD_ARGUMENTS, also when the answer would exceed corral.limits.response-bytes")
    public Response multiRead(byte[] body) {
        // Not @NonBlocking: an answer of up to response-bytes is built and encoded here, off the event loop.
        JsonBody b = JsonBody.parse(body, null, Set.of("ops"));
        List<ObjectNode> nodes = opNodes(b);
        var caller = callers.of(request, 0);
        TreeState state = Reads.state(corral);
        long bytesMax = config.limits().responseBytes();
        long bytes = 0;
        List<Map<String, Object>> results = new ArrayList<>();
        for (ObjectNode o : nodes) {
            JsonBody op = JsonBody.of(o, null, Set.of("op", "path"));
            String kind = op.string("op");
            String path = NodesResource.givenPath(op.string("path"));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("op", kind);
            r.put("path", path);
            Znode node = state.find(path);
            // Counted before the result is built, so that an oversized request stops before it costs its size.
            bytes += RESULT_OVERHEAD_BYTES + path.length() + (node == null ? 0
                    : "get".equals(kind) ? 4L * ((node.data().length + 2) / 3) : "children".equals(kind) ? Listings.nameBytes(node) : 0);
            if (bytes > bytesMax) {
                throw ApiException.badArguments("the answer to these " + nodes.size() + " reads would take more than " + bytesMax
                        + " bytes (corral.limits.response-bytes); read fewer znodes per request", null);
            }
            switch (kind == null ? "" : kind) {
                case "exists" -> {
                    if (node != null && !AclCheck.permits(node.acl(), Acl.READ, caller.ids())) {
                        r.put("code", ErrorCode.NO_AUTH.name());
                    } else {
                        r.put("exists", node != null);
                        r.put("stat", node == null ? null : node.stat());
                    }
                }
                case "get", "children" -> {
                    if (node == null) {
                        r.put("code", ErrorCode.NO_NODE.name());
                    } else if (!AclCheck.permits(node.acl(), Acl.READ, caller.ids())) {
                        r.put("code", ErrorCode.NO_AUTH.name());
                    } else if (kind.equals("get")) {
                        r.put("data", Base64.getEncoder().encodeToString(node.data()));
                        r.put("stat", node.stat());
                    } else {
                        List<String> names = node.childNames();
                        names.sort(null);
                        r.put("children", names);
                        r.put("stat", node.stat());
                    }
                }
                default -> throw ApiException.badArguments("unknown read op \"" + kind + "\"; expected get, children or exists", path);
            }
            results.add(r);
        }
        return NodesResource.ok(state, resultsAndZxid(results, state.lastZxid()));
    }

    /** {@code {"results":[…],"zxid":n}}, always in that order (Map.of iterates in an order that changes from run to run). */
    private static Map<String, Object> resultsAndZxid(List<?> results, long zxid) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        body.put("zxid", zxid);
        return body;
    }

    private static List<ObjectNode> opNodes(JsonBody b) {
        JsonNode ops = b.raw().get("ops");
        if (ops == null || !ops.isArray()) throw ApiException.badArguments("\"ops\" must be an array of operations", null);
        if (ops.size() > OPS_MAX) throw ApiException.badArguments("at most " + OPS_MAX + " ops per request", null);
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode o : ops) {
            if (!(o instanceof ObjectNode obj)) throw ApiException.badArguments("each op must be an object", null);
            out.add(obj);
        }
        return out;
    }

    private static String textOf(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static Op parseWriteOp(String kind, ObjectNode o) {
        String rawPath = textOf(o, "path");
        if (rawPath == null || rawPath.isEmpty()) throw ApiException.badArguments("each op needs a \"path\" string", null);
        return switch (kind == null ? "" : kind) {
            case "create" -> {
                JsonBody b = JsonBody.of(o, rawPath, Set.of("op", "path", "data", "mode", "ttl", "acl"));
                Long ttl = b.longValue("ttl");
                yield new Op.Create(NodesResource.createPath(rawPath), b.data("data"), b.acl("acl"), b.mode("mode"), ttl == null ? -1 : ttl);
            }
            case "delete" -> {
                JsonBody b = JsonBody.of(o, rawPath, Set.of("op", "path", "version"));
                yield new Op.Delete(NodesResource.znodePath(rawPath), b.version("version"));
            }
            case "set" -> {
                JsonBody b = JsonBody.of(o, rawPath, Set.of("op", "path", "data", "version"));
                yield new Op.SetData(NodesResource.znodePath(rawPath), b.data("data"), b.version("version"));
            }
            case "check" -> {
                JsonBody b = JsonBody.of(o, rawPath, Set.of("op", "path", "version"));
                yield new Op.Check(NodesResource.znodePath(rawPath), b.version("version"));
            }
            default -> throw ApiException.badArguments("unknown op \"" + kind + "\"; expected create, delete, set or check", rawPath);
        };
    }

    private static Map<String, Object> describe(String kind, OpResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", kind);
        switch (r) {
            case OpResult.Created c -> {
                m.put("path", c.path());
                m.put("stat", c.stat());
            }
            case OpResult.DataSet s -> {
                m.put("path", s.path());
                m.put("stat", s.stat());
            }
            case OpResult.Deleted d -> m.put("path", d.path());
            case OpResult.Checked c -> m.put("path", c.path());
            default -> { }
        }
        return m;
    }
}
