package dev.corral.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Facts about the machine the figures were taken on, printed at the top of the report. */
final class Machine {
    private Machine() {}

    static void print(Report r, BenchSettings s, String postgresProblem) {
        r.section("Machine");
        r.f("CPU:       %d cores available to the JVM (%s)", Runtime.getRuntime().availableProcessors(), cpuModel());
        r.f("Memory:    %s total, %s available at start", meminfo("MemTotal"), meminfo("MemAvailable"));
        r.f("OS:        %s %s %s", System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
        r.f("JVM:       %s %s (%s); servers run with -Xmx%s, the benchmark JVM with -Xmx%d MiB", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), HeapBench.gcNames(), s.serverHeap(), Runtime.getRuntime().maxMemory() >> 20);
        r.f("Disk:      %s", disk(s.dir()));
        r.f("Load:      %s (1/5/15-minute load average at start; other agents build and test on this machine at the same time)", loadAverage());
        if (postgresProblem == null) {
            Map<String, String> facts = s.postgres().facts();
            r.f("PostgreSQL: %s at %s", facts.getOrDefault("version", "?"), s.postgres().url());
            r.f("           fsync=%s synchronous_commit=%s wal_sync_method=%s full_page_writes=%s shared_buffers=%s x 8 KiB, data in %s",
                    facts.get("fsync"), facts.get("synchronous_commit"), facts.get("wal_sync_method"), facts.get("full_page_writes"),
                    facts.get("shared_buffers"), facts.get("data_directory"));
        } else {
            r.f("PostgreSQL: not reachable at %s (%s); its parts are skipped.", s.postgres().url(), postgresProblem);
        }
    }

    static String loadAverage() {
        String load = firstLine(Path.of("/proc/loadavg"));
        if (load == null) return "?";
        String[] parts = load.split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : load;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // Not Linux; the core count is what matters.
        }
        return "model unknown";
    }

    private static String meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith(key + ":")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1048576.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Reported as unknown below.
        }
        return "?";
    }

    /** File system and device of the directory where the data directories live, and what the kernel says about the device. */
    private static String disk(Path dir) {
        try {
            Files.createDirectories(dir);
            FileStore store = Files.getFileStore(dir);
            String device = store.name();
            String extra = "";
            if (device.startsWith("/dev/")) {
                String base = device.substring(5);
                for (String block : List.of(base, base.replaceAll("p?\\d+$", ""))) {
                    String rotational = firstLine(Path.of("/sys/block", block, "queue", "rotational"));
                    if (rotational != null) {
                        extra = ", kernel reports rotational=" + rotational + " (virtual disks often report 1)";
                        break;
                    }
                }
            }
            return String.format(java.util.Locale.ROOT, "data directories under %s: %s on %s%s, %.0f GiB free", dir, store.type(), device, extra,
                    store.getUsableSpace() / 1073741824.0);
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String firstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : lines.getFirst().trim();
        } catch (IOException e) {
            return null;
        }
    }
}
