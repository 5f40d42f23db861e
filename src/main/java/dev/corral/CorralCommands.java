package dev.corral;

import dev.corral.api.HttpGate;
import dev.corral.config.StandaloneConfig;
import dev.corral.node.StartChecks;
import dev.corral.node.StartRefused;
import io.quarkus.runtime.Quarkus;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The commands of {@code java -jar quarkus-run.jar [command]}, reached through {@link CorralMain} once the
 * Java version is right.
 *
 * <ul>
 *   <li>No arguments: checks that the node can start ({@link #runNode}), then runs it until it is told to
 *       stop (SIGTERM, or a fatal error with its exit code).</li>
 *   <li>{@code bench-storage [options]}: measures durable log appends on the configured storage and exits;
 *       see {@link StorageBenchCommand} for what it does, its options and its safety rules.</li>
 *   <li>{@code help}: prints the usage.</li>
 * </ul>
 */
public final class CorralCommands {
    private CorralCommands() {}

    public static void main(String... args) {
        // Quarkus checks that a request target is a URI before any route runs and answers an empty 400; the
        // node's HttpGate makes the same check and answers with the JSON error. Set before Quarkus starts.
        if (System.getProperty(HttpGate.URI_CHECK_OFF) == null) System.setProperty(HttpGate.URI_CHECK_OFF, "true");
        if (args.length == 0) {
            runNode();
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

    /**
     * Refuses, in one line and before Quarkus boots, a start that cannot work: a bad value in the
     * configuration, a configuration this release cannot run, an unusable data directory or a busy HTTP
     * port. Nothing is created before these checks pass. Then runs the node (no QuarkusApplication: Quarkus
     * boots, the node starts on StartupEvent, and Quarkus waits for exit), with {@link StartFailures} turning
     * a refusal during the boot (storage in use, another node's database) into one line too.
     */
    private static void runNode() {
        try {
            StandaloneConfig.Settings settings = StandaloneConfig.load();
            StartChecks.members(settings.corral());
            if (settings.corral().storage().jdbcUrl().filter(u -> !u.isBlank()).isEmpty()) {
                StartChecks.dataDirectory(Path.of(settings.corral().dataDir()));
            }
            if (settings.httpEnabled()) StartChecks.httpPortFree(settings.httpHost(), settings.httpPort());
            if (settings.corral().zk().enabled()) StartChecks.clientPortFree(settings.httpHost(), settings.corral().clientPort());
        } catch (StartRefused e) {
            StartFailures.refuse(e.getMessage());
            return;
        }
        Quarkus.run(null, StartFailures::exit);
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
