package dev.corral.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Sends REST requests to the current node of a list, moving to the next node when one fails, retrying what may be
 * retried ({@link Call.Kind}, {@link RetryPolicy}), and tracking the highest zxid any answer carried.
 *
 * <p>A node has failed when a connection to it cannot be made or breaks, or it answers 502/503/504 for a reason other
 * than overload: then the next node in the list becomes current, and the failure listeners are told (the session
 * keeper reports DISCONNECTED and sends a heartbeat; the event stream moves). A write is tried again only if it is
 * known not to have been taken: its connection was refused, or the node answered 503 without saying that the outcome
 * is unknown. Thread-safe; answers complete on the HTTP client's threads.
 */
final class Transport {
    static final String ZXID_HEADER = "Corral-Zxid";
    static final String SECRET_HEADER = "Corral-Session-Secret";
    private static final System.Logger LOG = System.getLogger("dev.corral.client");

    private final List<URI> servers;
    private final HttpClient http;
    private final ExecutorService httpExecutor;
    /** One virtual thread per request in flight, blocked in {@link HttpClient#send}. */
    private final ExecutorService senders;
    private final ScheduledExecutorService scheduler;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final String authorization;
    /** The index of the node requests go to; moves on (modulo the list) when that node fails. */
    private final AtomicInteger current = new AtomicInteger();
    /** The highest zxid of any answer or event: reads never go back before it, whichever node answers. */
    private final AtomicLong lastZxidSeen = new AtomicLong();
    private final List<IntConsumer> failureListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Transport(List<URI> servers, Duration connectTimeout, Duration requestTimeout, RetryPolicy retry, String authorization,
            ExecutorService httpExecutor, ScheduledExecutorService scheduler) {
        this.servers = List.copyOf(servers);
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.authorization = authorization;
        this.httpExecutor = httpExecutor;
        this.scheduler = scheduler;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .executor(httpExecutor).build();
        this.senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("corral-client-send-", 0).factory());
    }

    int current() {
        return current.get();
    }

    int serverCount() {
        return servers.size();
    }

    URI server(int index) {
        return servers.get(index);
    }

    long lastZxidSeen() {
        return lastZxidSeen.get();
    }

    void noteZxid(long zxid) {
        lastZxidSeen.accumulateAndGet(zxid, Math::max);
    }

    /** {@code listener} is called with the index of each node found failed, on the thread that found it. */
    void addFailureListener(IntConsumer listener) {
        failureListeners.add(listener);
    }

    /** Node {@code server} failed: the next one becomes current (if {@code server} still was), and listeners hear of it. */
    void serverFailed(int server) {
        int next = (server + 1) % servers.size();
        if (current.compareAndSet(server, next) && servers.size() > 1) {
            LOG.log(System.Logger.Level.INFO, "node " + servers.get(server) + " failed; moving to " + servers.get(next));
        }
        for (IntConsumer l : failureListeners) l.accept(server);
    }

    /** Sends {@code call}; completes with the answer, or fails with a {@link CorralException}. */
    CompletableFuture<Reply> send(Call call) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        attempt(call, new Attempts(), result);
        return result;
    }

    /** How far one call has got: free moves to another node, and retries used. Touched by one attempt at a time. */
    private static final class Attempts {
        int failovers;
        int retries;
    }

    private void attempt(Call call, Attempts attempts, CompletableFuture<Reply> result) {
        if (closed) {
            result.completeExceptionally(new CorralException.ConnectionLossException("the client is closed", call.path(), null, false));
            return;
        }
        int server = call.server() >= 0 ? call.server() : current.get();
        HttpRequest request;
        try {
            request = request(call, server);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new CorralException.BadArgumentsException("not a valid request: " + e.getMessage(), call.path(),
                    List.of(), -1));
            return;
        }
        try {
            // A blocking send on a virtual thread of the client's own: HttpClient.sendAsync completes on the JVM's
            // common pool whatever executor it is given, so an application blocking that pool would stall the client.
            senders.execute(() -> {
                HttpResponse<byte[]> response = null;
                Throwable error = null;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    error = new java.io.IOException("the client is closing", e);
                } catch (java.io.IOException | RuntimeException e) {
                    error = e;
                }
                try {
                    handle(call, server, attempts, response, error, result);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException | IllegalStateException e) {
            result.completeExceptionally(new CorralException.ConnectionLossException("the client is closed", call.path(), e, false));
        }
    }

    private void handle(Call call, int server, Attempts attempts, HttpResponse<byte[]> response, Throwable error,
            CompletableFuture<Reply> result) {
        boolean write = call.kind() == Call.Kind.WRITE;
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean notSent = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
            serverFailed(server);
            String unknown = write && !notSent ? "; the write may or may not have happened" : "";
            CorralException failure = cause instanceof HttpTimeoutException && !notSent
                    ? new CorralException.OperationTimeoutException("no answer from " + servers.get(server) + " within "
                            + timeoutOf(call).toMillis() + " ms" + unknown, call.path(), cause)
                    : new CorralException.ConnectionLossException((notSent ? "cannot connect to " : "lost the connection to ")
                            + servers.get(server) + ": " + cause + unknown, call.path(), cause, write && !notSent);
            retryOrFail(call, attempts, failure, notSent || !write, true, result);
            return;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            long zxid = response.headers().firstValue(ZXID_HEADER).map(Transport::parseZxid).orElse(-1L);
            if (zxid > 0) noteZxid(zxid);
            result.complete(new Reply(status, Json.parseOrNull(response.body()), zxid, server));
            return;
        }
        com.fasterxml.jackson.databind.JsonNode body = Json.parseOrNull(response.body());
        CorralException failure = Json.error(status, body, call.path());
        String outcome = body == null ? null : body.path("outcome").asText(null);
        if (status != 502 && status != 503 && status != 504) {
            result.completeExceptionally(failure);
            return;
        }
        boolean moved = failure.code() != ErrorCode.THROTTLED_OP;
        if (moved) serverFailed(server);
        if (write && outcomeUnknown(failure, outcome)) {
            result.completeExceptionally(failure);
            return;
        }
        if (failure instanceof CorralException.ConnectionLossException) {
            // The node did not take the request (no leader, not ready, stopping): nothing happened.
            failure = new CorralException.ConnectionLossException(failure.detail() + " (from " + servers.get(server) + ")", failure.path(),
                    null, false);
        }
        retryOrFail(call, attempts, failure, true, moved, result);
    }

    /**
     * Whether a 503 answer to a write says the write may have happened: the node's deadline passed, or it reports an
     * unknown outcome ({@code "outcome unknown: …; the change may or may not have been made"}). Every other 503 is a
     * node that did not take the write (no leader, not ready, overloaded, a proposal lost to a new leader).
     */
    static boolean outcomeUnknown(CorralException failure, String outcome) {
        // The node says so in the error's "outcome" field; older nodes only in the message.
        if (outcome != null) return outcome.equals("unknown");
        if (failure.code() == ErrorCode.OPERATION_TIMEOUT || failure.code() == ErrorCode.REQUEST_TIMEOUT) return true;
        String detail = failure.detail() == null ? "" : failure.detail();
        return failure.code() == ErrorCode.CONNECTION_LOSS && (detail.contains("outcome unknown") || detail.contains("may or may not"));
    }

    /** Tries {@code call} again if it may be ({@code moved}: its node failed, so the next one gets a try at once). */
    private void retryOrFail(Call call, Attempts attempts, CorralException failure, boolean retryable, boolean moved,
            CompletableFuture<Reply> result) {
        if (!retryable || closed || call.server() >= 0) {
            result.completeExceptionally(failure);
            return;
        }
        if (moved && attempts.failovers < servers.size() - 1) {
            // Each other node gets one try at once: the first may simply be down.
            attempts.failovers++;
            attempt(call, attempts, result);
            return;
        }
        int retriesMax = call.retriesMax() >= 0 ? call.retriesMax() : retry.maxRetries();
        if (attempts.retries >= retriesMax) {
            result.completeExceptionally(failure);
            return;
        }
        long delay = retry.delayMillis(attempts.retries++);
        try {
            scheduler.schedule(() -> attempt(call, attempts, result), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(failure);
        }
    }

    private HttpRequest request(Call call, int server) {
        String target = call.target();
        if (call.kind() == Call.Kind.READ) {
            long min = Math.max(call.minZxid(), lastZxidSeen.get());
            if (min > 0) target += (target.indexOf('?') < 0 ? '?' : '&') + "minZxid=" + min;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(servers.get(server) + target)).timeout(timeoutOf(call))
                .header("Accept", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        if (call.secret() != null) b.header(SECRET_HEADER, call.secret());
        if (call.body() != null) {
            b.header("Content-Type", "application/json").method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        } else {
            b.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private Duration timeoutOf(Call call) {
        return call.timeout() != null ? call.timeout() : requestTimeout;
    }

    /**
     * Opens a session's event stream on node {@code server}, resuming after {@code lastEventId}; blocks until the
     * answer's headers arrive. The caller reads (and closes) the body.
     */
    HttpResponse<InputStream> openStream(int server, String target, String secret, long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(servers.get(server) + target)).timeout(requestTimeout)
                .header("Accept", "text/event-stream").header(SECRET_HEADER, secret).GET();
        if (lastEventId >= 0) b.header("Last-Event-ID", Long.toString(lastEventId));
        if (authorization != null) b.header("Authorization", authorization);
        // Blocking, on the caller's thread: sendAsync would complete on the JVM's common pool (see attempt).
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads an error answer's body (at most 64 KiB) into the exception it stands for. */
    static CorralException error(HttpResponse<InputStream> response) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        JsonNode json = Json.parseOrNull(body);
        return Json.error(response.statusCode(), json, null);
    }

    private static long parseZxid(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops sending: calls in flight and later fail with a connection loss; connections are dropped. */
    void close() {
        closed = true;
        senders.shutdownNow();
        http.shutdownNow();
    }
}
