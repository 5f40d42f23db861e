package dev.corral.peer;

import dev.corral.config.CorralConfig;
import dev.corral.consensus.Message;
import dev.corral.replica.Outcome;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The peer endpoints under {@code /internal/}, for members only: every request must carry the cluster secret
 * ({@code corral.cluster-secret}) in the {@value #SECRET_HEADER} header, compared in constant time. Without it, or
 * with a wrong one, the answer is 401 and nothing is read or changed; a node with no secret configured (a cluster of
 * one) answers 401 to everything here. No client credential opens these paths, and they are not in the public
 * OpenAPI document.
 *
 * <p>Bodies are {@link PeerCodec}'s binary format and must declare their length, at most
 * {@code corral.peer.body-bytes-max}. The routes run before the HTTP layer's client rules (JSON bodies, the client
 * body limit), which are for clients, and never block the event loop: messages go into the node's inbox, forwarded
 * writes complete asynchronously, snapshot chunks are read on a worker thread.
 *
 * <ul>
 *   <li>{@code POST /internal/raft}: a batch of replication messages → 204.</li>
 *   <li>{@code POST /internal/forward}: a write for the leader → 200 with its outcome.</li>
 *   <li>{@code POST /internal/touch}: session heartbeats (i32 n, n × i64) → 204.</li>
 *   <li>{@code POST /internal/barrier?linearizable=true|false}: the zxid to wait for → 200 with an outcome.</li>
 *   <li>{@code POST /internal/term}: this node's current term (8 bytes) → 200, or 503 before it has read its storage;
 *       asked by a member that starts on lost storage ({@code LostStorage}).</li>
 *   <li>{@code GET /internal/snapshot?index=&term=&offset=&length=}: bytes of a stored snapshot from offset → 200, or
 *       404 if it is no longer held. A follower fetches a snapshot in chunks and resumes at its offset after a failure.</li>
 * </ul>
 */
@ApplicationScoped
public class PeerRoutes {
    private static final Logger LOG = Logger.getLogger(PeerRoutes.class);
    public static final String SECRET_HEADER = "Corral-Cluster-Secret";
    /** Before the HTTP layer's client rules and Quarkus' own body limit. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 10;
    static final int SNAPSHOT_CHUNK_MAX = 4 << 20;
    static final String OCTETS = "application/octet-stream";

    @Inject
    CorralConfig config;

    @Inject
    Instance<PeerHandler> handlers;

    private byte[] secret;
    private long bodyBytesMax;

    void install(@Observes Router router) {
        secret = config.clusterSecret().filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        bodyBytesMax = config.peer().bodyBytesMax().asLongValue();
        // Checks first (secret, declared length), then the body is read (bounded), then the endpoint runs.
        router.route("/internal/*").order(ORDER).handler(this::admit);
        router.route("/internal/*").order(ORDER).handler(BodyHandler.create(false).setBodyLimit(bodyBytesMax));
        router.route("/internal/*").order(ORDER).handler(this::handle);
    }

    /** Refuses, before the body is read, a request without the secret or with no or too long a declared body. */
    private void admit(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!authorized(req.getHeader(SECRET_HEADER))) {
            error(ctx, 401, "AUTH_FAILED", secret == null ? "this node has no cluster secret (corral.cluster-secret); it takes no peer traffic"
                    : "peer endpoints need the cluster secret in " + SECRET_HEADER, true);
            return;
        }
        if (req.method() == HttpMethod.POST) {
            String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
            long bytes;
            try {
                bytes = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            if (bytes < 0) {
                error(ctx, 411, "BAD_ARGUMENTS", "a peer body must declare its length", true);
                return;
            }
            if (bytes > bodyBytesMax) {
                error(ctx, 413, "BAD_ARGUMENTS", "peer body of " + bytes + " bytes over corral.peer.body-bytes-max (" + bodyBytesMax + ")", true);
                return;
            }
        }
        ctx.next();
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!handlers.isResolvable()) {
            error(ctx, 503, "CONNECTION_LOSS", "the node is not running", false);
            return;
        }
        PeerHandler handler = handlers.get();
        String path = req.path();
        if (req.method() == HttpMethod.GET && path.equals("/internal/snapshot")) {
            snapshot(ctx, handler);
            return;
        }
        if (req.method() != HttpMethod.POST) {
            error(ctx, 405, "BAD_ARGUMENTS", "peer endpoints take POST (GET only for /internal/snapshot)", false);
            return;
        }
        Consumer<byte[]> action = switch (path) {
            case "/internal/raft" -> body -> {
                List<Message> messages = PeerCodec.decodeMessages(body);
                handler.deliver(messages);
                req.response().setStatusCode(204).end();
            };
            case "/internal/forward" -> body -> {
                PeerCodec.Forward f = PeerCodec.decodeForward(body);
                handler.forwarded(f.op(), f.caller()).whenComplete((o, t) -> reply(ctx, handler, o, t));
            };
            case "/internal/touch" -> body -> {
                handler.touched(PeerCodec.decodeSessionIds(body));
                req.response().setStatusCode(204).end();
            };
            case "/internal/barrier" -> body -> handler.barrierForPeer("true".equals(req.getParam("linearizable")))
                    .whenComplete((o, t) -> reply(ctx, handler, o, t));
            case "/internal/term" -> body -> {
                long term = handler.term();
                if (term < 0) error(ctx, 503, "CONNECTION_LOSS", "this node has not read its storage yet", false);
                else req.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, OCTETS)
                        .end(Buffer.buffer(PeerCodec.encodeTerm(term)));
            };
            default -> null;
        };
        if (action == null) {
            error(ctx, 404, "BAD_ARGUMENTS", "no peer endpoint " + path, false);
            return;
        }
        withBody(ctx, action);
    }

    private boolean authorized(String given) {
        if (secret == null || given == null) return false;
        return MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
    }

    private void withBody(RoutingContext ctx, Consumer<byte[]> action) {
        HttpServerRequest req = ctx.request();
        Buffer body = ctx.body().buffer();
        try {
            action.accept(body == null ? new byte[0] : body.getBytes());
        } catch (Bytes.MalformedPeerBody e) {
            LOG.warnf("refused a malformed peer body on %s from %s: %s", req.path(), req.remoteAddress(), e.getMessage());
            error(ctx, 400, "BAD_ARGUMENTS", "malformed peer body: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            LOG.errorf(e, "peer request %s failed", req.path());
            error(ctx, 500, "SYSTEM_ERROR", String.valueOf(e.getMessage()), false);
        }
    }

    private void reply(RoutingContext ctx, PeerHandler handler, Outcome outcome, Throwable failure) {
        if (failure != null) {
            outcome = new Outcome.Unknown("the leader failed while handling the request: " + failure.getMessage());
        }
        byte[] body = PeerCodec.encodeReply(new PeerCodec.Reply(outcome, handler.appliedZxid()));
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, OCTETS).end(Buffer.buffer(body));
    }

    private void snapshot(RoutingContext ctx, PeerHandler handler) {
        long index;
        long term;
        long offset;
        int length;
        try {
            index = Long.parseLong(ctx.request().getParam("index"));
            term = Long.parseLong(ctx.request().getParam("term"));
            offset = Long.parseLong(ctx.request().getParam("offset", "0"));
            length = (int) Math.min(SNAPSHOT_CHUNK_MAX, Long.parseLong(ctx.request().getParam("length", String.valueOf(SNAPSHOT_CHUNK_MAX))));
        } catch (NumberFormatException e) {
            error(ctx, 400, "BAD_ARGUMENTS", "index, term, offset and length must be numbers", false);
            return;
        }
        if (offset < 0 || length < 1) {
            error(ctx, 400, "BAD_ARGUMENTS", "offset must be ≥ 0 and length ≥ 1", false);
            return;
        }
        ctx.vertx().<byte[]>executeBlocking(() -> {
            try (InputStream in = handler.snapshot(index, term)) {
                if (in == null) return null;
                in.skipNBytes(offset);
                return in.readNBytes(length);
            } catch (java.io.EOFException e) {
                return new byte[0];
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 500, "SYSTEM_ERROR", "reading snapshot " + index + " failed: " + ar.cause().getMessage(), false);
            } else if (ar.result() == null) {
                error(ctx, 404, "NO_NODE", "snapshot (" + index + ", " + term + ") is no longer held here", false);
            } else {
                ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, OCTETS).end(Buffer.buffer(ar.result()));
            }
        });
    }

    private static void error(RoutingContext ctx, int status, String code, String message, boolean close) {
        HttpServerResponse res = ctx.response();
        if (res.ended()) return;
        String json = "{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"path\":null}";
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (close) res.putHeader(HttpHeaders.CONNECTION, "close");
        res.end(json);
        if (close) ctx.request().connection().close();
    }
}
