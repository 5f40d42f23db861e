package dev.corral;

import dev.corral.api.HttpGate;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintStream;

/**
 * The entry point of {@code java -jar quarkus-run.jar [command]}.
 *
 * <ul>
 *   <li>No arguments: runs the node until it is told to stop (SIGTERM, or a fatal error with its exit code),
 *       exactly as Quarkus' generated entry point did before this class existed.</li>
 *   <li>{@code bench-storage [options]}: measures durable log appends on the configured storage and exits;
 *       see {@link StorageBenchCommand} for what it does, its options and its safety rules.</li>
 *   <li>{@code help}: prints the usage.</li>
 * </ul>
 */
@QuarkusMain
public final class CorralMain {
    private CorralMain() {}

    public static void main(String... args) {
        // Quarkus checks that a request target is a URI before any route runs and answers an empty 400; the
        // node's HttpGate makes the same check and answers with the JSON error. Set before Quarkus starts.
        if (System.getProperty(HttpGate.URI_CHECK_OFF) == null) System.setProperty(HttpGate.URI_CHECK_OFF, "true");
        if (args.length == 0) {
            // No QuarkusApplication: Quarkus boots, starts the node (StartupEvent) and waits for exit, as before.
            Quarkus.run(args);
            return;
        }
        switch (args[0]) {
            case StorageBenchCommand.NAME -> {
                // Set before Quarkus reads its configuration. The node must not start, or it would own the storage
                // the command opens; and the command serves no HTTP, so it never collides with a node on this host.
                System.setProperty("corral.autostart", "false");
                System.setProperty("quarkus.http.host-enabled", "false");
                // The figures go to standard output; log lines go to standard error, and only warnings by default.
                System.setProperty("quarkus.banner.enabled", "false");
                System.setProperty("quarkus.log.console.stderr", "true");
                if (System.getProperty("quarkus.log.level") == null) System.setProperty("quarkus.log.level", "WARN");
                Quarkus.run(StorageBenchCommand.class, args);
            }
            case "help", "--help", "-h" -> usage(System.out);
            default -> {
                System.err.println("unknown command: " + args[0]);
                usage(System.err);
                System.exit(2);
            }
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: java --enable-native-access=ALL-UNNAMED -jar quarkus-run.jar [command]

                  (no command)     run a Corral node, configured by corral.* properties or CORRAL_* variables
                  bench-storage    measure durable log appends on the configured storage, then remove them
                  help             print this

                """ + StorageBenchCommand.USAGE);
    }
}
