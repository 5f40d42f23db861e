package dev.corral;

import dev.corral.node.StartRefused;
import dev.corral.storage.StorageException;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * How the node's process ends (Quarkus' exit handler): a refused start is one line on standard error, starting
 * with {@value #PREFIX}, and exit code {@link StartRefused#EXIT_CODE}; its stack trace goes to the DEBUG log
 * of this class only. Any other failure to start is unexpected and is logged with its stack trace.
 */
final class StartFailures {
    static final String PREFIX = "Corral cannot start: ";
    private static final Logger LOG = Logger.getLogger(StartFailures.class);

    private StartFailures() {}

    static void exit(Integer code, Throwable failure) {
        if (failure == null) System.exit(code);
        Optional<String> refusal = refusal(failure);
        if (refusal.isEmpty()) {
            LOG.error("Corral failed to start", failure);
            System.exit(code == 0 ? 1 : code);
        }
        LOG.debug("start refused", failure);
        refuse(refusal.get());
    }

    static void refuse(String reason) {
        System.err.println(PREFIX + reason.strip().replaceAll("\\s*\\n\\s*", "; "));
        System.err.flush();
        System.exit(StartRefused.EXIT_CODE);
    }

    /** The operator's one line, if the failure is one the operator can fix; empty for anything unexpected. */
    static Optional<String> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartRefused || t instanceof StorageException) return Optional.of(t.getMessage());
            if (t instanceof ConfigValidationException v) {
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < v.getProblemCount(); i++) problems.add(v.getProblem(i).getMessage());
                return Optional.of(String.join("; ", problems));
            }
            if (t instanceof ConfigurationException) return Optional.of(t.getMessage());
            if (t instanceof BindException) return Optional.of("the HTTP port is in use: " + t.getMessage());
        }
        return Optional.empty();
    }
}
