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
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
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

    @Inject
    dev.corral.zk.server.ZkServer zkServer;

    private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** The configured members, parsed once (configuration does not change while the node runs). */
    private volatile Members members;

    private Members members() {
        Members m = members;
        if (m == null) members = m = Members.parse(config.members().orElse(""), config.observers().orElse(""), config.nodeId());
        return m;
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(MEMBER_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

    @GET
    @Path("cluster")
    @NonBlocking
    @Operation(summary = "Members, roles, leader and term", description = "Each member's role, term, commit index, applied zxid,"
            + " readiness and lag, as it reports them itself (asked with a one-second timeout; a member that does not answer is"
            + " shown unreachable).")
    @APIResponse(responseCode = "200", description = "The cluster as this node sees it",
            content = @Content(schema = @Schema(implementation = Dtos.Cluster.class)))
    public CompletionStage<Dtos.Cluster> cluster() {
        NodeStatus s = corral.status();
        Members members = members();
        List<CompletableFuture<Dtos.MemberStatus>> asked = new ArrayList<>();
        List<Map.Entry<Integer, URI>> entries = new ArrayList<>(members.urls().entrySet());
        for (Map.Entry<Integer, URI> m : entries) {
            asked.add(m.getKey() == config.nodeId() || m.getValue() == null ? CompletableFuture.completedFuture(self(s)) : ask(m.getValue()));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Long leaderCommit = null;
            for (int i = 0; i < entries.size(); i++) {
                Dtos.MemberStatus r = asked.get(i).join();
                if (r != null && r.id() == s.leaderId()) leaderCommit = r.commitIndex();
            }
            List<Dtos.Member> out = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                int id = entries.get(i).getKey();
                String url = entries.get(i).getValue() != null ? entries.get(i).getValue().toString() : "";
                Dtos.MemberStatus r = asked.get(i).join();
                if (r == null) {
                    out.add(new Dtos.Member(id, url, id == s.leaderId() ? "leader" : "unreachable", false, false, null, null, null, null, null, null));
                } else {
                    Long lag = leaderCommit == null ? null : Math.max(0, leaderCommit - r.appliedZxid());
                    out.add(new Dtos.Member(id, url, r.role(), id == config.nodeId(), true, r.term(), r.commitIndex(), r.appliedZxid(), r.ready(), lag,
                            r.clientPort()));
                }
            }
            return new Dtos.Cluster(s.leaderId(), s.term(), s.commitIndex(), s.appliedZxid(), out);
        });
    }

    @GET
    @Path("cluster/self")
    @NonBlocking
    @Operation(summary = "This node's replication status", description = "Role, known leader, term, commit index, applied zxid,"
            + " last log index and readiness of the answering node.")
    @APIResponse(responseCode = "200", description = "This node", content = @Content(schema = @Schema(implementation = Dtos.MemberStatus.class)))
    public Dtos.MemberStatus self() {
        return self(corral.status());
    }

    private Dtos.MemberStatus self(NodeStatus s) {
        boolean observer = members().observers().contains(s.nodeId());
        return new Dtos.MemberStatus(s.nodeId(), observer ? "observer" : roleName(s.role()), s.leaderId(), s.term(), s.commitIndex(), s.appliedZxid(), s.lastIndex(),
                s.isReady(), s.notReadyReason(), zkServer.port() < 0 ? null : zkServer.port());
    }

    static String roleName(Role role) {
        return switch (role) {
            case LEADER -> "leader";
            case FOLLOWER -> "follower";
            default -> "candidate";
        };
    }

    /** A member's own status, or null if it does not answer in time. */
    private CompletableFuture<Dtos.MemberStatus> ask(URI base) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/cluster/self")).timeout(MEMBER_TIMEOUT).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((res, failure) -> {
            if (failure != null || res.statusCode() != 200) return null;
            try {
                return MAPPER.readValue(res.body(), Dtos.MemberStatus.class);
            } catch (IOException e) {
                return null;
            }
        });
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
