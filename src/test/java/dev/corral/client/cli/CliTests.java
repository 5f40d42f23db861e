package dev.corral.client.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Running the tool in-process for {@link CorralCliTest}: one run with its output captured, or a run on a thread of its
 * own (a watch) whose output is read as it comes; the test node's URL, unique paths, and waiting for a condition with
 * a deadline (never a fixed sleep).
 */
final class CliTests {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicLong COUNTER = new AtomicLong();

    private CliTests() {}

    /** What one run of the tool did. */
    record Result(int code, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        List<String> lines() {
            return out().lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out() + "\n--- stderr:\n" + err;
        }
    }

    /** Runs the tool with {@code env} as its environment and {@code stdin} as its standard input. */
    static Result run(Map<String, String> env, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CorralCli(env).run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** A command running on a thread of its own against the test node, its output readable as it comes. */
    static final class Running {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CompletableFuture<Integer> code = new CompletableFuture<>();
        private final Thread thread;

        Running(String... args) {
            String[] line = concat(List.of("--server", url()), args);
            thread = new Thread(() -> code.complete(new CorralCli(Map.of()).run(line, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))), "corral-cli-test");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits for the line that says the watch is set. */
        void awaitWatching() {
            await("the watch to be set (stderr so far: " + err + ")", () -> err.toString(StandardCharsets.UTF_8).contains("watching ")
                    || code.isDone());
            assertFalse(code.isDone(), () -> "the command ended early: " + snapshot());
        }

        /** The run once it has ended, failing (and interrupting it) if it does not end within the deadline. */
        Result result() throws Exception {
            try {
                code.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                fail("the command did not end within " + DEADLINE + ": " + snapshot());
            }
            return snapshot();
        }

        private Result snapshot() {
            return new Result(code.getNow(-1), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }
    }

    static String[] concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    /** The test node, by IPv4 loopback. */
    static String url() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    /** A znode path no other test (or run of this test) uses. */
    static String uniquePath(String name) {
        return "/cli-" + name + "-" + Long.toString(System.nanoTime(), 36) + "-" + COUNTER.incrementAndGet();
    }

    /** A port nothing listens on (bound, then closed). */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the test node is ready (a leader elected, log replayed), as writes before that get 503. */
    static void awaitReady() {
        await("the node to become ready", () -> readyStatus() == 200);
    }

    private static int readyStatus() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} until it holds, failing after the deadline; the pause between polls orders nothing. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) fail("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
