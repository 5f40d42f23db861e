package dev.corral.api;

import dev.corral.tree.AclCheck;
import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.TreeState;
import dev.corral.tree.Znode;
import dev.corral.txn.Acl;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * ACLs: {@code /v1/acls/a/b} is the ACL of znode {@code /a/b}. Reading needs READ or ADMIN; without ADMIN,
 * digest hashes are hidden (as ZooKeeper does). Setting needs ADMIN and may be conditional on the ACL version.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "acls")
public class AclsResource extends ClientResource {

    @GET
    @Path("acls{path: (/.*)?}")
    @NonBlocking
    @Operation(summary = "Read a znode's ACL")
    @APIResponse(responseCode = "200", description = "The ACL and Stat", content = @Content(schema = @Schema(implementation = Dtos.AclOf.class)))
    @APIResponse(responseCode = "404", description = "NO_NODE")
    @APIResponse(responseCode = "403", description = "NO_AUTH")
    public Response get(@PathParam("path") String raw) {
        String path = NodesResource.znodePath(NodesResource.requestPath(request, "/v1/acls", raw));
        Caller caller = callers.of(request, 0);
        TreeState state = Reads.state(corral);
        Znode node = state.find(path);
        if (node == null) throw new ApiException(ErrorCode.NO_NODE, "node does not exist", path);
        if (!AclCheck.permits(node.acl(), Acl.READ | Acl.ADMIN, caller.ids())) {
            throw new ApiException(ErrorCode.NO_AUTH, "reading an ACL needs READ or ADMIN permission", path);
        }
        List<Acl> acl = AclCheck.permits(node.acl(), Acl.ADMIN, caller.ids()) ? node.acl() : AclCheck.redacted(node.acl());
        return NodesResource.ok(state, new Dtos.AclOf(path, acl.stream().map(Dtos.AclEntry::of).toList(), node.stat()));
    }

    @PUT
    @Path("acls{path: (/.*)?}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace a znode's ACL")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dtos.SetAclRequest.class)))
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = Dtos.AclOf.class)))
    @APIResponse(responseCode = "400", description = "INVALID_ACL")
    @APIResponse(responseCode = "412", description = "BAD_VERSION")
    public CompletionStage<Response> set(@PathParam("path") String raw, byte[] body) {
        String path = NodesResource.znodePath(NodesResource.requestPath(request, "/v1/acls", raw));
        JsonBody b = JsonBody.parse(body, path, Set.of("acl", "version"));
        List<Acl> acl = b.acl("acl");
        if (acl == null) throw ApiException.badArguments("\"acl\" is required", path);
        Op.SetAcl op = new Op.SetAcl(path, acl, b.version("version"));
        return outcomes.await(corral.write(op, callers.of(request, 0)), path, (result, zxid) -> {
            OpResult.AclSet s = (OpResult.AclSet) result;
            List<Dtos.AclEntry> entries = s.acl().stream().map(Dtos.AclEntry::of).toList();
            return Response.ok(new Dtos.AclOf(path, entries, s.stat())).header(NodesResource.ZXID_HEADER, zxid).build();
        });
    }
}
