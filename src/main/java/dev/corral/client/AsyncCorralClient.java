package dev.corral.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The asynchronous face of a {@link CorralClient} ({@link CorralClient#async()}): the same operations, each returning a
 * {@link CompletableFuture} at once. A future fails with the {@link CorralException} the synchronous call would throw
 * (as its cause, when seen through {@code get} or {@code join}). Futures complete on the client's internal threads:
 * chain quick work, or pass an executor of your own ({@code thenApplyAsync(f, executor)}) for slow work.
 *
 * <p>Each method's meaning, errors and retries are those of the synchronous method of the same name.
 */
public final class AsyncCorralClient {
    private static final String NODES = "/v1/nodes";
    private static final String ACLS = "/v1/acls";

    private final Transport transport;
    private final SessionKeeper keeper;
    private final WatchTable watches;

    AsyncCorralClient(Transport transport, SessionKeeper keeper, WatchTable watches) {
        this.transport = transport;
        this.keeper = keeper;
        this.watches = watches;
    }

    /** The client's session, opened now if it has none. See {@link CorralClient#session()}. */
    public CompletableFuture<Session> session() {
        return api(keeper::session);
    }

    // ---- create ----

    /** Creates a persistent znode with the default ACL. See {@link CorralClient#create(String, byte[], CreateOptions)}. */
    public CompletableFuture<Created> create(String path, byte[] data) {
        return create(path, data, CreateOptions.PERSISTENT);
    }

    /** Creates a znode in {@code mode} with the default ACL. See {@link CorralClient#create(String, byte[], CreateOptions)}. */
    public CompletableFuture<Created> create(String path, byte[] data, CreateMode mode) {
        return create(path, data, CreateOptions.of(mode));
    }

    /** Creates a znode. See {@link CorralClient#create(String, byte[], CreateOptions)}. */
    public CompletableFuture<Created> create(String path, byte[] data, CreateOptions options) {
        Objects.requireNonNull(options, "options");
        return api(() -> {
            ObjectNode body = Json.object();
            if (data != null && data.length > 0) body.put("data", Json.base64(data));
            body.put("mode", options.mode().restName());
            if (options.ttl() != null) body.put("ttl", options.ttl().toMillis());
            if (options.acl() != null) body.set("acl", Json.acl(options.acl()));
            String target = nodes(path);
            Function<Reply, Created> created = r -> new Created(Json.text(r.body(), "path"), Json.stat(r.body().get("stat")));
            if (!options.mode().isEphemeral()) return transport.send(Call.write("POST", target, Json.bytes(body), path)).thenApply(created);
            return asSession(s -> {
                body.put("session", s.id());
                return transport.send(Call.write("POST", target, Json.bytes(body), path).as(s.secret()));
            }).thenApply(created);
        });
    }

    // ---- reads ----

    /** Reads a znode's data and Stat. See {@link CorralClient#getData(String, Watcher, ReadOptions)}. */
    public CompletableFuture<NodeData> getData(String path) {
        return getData(path, null, ReadOptions.DEFAULT);
    }

    /** Reads a znode's data and Stat, leaving a one-shot watch. See {@link CorralClient#getData(String, Watcher, ReadOptions)}. */
    public CompletableFuture<NodeData> getData(String path, Watcher watcher) {
        return getData(path, watcher, ReadOptions.DEFAULT);
    }

    /** Reads a znode's data and Stat. See {@link CorralClient#getData(String, Watcher, ReadOptions)}. */
    public CompletableFuture<NodeData> getData(String path, Watcher watcher, ReadOptions options) {
        return api(() -> read(path, "", watcher, options, WatchTable.Kind.DATA, r -> WatchTable.Kind.DATA)
                .thenApply(r -> new NodeData(Json.text(r.body(), "path"), Json.data(r.body().get("data")), Json.stat(r.body().get("stat")))));
    }

    /** A znode's Stat, or null if it does not exist. See {@link CorralClient#exists(String, Watcher, ReadOptions)}. */
    public CompletableFuture<Stat> exists(String path) {
        return exists(path, null, ReadOptions.DEFAULT);
    }

    /** A znode's Stat or null, leaving a one-shot watch. See {@link CorralClient#exists(String, Watcher, ReadOptions)}. */
    public CompletableFuture<Stat> exists(String path, Watcher watcher) {
        return exists(path, watcher, ReadOptions.DEFAULT);
    }

    /** A znode's Stat, or null if it does not exist. See {@link CorralClient#exists(String, Watcher, ReadOptions)}. */
    public CompletableFuture<Stat> exists(String path, Watcher watcher, ReadOptions options) {
        return api(() -> read(path, "exists=true", watcher, options, WatchTable.Kind.DATA,
                r -> r.body().path("exists").asBoolean() ? WatchTable.Kind.DATA : WatchTable.Kind.EXISTS)
                .thenApply(r -> r.body().path("exists").asBoolean() ? Json.stat(r.body().get("stat")) : null));
    }

    /** A znode's children. See {@link CorralClient#getChildren(String, Watcher, ReadOptions)}. */
    public CompletableFuture<Children> getChildren(String path) {
        return getChildren(path, null, ReadOptions.DEFAULT);
    }

    /** A znode's children, leaving a one-shot watch. See {@link CorralClient#getChildren(String, Watcher, ReadOptions)}. */
    public CompletableFuture<Children> getChildren(String path, Watcher watcher) {
        return getChildren(path, watcher, ReadOptions.DEFAULT);
    }

    /** A znode's children. See {@link CorralClient#getChildren(String, Watcher, ReadOptions)}. */
    public CompletableFuture<Children> getChildren(String path, Watcher watcher, ReadOptions options) {
        return api(() -> read(path, "children=true", watcher, options, WatchTable.Kind.CHILD, r -> WatchTable.Kind.CHILD).thenApply(AsyncCorralClient::children));
    }

    /** One page of a znode's children. See {@link CorralClient#getChildrenPage}. */
    public CompletableFuture<Children> getChildrenPage(String path, String after, int limit, ReadOptions options) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        String query = "children=true&limit=" + limit + (after == null ? "" : "&after=" + UrlPaths.query(after));
        return api(() -> read(path, query, null, options, WatchTable.Kind.CHILD, r -> WatchTable.Kind.CHILD).thenApply(AsyncCorralClient::children));
    }

    private static Children children(Reply r) {
        JsonNode b = r.body();
        return new Children(Json.text(b, "path"), Json.strings(b.get("children")), Json.stat(b.get("stat")), Json.text(b, "next"));
    }

    /**
     * {@code GET /v1/nodes{path}?{query}} with the read options; with a watcher, as the session, leaving a watch of
     * kind {@code kind} until the answer comes, and then of the kind {@code kindOf} tells from it.
     */
    private CompletableFuture<Reply> read(String path, String query, Watcher watcher, ReadOptions options, WatchTable.Kind kind,
            Function<Reply, WatchTable.Kind> kindOf) {
        Objects.requireNonNull(options, "options");
        StringBuilder q = new StringBuilder(query);
        if (options.consistency() == Consistency.LINEARIZABLE) q.append(q.isEmpty() ? "" : "&").append("consistency=linearizable");
        String target = nodes(path);
        if (watcher == null) return transport.send(Call.read(target + (q.isEmpty() ? "" : "?" + q), path, options.minZxid()));
        return asSession(s -> {
            q.append(q.isEmpty() ? "" : "&").append("watch=true&session=").append(s.id());
            // Entered before the request: its event may come on the stream before the answer comes here.
            WatchTable.Entry entry = watches.add(path, kind, watcher, transport.lastZxidSeen());
            return transport.send(Call.read(target + "?" + q, path, options.minZxid()).as(s.secret())).whenComplete((r, e) -> {
                if (e != null) {
                    watches.remove(entry);
                } else {
                    watches.confirm(entry, kindOf.apply(r), r.zxid());
                    keeper.watchSetOn(r.server());
                }
            });
        });
    }

    // ---- writes ----

    /** Sets a znode's data, whatever its version. See {@link CorralClient#setData(String, byte[], int)}. */
    public CompletableFuture<Stat> setData(String path, byte[] data) {
        return setData(path, data, -1);
    }

    /** Sets a znode's data if it is at {@code version}. See {@link CorralClient#setData(String, byte[], int)}. */
    public CompletableFuture<Stat> setData(String path, byte[] data, int version) {
        return api(() -> {
            ObjectNode body = Json.object();
            if (data != null && data.length > 0) body.put("data", Json.base64(data));
            body.put("version", version);
            return transport.send(Call.write("PUT", nodes(path), Json.bytes(body), path)).thenApply(r -> Json.stat(r.body().get("stat")));
        });
    }

    /** Deletes a znode, whatever its version. See {@link CorralClient#delete(String, int)}. */
    public CompletableFuture<Void> delete(String path) {
        return delete(path, -1);
    }

    /** Deletes a znode if it is at {@code version}. See {@link CorralClient#delete(String, int)}. */
    public CompletableFuture<Void> delete(String path, int version) {
        return api(() -> transport.send(Call.write("DELETE", nodes(path) + "?version=" + version, null, path)).thenApply(r -> null));
    }

    // ---- ACLs ----

    /** A znode's ACL and Stat. See {@link CorralClient#getAcl(String)}. */
    public CompletableFuture<NodeAcl> getAcl(String path) {
        return api(() -> transport.send(new Call("GET", acls(path), null, null, Call.Kind.IDEMPOTENT, 0, path, null, -1, -1))
                .thenApply(AsyncCorralClient::nodeAcl));
    }

    /** Replaces a znode's ACL if it is at ACL version {@code aclVersion}. See {@link CorralClient#setAcl(String, List, int)}. */
    public CompletableFuture<NodeAcl> setAcl(String path, List<Acl> acl, int aclVersion) {
        Objects.requireNonNull(acl, "acl");
        return api(() -> {
            ObjectNode body = Json.object();
            body.set("acl", Json.acl(acl));
            body.put("version", aclVersion);
            return transport.send(Call.write("PUT", acls(path), Json.bytes(body), path)).thenApply(AsyncCorralClient::nodeAcl);
        });
    }

    private static NodeAcl nodeAcl(Reply r) {
        return new NodeAcl(Json.text(r.body(), "path"), Json.acl(r.body().get("acl")), Json.stat(r.body().get("stat")));
    }

    // ---- multi, sync ----

    /** Applies {@code ops} all or nothing. See {@link CorralClient#multi(List)}. */
    public CompletableFuture<List<OpResult>> multi(List<Op> ops) {
        Objects.requireNonNull(ops, "ops");
        return api(() -> {
            ObjectNode body = Json.object();
            ArrayNode array = body.putArray("ops");
            boolean ephemeral = false;
            for (Op op : ops) {
                ObjectNode o = array.addObject();
                switch (op) {
                    case Op.Create c -> {
                        o.put("op", "create").put("path", c.path());
                        if (c.data() != null && c.data().length > 0) o.put("data", Json.base64(c.data()));
                        o.put("mode", c.options().mode().restName());
                        if (c.options().ttl() != null) o.put("ttl", c.options().ttl().toMillis());
                        if (c.options().acl() != null) o.set("acl", Json.acl(c.options().acl()));
                        ephemeral |= c.options().mode().isEphemeral();
                    }
                    case Op.Delete d -> o.put("op", "delete").put("path", d.path()).put("version", d.version());
                    case Op.SetData s -> {
                        o.put("op", "set").put("path", s.path());
                        if (s.data() != null && s.data().length > 0) o.put("data", Json.base64(s.data()));
                        o.put("version", s.version());
                    }
                    case Op.Check c -> o.put("op", "check").put("path", c.path()).put("version", c.version());
                }
            }
            Function<Reply, List<OpResult>> results = AsyncCorralClient::results;
            if (!ephemeral) return transport.send(Call.write("POST", "/v1/multi", Json.bytes(body), null)).thenApply(results);
            return asSession(s -> {
                body.put("session", s.id());
                return transport.send(Call.write("POST", "/v1/multi", Json.bytes(body), null).as(s.secret()));
            }).thenApply(results);
        });
    }

    private static List<OpResult> results(Reply r) {
        List<OpResult> out = new ArrayList<>();
        for (JsonNode e : r.body().path("results")) {
            String path = Json.text(e, "path");
            out.add(switch (e.path("op").asText()) {
                case "create" -> new OpResult.CreateResult(path, Json.stat(e.get("stat")));
                case "delete" -> new OpResult.DeleteResult(path);
                case "set" -> new OpResult.SetDataResult(path, Json.stat(e.get("stat")));
                default -> new OpResult.CheckResult(path);
            });
        }
        return out;
    }

    /** Waits until the current node has applied every write accepted before it. See {@link CorralClient#sync()}. */
    public CompletableFuture<Long> sync() {
        return api(() -> transport.send(Call.idempotent("POST", "/v1/sync", null)).thenApply(r -> r.body().path("zxid").asLong()));
    }

    // ---- cluster, sessions ----

    /** The cluster's members and roles. See {@link CorralClient#cluster()}. */
    public CompletableFuture<ClusterStatus> cluster() {
        return api(() -> transport.send(Call.idempotent("GET", "/v1/cluster", null)).thenApply(r -> clusterStatus(r.body())));
    }

    /** A session, described. See {@link CorralClient#sessionInfo(String, String)}. */
    public CompletableFuture<SessionInfo> sessionInfo(String id, String secret) {
        Objects.requireNonNull(id, "id");
        return api(() -> transport.send(Call.idempotent("GET", "/v1/sessions/" + UrlPaths.query(id), null).as(secret))
                .thenApply(r -> new SessionInfo(Json.text(r.body(), "id"), Duration.ofMillis(r.body().path("timeoutMs").asLong()))));
    }

    private static ClusterStatus clusterStatus(JsonNode b) {
        List<ClusterStatus.Member> members = new ArrayList<>();
        for (JsonNode m : b.path("members")) {
            members.add(new ClusterStatus.Member(m.path("id").asInt(), m.path("url").asText(""), m.path("role").asText(), m.path("self").asBoolean(),
                    m.path("reachable").asBoolean(), longOrNull(m, "term"), longOrNull(m, "commitIndex"), longOrNull(m, "appliedZxid"),
                    m.hasNonNull("ready") ? m.get("ready").asBoolean() : null, longOrNull(m, "lag"),
                    m.hasNonNull("clientPort") ? m.get("clientPort").asInt() : null));
        }
        return new ClusterStatus(b.path("leader").asInt(), b.path("term").asLong(), b.path("commitIndex").asLong(), b.path("appliedZxid").asLong(),
                members);
    }

    private static Long longOrNull(JsonNode parent, String field) {
        return parent.hasNonNull(field) ? parent.get(field).asLong() : null;
    }

    // ---- persistent watches ----

    /** Adds a persistent watch. See {@link CorralClient#addWatch(String, WatchMode, Watcher)}. */
    public CompletableFuture<Void> addWatch(String path, WatchMode mode, Watcher watcher) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(watcher, "watcher");
        return api(() -> asSession(s -> {
            ObjectNode body = Json.object();
            body.put("path", path).put("mode", mode.restName());
            WatchTable.Entry entry = watches.add(path, mode == WatchMode.PERSISTENT ? WatchTable.Kind.PERSISTENT
                    : WatchTable.Kind.PERSISTENT_RECURSIVE, watcher, transport.lastZxidSeen());
            return transport.send(Call.idempotent("POST", "/v1/sessions/" + s.id() + "/watches", Json.bytes(body)).as(s.secret()))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            watches.remove(entry);
                        } else {
                            watches.confirm(entry, entry.kind, r.zxid());
                            keeper.watchSetOn(r.server());
                        }
                    }).thenApply(r -> (Void) null);
        }));
    }

    /** Removes the watches of {@code type} on {@code path}. See {@link CorralClient#removeWatches(String, WatchType)}. */
    public CompletableFuture<Void> removeWatches(String path, WatchType type) {
        Objects.requireNonNull(type, "type");
        Set<WatchTable.Kind> kinds = switch (type) {
            case ANY -> EnumSet.allOf(WatchTable.Kind.class);
            case DATA -> EnumSet.of(WatchTable.Kind.DATA, WatchTable.Kind.EXISTS);
            case CHILDREN -> EnumSet.of(WatchTable.Kind.CHILD);
            case PERSISTENT -> EnumSet.of(WatchTable.Kind.PERSISTENT);
            case PERSISTENT_RECURSIVE -> EnumSet.of(WatchTable.Kind.PERSISTENT_RECURSIVE);
        };
        return api(() -> asSession(s -> transport.send(Call.idempotent("DELETE", "/v1/sessions/" + s.id() + "/watches?path="
                + UrlPaths.query(path) + "&type=" + type.restName(), null).as(s.secret())).whenComplete((r, e) -> {
                    // Gone from the node, or never there: either way the client's entries are stale.
                    if (e == null || cause(e) instanceof CorralException.NoWatcherException) watches.removeAll(path, kinds);
                }).thenApply(r -> (Void) null)));
    }

    // ---- plumbing ----

    /** Runs {@code step} with the session (opened if needed); a SESSION_EXPIRED answer ends the session here too. */
    private <T> CompletableFuture<T> asSession(Function<Session, CompletableFuture<T>> step) {
        return keeper.session().thenCompose(step).whenComplete((v, e) -> {
            if (e != null && cause(e) instanceof CorralException.SessionExpiredException) keeper.ended(true);
        });
    }

    /**
     * The future of {@code work}, failing with the {@link CorralException} itself rather than a
     * {@link CompletionException} around it; a {@link CorralException} thrown while starting fails the future too.
     */
    static <T> CompletableFuture<T> api(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> out = new CompletableFuture<>();
        CompletableFuture<T> f;
        try {
            f = work.get();
        } catch (CorralException e) {
            out.completeExceptionally(e);
            return out;
        }
        f.whenComplete((v, e) -> {
            if (e == null) out.complete(v);
            else out.completeExceptionally(cause(e));
        });
        return out;
    }

    static Throwable cause(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        return e;
    }

    private static String nodes(String path) {
        Objects.requireNonNull(path, "path");
        return path.equals("/") ? NODES : NODES + UrlPaths.path(path);
    }

    private static String acls(String path) {
        Objects.requireNonNull(path, "path");
        return path.equals("/") ? ACLS : ACLS + UrlPaths.path(path);
    }
}
