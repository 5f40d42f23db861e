package dev.corral.node;

/**
 * The node will not start, for a reason the operator can fix: its message is one line that names the property,
 * path or port at fault. The entry point prints that line and exits with {@link #EXIT_CODE}, without a stack
 * trace; anything else that stops a start is unexpected and is reported with its stack trace.
 */
public final class StartRefused extends RuntimeException {
    /** The exit code of a refused start (1 is an unexpected failure, 3 a storage failure while running). */
    public static final int EXIT_CODE = 2;

    public StartRefused(String message) {
        super(message);
    }

    public StartRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
