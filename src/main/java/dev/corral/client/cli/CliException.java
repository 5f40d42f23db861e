package dev.corral.client.cli;

/**
 * A command that cannot go on, with the exit code it ends with and a one-line message for standard error. The
 * cluster's own refusals are not these: they arrive as {@link dev.corral.client.CorralException}s.
 */
final class CliException extends RuntimeException {
    private final int exitCode;

    private CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A bad command line: an unknown command or option, a missing or malformed argument (exit 2). */
    static CliException usage(String message) {
        return new CliException(CorralCli.EXIT_USAGE, message);
    }

    /** No node answered in time, or the session was lost (exit 3). */
    static CliException unreachable(String message) {
        return new CliException(CorralCli.EXIT_UNREACHABLE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
