package dev.corral.testing;

import dev.corral.config.StorageConfigSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives each Quarkus test application a fresh, empty data directory (and so a fresh embedded database), and a free
 * ZooKeeper client port: the packaged node of an integration test would otherwise take 2181, which another node
 * started meanwhile may need.
 */
public class TempDataDir implements QuarkusTestResourceLifecycleManager {
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("corral-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String dataDir = dir.resolve("data").toString();
        return Map.of("corral.data-dir", dataDir, "quarkus.datasource.sqlite.jdbc.url", StorageConfigSource.sqliteUrl(dataDir),
                "corral.client-port", "0");
    }

    @Override
    public void stop() {
        Files.deleteQuietly(dir);
    }

    /** Recursive delete without throwing: test clean-up must not hide a test's own failure. */
    static final class Files {
        static Path createTempDirectory(String prefix) throws IOException {
            return java.nio.file.Files.createTempDirectory(prefix);
        }

        static void deleteQuietly(Path root) {
            if (root == null) return;
            try (var walk = java.nio.file.Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // Left for the OS to clean.
            }
        }
    }
}
