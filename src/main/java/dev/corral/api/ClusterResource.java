package dev.corral.api;

import dev.corral.config.CorralConfig;
import dev.corral.config.Members;
import dev.corral.consensus.Role;
import dev.corral.node.Corral;
import dev.corral.node.NodeStatus;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cluster membership and roles, and ZooKeeper's sync. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cluster")
public class ClusterResource {
    @Inject
    Corral corral;

    @Inject
    CorralConfig config;

    @Inject
    Outcomes outcomes;

    @GET
    @Path("cluster")
    @NonBlocking
    @Operation(summary = "Members, roles, leader and term")
    @APIResponse(responseCode = "200", description = "The cluster as this node sees it",
            content = @Content(schema = @Schema(implementation = Dtos.Cluster.class)))
    public Dtos.Cluster cluster() {
        NodeStatus s = corral.status();
        Members members = Members.parse(config.members().orElse(""), config.nodeId());
        List<Dtos.Member> out = new ArrayList<>();
        for (Map.Entry<Integer, URI> m : members.urls().entrySet()) {
            int id = m.getKey();
            String role;
            if (id == s.leaderId()) role = "leader";
            else if (id == config.nodeId()) role = s.role() == Role.LEADER ? "leader" : s.role() == Role.FOLLOWER ? "follower" : "candidate";
            else role = "follower";
            String url = m.getValue() != null ? m.getValue().toString() : "";
            out.add(new Dtos.Member(id, url, role.toLowerCase(Locale.ROOT), id == config.nodeId()));
        }
        return new Dtos.Cluster(s.leaderId(), s.term(), s.commitIndex(), s.appliedZxid(), out);
    }

    @POST
    @Path("sync")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Sync", description = "Returns once every write accepted before it is applied on this node; reads that"
            + " follow then see them (ZooKeeper's sync).")
    @APIResponse(responseCode = "200", description = "Synced", content = @Content(schema = @Schema(implementation = Dtos.SyncResult.class)))
    public CompletionStage<Response> sync() {
        return outcomes.await(corral.sync(), null, (result, zxid) -> Response.ok(new Dtos.SyncResult(zxid))
                .header(NodesResource.ZXID_HEADER, zxid).build());
    }
}
