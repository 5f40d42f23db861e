package dev.corral.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.corral.tree.Stat;
import dev.corral.txn.Acl;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the REST API, as documented in OpenAPI. */
final class Dtos {
    private Dtos() {}

    @Schema(description = "Create a znode. Every field is optional.")
    record CreateRequest(
            @Schema(description = "Data, base64") String data,
            @Schema(description = "persistent (default), ephemeral, persistent_sequential, ephemeral_sequential, container, persistent_ttl, persistent_sequential_ttl")
                    String mode,
            @Schema(description = "Time to live in ms, for the TTL modes") Long ttl,
            @Schema(description = "ACL; default world:anyone with all permissions") List<AclEntry> acl,
            @Schema(description = "Session id (16 hex digits), required for ephemeral modes") String session) {}

    @Schema(description = "Replace a znode's data")
    record SetRequest(@Schema(description = "Data, base64") String data,
            @Schema(description = "Expected data version; -1 or absent: any") Integer version) {}

    @Schema(description = "Replace a znode's ACL")
    record SetAclRequest(List<AclEntry> acl, @Schema(description = "Expected ACL version; -1 or absent: any") Integer version) {}

    @Schema(description = "An ACL entry, ZooKeeper style")
    record AclEntry(@Schema(description = "world, auth, digest or ip") String scheme,
            @Schema(description = "anyone, user:base64(sha1(user:password)), an IP or CIDR") String id,
            @Schema(description = "Permission bits (READ 1, WRITE 2, CREATE 4, DELETE 8, ADMIN 16) or letters cdrwa") Object perms) {
        static AclEntry of(Acl a) {
            return new AclEntry(a.scheme(), a.id(), a.perms());
        }
    }

    record Created(String path, Stat stat) {}

    record NodeData(String path, String data, Stat stat) {}

    record Updated(String path, Stat stat) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Children(String path, List<String> children, Stat stat,
            @Schema(description = "Present when the answer is a page and more children follow: pass it as after") String next) {}

    record Exists(String path, boolean exists, Stat stat) {}

    record AclOf(String path, List<AclEntry> acl, Stat stat) {}

    @Schema(description = "Open a session")
    record SessionRequest(@Schema(description = "Requested timeout; negotiated into the configured range") Integer timeoutMs) {}

    record Session(@Schema(description = "16 hex digits") String id, int timeoutMs) {}

    record OpenedSession(@Schema(description = "16 hex digits") String id, int timeoutMs,
            @Schema(description = "32 hex digits, shown only now: send it in the Corral-Session-Secret header on every request"
                    + " that acts as this session") String secret) {}

    record SyncResult(long zxid) {}

    @Schema(description = "Register a persistent watch")
    record WatchRequest(String path, @Schema(description = "persistent or persistent_recursive") String mode) {}

    record Watch(String path, String mode) {}

    @Schema(description = "The watches a session had on another node, and the last zxid it saw there (ZooKeeper's SetWatches2)")
    record WatchRestoreRequest(@Schema(description = "The highest zxid the client saw (Corral-Zxid or an event id)") long lastZxid,
            @Schema(description = "Data watches (GET with watch=true on an existing znode)") List<String> data,
            @Schema(description = "Exists watches (GET with watch=true&exists=true on a missing znode)") List<String> exists,
            @Schema(description = "Children watches (GET with watch=true&children=true)") List<String> children,
            @Schema(description = "Persistent watches") List<String> persistent,
            @Schema(description = "Persistent recursive watches") List<String> persistentRecursive) {}

    record WatchRestoreResult(@Schema(description = "Watches set again") int restored,
            @Schema(description = "Events fired at once for changes after lastZxid; they are in the event stream") int fired,
            @Schema(description = "The zxid the watches were judged at") long zxid) {}

    @Schema(description = "A batch of operations applied all or nothing")
    record MultiRequest(List<MultiOp> ops, @Schema(description = "Session id for ephemeral creates") String session) {}

    @Schema(description = "One operation of a multi: op is create, delete, set or check; other fields as in the single calls")
    record MultiOp(String op, String path, String data, String mode, Long ttl, List<AclEntry> acl, Integer version) {}

    @Schema(description = "A batch of independent reads")
    record MultiReadRequest(List<MultiReadOp> ops) {}

    @Schema(description = "One read: op is get, children or exists")
    record MultiReadOp(String op, String path) {}

    @Schema(description = "One member as the answering node sees it. term, commitIndex, appliedZxid, ready and lag are the member's own"
            + " report (null if it did not answer within a second: then reachable is false and role is what this node knows)")
    record Member(int id, String url, @Schema(description = "leader, follower, observer, candidate or unreachable") String role, boolean self,
            boolean reachable, Long term, Long commitIndex, Long appliedZxid, Boolean ready,
            @Schema(description = "the leader's commit index minus this member's applied zxid, when both are known") Long lag,
            @Schema(description = "the port this member takes ZooKeeper clients on (corral.client-port), if it does") Integer clientPort) {}

    record Cluster(int leader, long term, long commitIndex, long appliedZxid, List<Member> members) {}

    @Schema(description = "This node's own replication status")
    record MemberStatus(int id, String role, int leader, long term, long commitIndex, long appliedZxid, long lastIndex, boolean ready,
            String notReadyReason,
            @Schema(description = "the port this node takes ZooKeeper clients on (corral.client-port), if it does") Integer clientPort) {}

    @Schema(description = "Acquire a lock, or campaign in an election, as a session")
    record QueueRequest(@Schema(description = "Session id (16 hex digits); its secret goes in the " + Sessions.SECRET_HEADER + " header",
                    required = true) String session,
            @Schema(description = "How long to wait to get to the head, in ms: 0 (default) tries once, at most 300000."
                    + " While it waits the request keeps the session alive; if it gives up, or the connection closes, the session"
                    + " leaves the queue") Long waitMs,
            @Schema(description = "Elections only: the candidate's value, base64 (for example its address)") String value) {}

    @Schema(description = "Replace the leader's value")
    record ProclaimRequest(@Schema(description = "The leader's session id", required = true) String session,
            @Schema(description = "The new value, base64") String value) {}

    @Schema(description = "A lock's holder")
    record LockHolder(@Schema(description = "The lock's name") String name,
            @Schema(description = "The holding session") String session,
            @Schema(description = "The holder's znode: /corral/locks/{name}/{session}-{10 digits}") String path,
            @Schema(description = "Fencing token: the zxid of the write that queued the holder. Every later holder's token is"
                    + " larger: give it to the resource the lock guards, and let it refuse smaller tokens") long token) {}

    @Schema(description = "A lock as this node sees it")
    record LockState(String name, @Schema(description = "Null when nobody holds it") LockHolder holder,
            @Schema(description = "Sessions waiting behind the holder") int waiting) {}

    @Schema(description = "An election's leader")
    record Leader(@Schema(description = "The election's name") String name,
            @Schema(description = "The leading session") String session,
            @Schema(description = "The leader's znode: /corral/elections/{name}/{session}-{10 digits}") String path,
            @Schema(description = "Fencing token: the zxid of the write that made this session a candidate; later leaders'"
                    + " tokens are larger") long token,
            @Schema(description = "The leader's value, base64") String value) {}

    @Schema(description = "An election as this node sees it")
    record ElectionState(String name, @Schema(description = "Null when there is no candidate") Leader leader,
            @Schema(description = "Candidates, the leader included") int candidates) {}
}
