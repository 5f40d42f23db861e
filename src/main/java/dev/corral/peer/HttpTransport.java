package dev.corral.peer;

import dev.corral.consensus.Entry;
import dev.corral.consensus.Message;
import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Internal REST towards the other members, over the JDK's HTTP client (HTTP/1.1, kept-alive connections).
 *
 * <p>Each peer has its own bounded queue and sender thread, so a slow or dead member delays nobody else. The
 * sender takes everything queued (up to {@code batchBytesMax}) into one request; while a request is in flight the
 * next batch builds up, so a busy leader sends few, large requests. A failed request drops its batch and, after a
 * backoff that doubles from 20 ms to 1 s, what queued meanwhile too: the protocol re-sends what matters (heartbeats
 * carry appends again, votes are asked again), and stale messages would only be refused. The queue drops new
 * messages when full, for the same reason.
 */
public final class HttpTransport implements Transport {
    private static final Logger LOG = Logger.getLogger(HttpTransport.class);
    private static final long BACKOFF_MIN_MS = 20;
    private static final long BACKOFF_MAX_MS = 1000;
    private static final int SNAPSHOT_CHUNK_BYTES = PeerRoutes.SNAPSHOT_CHUNK_MAX;
    private static final int SNAPSHOT_ATTEMPTS = 10;

    /** How the transport is set up; {@code forwardTimeout} bounds a forwarded write (the client's request timeout). */
    public record Settings(Duration requestTimeout, Duration forwardTimeout, int queueMessagesMax, int batchBytesMax) {}

    private final int selfId;
    private final String secret;
    private final Settings settings;
    private final HttpClient client;
    private final Map<Integer, URI> urls;
    private final Map<Integer, Sender> senders = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    public HttpTransport(int selfId, Map<Integer, URI> members, String secret, Settings settings) {
        this.selfId = selfId;
        this.secret = secret;
        this.settings = settings;
        this.urls = Map.copyOf(members);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .build();
        for (Map.Entry<Integer, URI> e : members.entrySet()) {
            if (e.getKey() != selfId) senders.put(e.getKey(), new Sender(e.getKey(), e.getValue()));
        }
    }

    public void start() {
        for (Sender s : senders.values()) s.thread.start();
    }

    /** Messages dropped so far: queue full, or lost with a failed request. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void send(Message m) {
        Sender s = senders.get(m.to());
        if (s == null || !s.queue.offer(m)) dropped.incrementAndGet();
    }

    @Override
    public CompletableFuture<PeerCodec.Reply> forward(int to, Op op, Caller caller) {
        return call(to, "/internal/forward", PeerCodec.encodeForward(op, caller), settings.forwardTimeout(), true);
    }

    @Override
    public CompletableFuture<PeerCodec.Reply> barrier(int to, boolean linearizable) {
        return call(to, "/internal/barrier?linearizable=" + linearizable, new byte[0], settings.forwardTimeout(), false);
    }

    @Override
    public CompletableFuture<Long> term(int to) {
        URI base = urls.get(to);
        if (base == null || to == selfId) return CompletableFuture.completedFuture(-1L);
        return client.sendAsync(post(base, "/internal/term", new byte[0], settings.requestTimeout()), HttpResponse.BodyHandlers.ofByteArray())
                .handle((res, failure) -> {
                    if (failure != null || res.statusCode() != 200) return -1L;
                    try {
                        return PeerCodec.decodeTerm(res.body());
                    } catch (RuntimeException e) {
                        return -1L;
                    }
                });
    }

    @Override
    public void touch(int to, long[] sessionIds) {
        URI base = urls.get(to);
        if (base == null || to == selfId) return;
        client.sendAsync(post(base, "/internal/touch", PeerCodec.encodeSessionIds(sessionIds), settings.requestTimeout()),
                HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Sends a request whose answer is an outcome. A request that never reached the member (no connection) is
     * {@code Unavailable}: retrying is safe. One that may have reached it is {@code Unknown} if it was a write.
     */
    private CompletableFuture<PeerCodec.Reply> call(int to, String path, byte[] body, Duration timeout, boolean write) {
        URI base = urls.get(to);
        if (base == null || to == selfId) {
            return CompletableFuture.completedFuture(reply(new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, "member " + to + " is not a peer")));
        }
        return client.sendAsync(post(base, path, body, timeout), HttpResponse.BodyHandlers.ofByteArray())
                .handle((res, failure) -> {
                    if (failure != null) return reply(unreachable(to, failure, write));
                    if (res.statusCode() != 200) {
                        String why = "member " + to + " answered " + res.statusCode() + " to " + path + ": "
                                + new String(res.body(), java.nio.charset.StandardCharsets.UTF_8);
                        return reply(res.statusCode() == 401 || res.statusCode() == 503
                                ? new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, why)
                                : write ? new Outcome.Unknown(why) : new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, why));
                    }
                    try {
                        return PeerCodec.decodeReply(res.body());
                    } catch (RuntimeException e) {
                        String why = "member " + to + " sent an unreadable answer: " + e.getMessage();
                        return reply(write ? new Outcome.Unknown(why) : new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0, why));
                    }
                });
    }

    private static PeerCodec.Reply reply(Outcome o) {
        return new PeerCodec.Reply(o, 0);
    }

    private static Outcome unreachable(int to, Throwable failure, boolean write) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        boolean neverSent = t instanceof ConnectException || t instanceof HttpConnectTimeoutException;
        String why = "leader " + to + (neverSent ? " cannot be reached: " : " did not answer: ") + t;
        if (neverSent || !write) return new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, neverSent ? 0 : to, why);
        return new Outcome.Unknown(why + "; the write may or may not have happened");
    }

    @Override
    public boolean fetchSnapshot(int from, long index, long term, OutputStream sink) throws IOException, InterruptedException {
        URI base = urls.get(from);
        if (base == null) return false;
        long offset = 0;
        int failures = 0;
        while (true) {
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/internal/snapshot?index=" + index + "&term=" + term + "&offset=" + offset
                            + "&length=" + SNAPSHOT_CHUNK_BYTES))
                    .header(PeerRoutes.SECRET_HEADER, secret)
                    .timeout(settings.requestTimeout().multipliedBy(5))
                    .GET()
                    .build();
            HttpResponse<byte[]> res;
            try {
                res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (++failures >= SNAPSHOT_ATTEMPTS) throw e;
                // Resume at the same offset: what was written to the sink so far stays.
                Thread.sleep(Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS << failures));
                continue;
            }
            if (res.statusCode() == 404) return false;
            if (res.statusCode() != 200) throw new IOException("member " + from + " answered " + res.statusCode() + " for its snapshot");
            byte[] chunk = res.body();
            sink.write(chunk);
            offset += chunk.length;
            failures = 0;
            if (chunk.length < SNAPSHOT_CHUNK_BYTES) return true;
        }
    }

    private HttpRequest post(URI base, String path, byte[] body, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header(PeerRoutes.SECRET_HEADER, secret)
                .header("Content-Type", PeerRoutes.OCTETS)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    @Override
    public void close() {
        running = false;
        for (Sender s : senders.values()) s.thread.interrupt();
        client.shutdownNow();
    }

    /** One peer's queue and the thread that empties it, one request at a time. */
    private final class Sender {
        final int peer;
        final URI url;
        final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(settings.queueMessagesMax());
        final Thread thread;
        long backoffMs;
        long failuresLogged;

        Sender(int peer, URI base) {
            this.peer = peer;
            this.url = base.resolve("/internal/raft");
            this.thread = new Thread(this::run, "corral-peer-" + peer);
            thread.setDaemon(true);
        }

        private void run() {
            List<Message> batch = new ArrayList<>();
            while (running) {
                try {
                    Message first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    long bytes = size(first);
                    while (bytes < settings.batchBytesMax()) {
                        Message next = queue.peek();
                        if (next == null || bytes + size(next) > settings.batchBytesMax()) break;
                        batch.add(queue.poll());
                        bytes += size(next);
                    }
                    deliver(batch);
                    batch.clear();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void deliver(List<Message> batch) throws InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(url)
                    .header(PeerRoutes.SECRET_HEADER, secret)
                    .header("Content-Type", PeerRoutes.OCTETS)
                    .timeout(settings.requestTimeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PeerCodec.encodeMessages(batch)))
                    .build();
            String failure;
            try {
                HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 204) {
                    if (backoffMs > 0) LOG.infof("member %d is reachable again", peer);
                    backoffMs = 0;
                    failuresLogged = 0;
                    return;
                }
                failure = "answered " + res.statusCode();
            } catch (IOException e) {
                failure = e.toString();
            }
            dropped.addAndGet(batch.size());
            backoffMs = backoffMs == 0 ? BACKOFF_MIN_MS : Math.min(BACKOFF_MAX_MS, backoffMs * 2);
            // One line when a peer goes away, then one every 30 failures or so, not one per request.
            if (failuresLogged++ % 30 == 0) LOG.warnf("member %d at %s: %s; retrying with backoff up to %d ms", peer, url, failure, BACKOFF_MAX_MS);
            Thread.sleep(backoffMs);
            int stale = queue.size();
            List<Message> drop = new ArrayList<>(stale);
            queue.drainTo(drop, stale);
            dropped.addAndGet(drop.size());
        }

        private static long size(Message m) {
            if (m instanceof Message.Append a) {
                long n = 64;
                for (Entry e : a.entries()) n += 24 + e.data().length;
                return n;
            }
            return 48;
        }
    }
}
