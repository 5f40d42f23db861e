package dev.corral.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.tree.Stat;
import dev.corral.tree.TreeState;
import dev.corral.tree.Znode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/** The system under test: a Corral node through its REST API, one Corral session (and identity) per actor. */
final class CorralSide implements Side {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A session as the node handed it out: its id and the secret that proves the right to act as it. */
    private record Session(String id, String secret, Step.Auth auth) {}

    private final String baseUrl;
    private final Supplier<TreeState> tree;
    private final List<Session> sessions = new ArrayList<>();

    /**
     * {@code baseUrl} such as {@code http://127.0.0.1:8081}: IPv4 loopback, as ZooKeeper's clients connect (ip ACLs).
     * {@code tree} gives the node's committed tree, which REST reads are answered from.
     */
    CorralSide(String baseUrl, Supplier<TreeState> tree) {
        this.baseUrl = baseUrl;
        this.tree = tree;
    }

    @Override
    public String name() {
        return "Corral";
    }

    @Override
    public Outcome run(Step step) throws IOException, InterruptedException {
        return switch (step) {
            case Step.OpenSession o -> {
                if (o.actor() != sessions.size()) throw new IllegalStateException("actors open in order: " + o.actor());
                JsonNode r = expect(201, send("POST", "/v1/sessions", null, JSON.createObjectNode().put("timeoutMs", ZooKeeperSide.SESSION_TIMEOUT_MS)));
                sessions.add(new Session(r.get("id").asText(), r.path("secret").asText(null), o.auth()));
                yield Outcome.ok();
            }
            case Step.CloseSession c -> outcome(send("DELETE", "/v1/sessions/" + sessions.get(c.actor()).id(), c, null));
            case Step.Create c -> {
                ObjectNode body = createBody(c).put("session", session(c).id());
                Reply r = send("POST", "/v1/nodes" + c.path(), c, body);
                yield r.ok() ? Outcome.created(r.json().get("path").asText(), stat(r.json().get("stat"))) : outcome(r);
            }
            case Step.Delete d -> outcome(send("DELETE", "/v1/nodes" + d.path() + "?version=" + d.version() + "&session=" + session(d).id(), d, null));
            case Step.SetData d -> {
                ObjectNode body = JSON.createObjectNode().put("data", b64(d.data())).put("version", d.version()).put("session", session(d).id());
                Reply r = send("PUT", "/v1/nodes" + d.path(), d, body);
                yield r.ok() ? Outcome.stat(stat(r.json().get("stat"))) : outcome(r);
            }
            case Step.GetData g -> {
                Reply r = send("GET", "/v1/nodes" + g.path() + "?session=" + session(g).id(), g, null);
                yield r.ok() ? Outcome.data(r.json().get("data").asText(), stat(r.json().get("stat"))) : outcome(r);
            }
            case Step.Exists e -> {
                Reply r = send("GET", "/v1/nodes" + e.path() + "?exists=true&session=" + session(e).id(), e, null);
                yield r.ok() ? Outcome.exists(stat(r.json().get("stat"))) : outcome(r);
            }
            case Step.Children c -> {
                Reply r = send("GET", "/v1/nodes" + c.path() + "?children=true&session=" + session(c).id(), c, null);
                if (!r.ok()) yield outcome(r);
                List<String> names = new ArrayList<>();
                r.json().get("children").forEach(n -> names.add(n.asText()));
                yield Outcome.children(names, stat(r.json().get("stat")));
            }
            case Step.GetAcl g -> {
                Reply r = send("GET", "/v1/acls" + g.path(), g, null);
                yield r.ok() ? Outcome.acl(acl(r.json().get("acl")), stat(r.json().get("stat"))) : outcome(r);
            }
            case Step.SetAcl s -> {
                ObjectNode body = JSON.createObjectNode().put("version", s.aversion());
                body.set("acl", aclJson(s.acl()));
                Reply r = send("PUT", "/v1/acls" + s.path(), s, body);
                yield r.ok() ? Outcome.stat(stat(r.json().get("stat"))) : outcome(r);
            }
            case Step.Multi m -> multi(m);
            case Step.Check c -> throw new IllegalArgumentException("check exists only inside a multi");
        };
    }

    private Outcome multi(Step.Multi m) throws IOException, InterruptedException {
        ArrayNode ops = JSON.createArrayNode();
        for (Step op : m.ops()) {
            ops.add(switch (op) {
                case Step.Create c -> createBody(c).put("op", "create").put("path", c.path());
                case Step.Delete d -> JSON.createObjectNode().put("op", "delete").put("path", d.path()).put("version", d.version());
                case Step.SetData d -> JSON.createObjectNode().put("op", "set").put("path", d.path()).put("data", b64(d.data()))
                        .put("version", d.version());
                case Step.Check c -> JSON.createObjectNode().put("op", "check").put("path", c.path()).put("version", c.version());
                default -> throw new IllegalArgumentException("not a multi operation: " + Step.describe(op));
            });
        }
        ObjectNode body = JSON.createObjectNode().put("session", session(m).id());
        body.set("ops", ops);
        Reply r = send("POST", "/v1/multi", m, body);
        List<Outcome> results = new ArrayList<>();
        if (!r.ok()) {
            for (JsonNode each : r.json().path("results")) results.add(Outcome.error(each.get("code").asText()));
            return Outcome.multi(r.json().get("code").asText(), results);
        }
        JsonNode each = r.json().get("results");
        for (int i = 0; i < m.ops().size(); i++) {
            JsonNode res = each.get(i);
            results.add(switch (m.ops().get(i)) {
                case Step.Create c -> Outcome.created(res.get("path").asText(), stat(res.get("stat")));
                case Step.SetData d -> Outcome.stat(stat(res.get("stat")));
                default -> Outcome.ok();
            });
        }
        return Outcome.multi(Outcome.OK, results);
    }

    private static ObjectNode createBody(Step.Create c) {
        ObjectNode body = JSON.createObjectNode().put("data", b64(c.data())).put("mode", c.mode().restName());
        if (c.mode().isTtl()) body.put("ttl", c.ttlMs());
        if (c.acl() != null) body.set("acl", aclJson(c.acl()));
        return body;
    }

    private static ArrayNode aclJson(List<Step.Ace> acl) {
        ArrayNode out = JSON.createArrayNode();
        for (Step.Ace a : acl) out.add(JSON.createObjectNode().put("scheme", a.scheme()).put("id", a.id()).put("perms", a.perms()));
        return out;
    }

    private static List<String> acl(JsonNode entries) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : entries) out.add(e.get("scheme").asText() + ":" + e.get("id").asText() + ":" + e.get("perms").asInt());
        return out;
    }

    static Stat stat(JsonNode s) {
        if (s == null || s.isNull()) return null;
        return new Stat(s.get("czxid").asLong(), s.get("mzxid").asLong(), s.get("pzxid").asLong(), s.get("ctime").asLong(),
                s.get("mtime").asLong(), s.get("version").asInt(), s.get("cversion").asInt(), s.get("aversion").asInt(),
                s.get("ephemeralOwner").asLong(), s.get("dataLength").asInt(), s.get("numChildren").asInt());
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private Session session(Step step) {
        return sessions.get(step.actor());
    }

    /** An HTTP answer: 2xx with its JSON body (or none), or the contract's error object. */
    private record Reply(int status, JsonNode json) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private static Outcome outcome(Reply r) {
        if (r.ok()) return Outcome.ok();
        JsonNode code = r.json() == null ? null : r.json().get("code");
        if (code == null) throw new IllegalStateException("HTTP " + r.status() + " without an error code: " + r.json());
        return Outcome.error(code.asText());
    }

    private static JsonNode expect(int status, Reply r) {
        if (r.status() != status) throw new IllegalStateException("expected HTTP " + status + ", got " + r.status() + ": " + r.json());
        return r.json();
    }

    /**
     * Sends one request as {@code actor}'s identity (HTTP Basic) and, when {@code actor} names a session, with that
     * session's secret: the one place that attaches credentials, so every request proves what it acts as.
     */
    private Reply send(String method, String pathAndQuery, Step actor, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) b.header("Content-Type", "application/json");
        if (actor != null) {
            Session s = sessions.get(actor.actor());
            if (s.secret() != null) b.header("Corral-Session-Secret", s.secret());
            if (s.auth().credentials != null) {
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(s.auth().credentials.getBytes(StandardCharsets.UTF_8)));
            }
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) throw new IllegalStateException(method + " " + pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    @Override
    public long sessionId(int actor) {
        return Long.parseUnsignedLong(sessions.get(actor).id(), 16);
    }

    @Override
    public Outcome peek(String path) {
        Outcome node = node(tree.get(), path);
        return node == null ? Outcome.exists(null) : node;
    }

    /** The znode in {@code state}: its data, ACL and Stat; null if there is none. */
    static Outcome node(dev.corral.tree.TreeState state, String path) {
        Znode node = state.find(path);
        if (node == null) return null;
        List<String> acl = node.acl().stream().map(a -> a.scheme() + ":" + a.id() + ":" + a.perms()).toList();
        return new Outcome(Outcome.OK, null, true, b64(node.data()), null, acl, node.stat(), null);
    }

    @Override
    public boolean absent(String path) {
        return tree.get().find(path) == null;
    }

    /** Closes the sessions the sequence left open; one already closed answers SESSION_EXPIRED, which is fine here. */
    @Override
    public void close() {
        for (int i = 0; i < sessions.size(); i++) {
            try {
                send("DELETE", "/v1/sessions/" + sessions.get(i).id(), new Step.CloseSession(i), null);
            } catch (IOException | RuntimeException e) {
                // The node's own expiry closes whatever this misses; clean-up must not hide the test's outcome.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
