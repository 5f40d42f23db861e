package dev.corral.client.cli;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.RetryPolicy;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code corral}, the command-line tool: one command per run against a Corral cluster, through the Java client
 * (so it needs only the JDK, Jackson and the client jar). {@code bin/corral} starts it.
 *
 * <p>{@link #run} is the whole tool without the process around it: it parses the command line, runs the command and
 * returns the exit code ({@link #EXIT_OK}, {@link #EXIT_REFUSED}, {@link #EXIT_USAGE}, {@link #EXIT_UNREACHABLE}),
 * printing results on {@code out} and each failure as one line on {@code err}. {@link #main} adds the process: UTF-8
 * streams, quiet client logging, closing the session on Ctrl-C, and {@link System#exit}.
 */
public final class CorralCli {
    /** The command did what was asked. */
    public static final int EXIT_OK = 0;
    /** The cluster refused the request (NO_NODE, NODE_EXISTS, BAD_VERSION, NOT_EMPTY, NO_AUTH, …). */
    public static final int EXIT_REFUSED = 1;
    /** The command line is wrong (unknown command or option, missing or malformed argument). */
    public static final int EXIT_USAGE = 2;
    /** No node could be reached or could serve in time, the session was lost, or a write's outcome is unknown. */
    public static final int EXIT_UNREACHABLE = 3;

    static final String SERVER_ENV = "CORRAL_SERVER";
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** Short, so that the session of a command killed without closing it (kill -9) ends soon; the cluster clamps it. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    private static final Args.Option SERVER = Args.Option.valued("--server", null, "URL[,URL...]", """
            the nodes to talk to, tried in order; repeatable
            (default: $CORRAL_SERVER, else http://127.0.0.1:8080)""");
    private static final Args.Option TIMEOUT = Args.Option.valued("--timeout", null, "DURATION", """
            how long one request may take, retries and moves
            between nodes included: 500ms, 15s, 2m; a plain
            number is seconds (default 15s)""");
    private static final Args.Option VERBOSE = Args.Option.flag("--verbose", null, "let the client log (moves between nodes) on stderr");
    private static final Args.Option HELP = Args.Option.flag("--help", "-h", "this help, or a command's (corral COMMAND --help)");
    private static final Args.Option VERSION = Args.Option.flag("--version", null, "print the tool's version (before any command)");
    /** Options every command takes, before or after its name. */
    private static final List<Args.Option> GLOBAL = List.of(SERVER, TIMEOUT, VERBOSE, HELP);
    /** Options before the command; --version only there, where no command's --version can be meant. */
    private static final List<Args.Option> LEADING = List.of(SERVER, TIMEOUT, VERBOSE, HELP, VERSION);
    /** Held, so that the level set on it is not lost when the logging framework drops unreferenced loggers. */
    private static final Logger CLIENT_LOG = Logger.getLogger("dev.corral.client");

    private final Map<String, String> env;
    private final Commands commands = new Commands();
    /** The command running now, for the shutdown hook to close its session. */
    private volatile Context running;

    /** A tool reading {@code env} for its defaults ({@code CORRAL_SERVER}, {@code CORRAL_SESSION_SECRET}). */
    public CorralCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Runs one command and exits with its code. */
    public static void main(String[] args) {
        if (!Arrays.asList(args).contains("--verbose")) CLIENT_LOG.setLevel(Level.OFF);
        // UTF-8 whatever the locale: znode paths and data are Unicode, and a pipe wants the bytes unchanged.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        CorralCli cli = new CorralCli(System.getenv());
        // Ctrl-C during watch (or any command): close the session now rather than let it time out.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Context c = cli.running;
            if (c != null) c.close();
            out.flush();
        }, "corral-cli-exit"));
        int code = cli.run(args, System.in, out, err);
        out.flush();
        System.exit(code);
    }

    /**
     * Runs the command {@code args} name and returns its exit code. Results go to {@code out}; a failure is one line
     * on {@code err}; help goes to {@code out} when asked for, to {@code err} on a usage error.
     */
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String scope = "corral";
        try {
            Args leading = Args.parseLeading(List.of(args), LEADING);
            List<String> rest = leading.rest();
            if (leading.has("--version")) {
                out.println("corral " + version());
                return EXIT_OK;
            }
            if (rest.isEmpty()) {
                if (leading.has("--help")) {
                    out.print(commands.overview(LEADING));
                    return EXIT_OK;
                }
                throw CliException.usage("no command given");
            }
            if (rest.getFirst().equals("help")) return help(rest.subList(1, rest.size()), out);
            int words = commands.isGroup(rest.getFirst()) ? 2 : 1;
            scope = "corral " + String.join(" ", rest.subList(0, Math.min(words, rest.size())));
            List<String> tokens = rest.subList(Math.min(words, rest.size()), rest.size());
            if (words == 2 && (rest.size() < 2 || Args.isOption(rest.get(1)))) {
                if (leading.has("--help") || helpAsked(rest.subList(1, rest.size()))) {
                    out.print(commands.groupHelp(rest.getFirst()));
                    return EXIT_OK;
                }
                throw CliException.usage("expected a subcommand: " + commands.subcommands(rest.getFirst()));
            }
            Command command;
            try {
                command = commands.find(rest.subList(0, words));
            } catch (CliException e) {
                scope = words == 2 ? "corral " + rest.getFirst() : "corral";
                throw e;
            }
            if (leading.has("--help") || helpAsked(tokens)) {
                out.print(command.help());
                return EXIT_OK;
            }
            List<Args.Option> known = new ArrayList<>(command.options());
            known.addAll(GLOBAL);
            Args a = Args.parse(tokens, known);
            checkOperands(command, a);
            Duration timeout = a.has("--timeout") ? a.durationValue("--timeout", null) : leading.durationValue("--timeout", DEFAULT_TIMEOUT);
            CorralClient client = client(servers(leading, a), timeout);
            try (Context c = new Context(a, in, out, err, env, timeout, client)) {
                running = c;
                return command.runner().run(c);
            } finally {
                running = null;
                out.flush();
            }
        } catch (CliException e) {
            err.println(scope + ": " + oneLine(e.getMessage())
                    + (e.exitCode() == EXIT_USAGE ? " (see " + scope + " --help)" : ""));
            return e.exitCode();
        } catch (CorralException e) {
            err.println(scope + ": " + oneLine(e.getMessage()));
            return exitCode(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(scope + ": interrupted");
            return EXIT_UNREACHABLE;
        }
    }

    /** The exit code for a refusal: 3 when no node could serve, or the outcome is unknown; else 1. */
    static int exitCode(CorralException e) {
        return switch (e.code()) {
            case CONNECTION_LOSS, OPERATION_TIMEOUT, REQUEST_TIMEOUT -> EXIT_UNREACHABLE;
            default -> EXIT_REFUSED;
        };
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static boolean helpAsked(List<String> tokens) {
        for (String t : tokens) {
            if (t.equals("--")) return false;
            if (t.equals("--help") || t.equals("-h")) return true;
        }
        return false;
    }

    private static void checkOperands(Command command, Args a) {
        int n = a.operands().size();
        if (n < command.operandsMin()) {
            throw CliException.usage("missing operand" + (command.operandsSyntax().isEmpty() ? "" : ": expected " + command.operandsSyntax()));
        }
        if (n > command.operandsMax()) {
            throw CliException.usage("unexpected operand '" + a.operands().get(command.operandsMax()) + "'"
                    + (command.operandsSyntax().isEmpty() ? "" : ": expected " + command.operandsSyntax()));
        }
    }

    /** {@code --server} values (each a comma-separated list), before and after the command; else the environment's. */
    private List<String> servers(Args leading, Args a) {
        List<String> given = new ArrayList<>(leading.values("--server"));
        given.addAll(a.values("--server"));
        if (given.isEmpty()) given.add(env.getOrDefault(SERVER_ENV, DEFAULT_SERVER));
        List<String> servers = new ArrayList<>();
        for (String list : given) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) servers.add(s.strip());
            }
        }
        if (servers.isEmpty()) throw CliException.usage("--server needs at least one URL");
        return servers;
    }

    /**
     * A client whose retries wait about half of {@code timeout} in all: a refused connection moves to the next node
     * at once, then retries wait 100 ms, doubling up to 1 s, so that a leader election or a restarting node is ridden
     * out, and a cluster that stays unreachable is reported as such (its last error) before {@link Context#await}
     * cuts the call at {@code timeout}.
     */
    private static CorralClient client(List<String> servers, Duration timeout) {
        int retries = 0;
        long waited = 0;
        for (long next = 100; waited + next <= timeout.toMillis() / 2 && retries < 1000; next = Math.min(1000, next * 2)) {
            waited += next;
            retries++;
        }
        try {
            return CorralClient.builder().servers(servers).requestTimeout(timeout)
                    .connectTimeout(timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3))
                    .sessionTimeout(SESSION_TIMEOUT).retryPolicy(RetryPolicy.exponential(retries, Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private int help(List<String> words, PrintStream out) {
        if (words.isEmpty()) {
            out.print(commands.overview(LEADING));
            return EXIT_OK;
        }
        if (words.size() == 1 && commands.isGroup(words.getFirst())) {
            out.print(commands.groupHelp(words.getFirst()));
            return EXIT_OK;
        }
        if (words.size() > 2) throw CliException.usage("help takes a command's name, not '" + String.join(" ", words) + "'");
        out.print(commands.find(words).help());
        return EXIT_OK;
    }

    /** The client jar's version, from its manifest. */
    static String version() {
        String v = CorralCli.class.getPackage().getImplementationVersion();
        return v == null ? "(version unknown: not run from the client jar)" : v;
    }
}
