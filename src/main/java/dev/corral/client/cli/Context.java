package dev.corral.client.cli;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a running command has: its parsed arguments, its streams, the environment, and the client (built on first
 * use, closed by {@link #close}). Calls to the cluster go through {@link #await}, which bounds each by the timeout.
 */
final class Context implements AutoCloseable {
    /** The most a command reads from standard input or a file: far above the cluster's limits, yet bounded. */
    static final int INPUT_BYTES_MAX = 64 * 1024 * 1024;

    final Args args;
    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final Duration timeout;
    private final CorralClient client;
    private boolean closed;

    Context(Args args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Duration timeout, CorralClient client) {
        this.args = args;
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.timeout = timeout;
        this.client = client;
    }

    CorralClient client() {
        return client;
    }

    /**
     * The call's value, waiting at most the timeout; a {@link CorralException} it failed with is rethrown here. A call
     * still unanswered then fails the command with exit 3: for a write, its outcome is unknown.
     */
    <T> T await(CompletableFuture<T> call) throws InterruptedException {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error error) throw error;
            throw new CorralException(ErrorCode.SYSTEM_ERROR, "unexpected failure: " + cause, null);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw CliException.unreachable("OPERATION_TIMEOUT: no answer within " + timeout.toMillis()
                    + " ms (see --timeout); if it was a write, it may or may not have happened");
        }
    }

    /** Operand {@code i}, which must be a znode path. */
    String path(int i) {
        String p = args.operands().get(i);
        if (!p.startsWith("/")) throw CliException.usage("a znode path starts with /, not '" + p + "'");
        return p;
    }

    /** Operand {@code i} if given, else null. */
    String operand(int i) {
        return i < args.operands().size() ? args.operands().get(i) : null;
    }

    /** A value operand as bytes: its UTF-8 encoding, or, for {@code -}, all of standard input. */
    byte[] value(String operand) {
        if (!operand.equals("-")) return operand.getBytes(StandardCharsets.UTF_8);
        return readBounded(in, "standard input");
    }

    /** The file's bytes, or standard input's for {@code -}. */
    byte[] file(String name) {
        if (name.equals("-")) return readBounded(in, "standard input");
        Path p = Path.of(name);
        try {
            if (Files.size(p) > INPUT_BYTES_MAX) throw CliException.usage(name + " is larger than " + INPUT_BYTES_MAX + " bytes");
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no such file: " + name);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + name + ": " + e.getMessage());
        }
    }

    private static byte[] readBounded(InputStream in, String what) {
        try {
            byte[] data = in.readNBytes(INPUT_BYTES_MAX + 1);
            if (data.length > INPUT_BYTES_MAX) throw CliException.usage(what + " holds more than " + INPUT_BYTES_MAX + " bytes");
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what, e);
        }
    }

    /** Closes the client (and so its session, if the command opened one). Safe to call twice, from any thread. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        client.close();
    }
}
