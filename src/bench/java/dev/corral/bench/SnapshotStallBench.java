package dev.corral.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes while the node snapshots a large tree: the packaged node (SQLite) is loaded with the heap
 * benchmark's number of znodes (100-byte data, through multis of 1,000 creates), then one client sets data
 * in a closed loop while snapshots are taken every {@value #SNAPSHOT_EVERY} entries. Each write's latency is
 * classed by whether a snapshot was being written at that moment, from the node's own log lines
 * ("snapshot at zxid … written (… znodes, … bytes) in … ms", timestamped to the millisecond).
 *
 * <p>What it shows: capturing the tree for a snapshot is O(1) (the tree is immutable), and writing it out
 * happens beside the writes; what remains is sharing the disk and the CPU.
 */
final class SnapshotStallBench {
    private static final int SNAPSHOT_EVERY = 5000;
    private static final int PER_MULTI = 1000;
    private static final Pattern SNAPSHOT_LINE = Pattern.compile(
            "^(\\S+ \\S+) INFO .*snapshot at zxid (\\d+) written \\((\\d+) znodes, (\\d+) bytes\\) in (\\d+) ms");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private SnapshotStallBench() {}

    private record Window(long startMs, long endMs, long znodes, long bytes) {}

    static void run(Report r, BenchSettings s) throws Exception {
        r.section("5. Writes while a snapshot of " + String.format("%,d", s.znodes()) + " znodes is written (Corral on SQLite)");
        Path dir = s.dir().resolve("work").resolve("corral-snapshot");
        Map<String, String> env = Map.of("CORRAL_SNAPSHOT_EVERY_ENTRIES", Integer.toString(SNAPSHOT_EVERY));
        try (Servers.Running node = Servers.corral(s, "corral-snapshot", dir, env);
                HttpConnection http = new HttpConnection(node.address())) {
            String data = Base64.getEncoder().encodeToString(new byte[s.dataBytes()]);
            long loadStart = System.nanoTime();
            expect(http.send("POST", "/v1/nodes/load", "{}".getBytes(StandardCharsets.UTF_8)), 201, http);
            int groups = (s.znodes() + PER_MULTI - 1) / PER_MULTI;
            for (int g = 0; g < groups; g++) {
                StringBuilder ops = new StringBuilder("{\"ops\":[{\"op\":\"create\",\"path\":\"/load/g").append(g).append("\"}");
                for (int i = 0; i < PER_MULTI && g * PER_MULTI + i < s.znodes(); i++) {
                    ops.append(",{\"op\":\"create\",\"path\":\"/load/g").append(g).append("/n").append(i)
                            .append("\",\"data\":\"").append(data).append("\"}");
                }
                expect(http.send("POST", "/v1/multi", ops.append("]}").toString().getBytes(StandardCharsets.UTF_8)), 200, http);
            }
            r.f("Loaded %,d znodes in %.1f s; a snapshot every %,d entries from then on.", s.znodes(),
                    (System.nanoTime() - loadStart) / 1e9, SNAPSHOT_EVERY);
            expect(http.send("POST", "/v1/nodes/probe", "{}".getBytes(StandardCharsets.UTF_8)), 201, http);
            byte[] set = ("{\"data\":\"" + data + "\"}").getBytes(StandardCharsets.UTF_8);
            double seconds = Math.max(10, 6 * s.cellSeconds());
            long[] startMs = new long[2_000_000];
            long[] latencyNanos = new long[startMs.length];
            int n = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end && n < startMs.length) {
                startMs[n] = System.currentTimeMillis();
                long t0 = System.nanoTime();
                expect(http.send("PUT", "/v1/nodes/probe", set), 200, http);
                latencyNanos[n++] = System.nanoTime() - t0;
            }
            List<Window> windows = windows(node.child().log());
            List<Long> inside = new ArrayList<>();
            List<Long> outside = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean during = false;
                for (Window w : windows) {
                    if (startMs[i] >= w.startMs() && startMs[i] <= w.endMs()) during = true;
                }
                (during ? inside : outside).add(latencyNanos[i]);
            }
            List<Window> probed = windows.stream().filter(w -> w.endMs() >= startMs[0]).toList();
            r.f("%d snapshots written during %.0f s of writes by one client:", probed.size(), seconds);
            for (Window w : probed) {
                r.f("  %,d znodes, %,d bytes, in %,d ms", w.znodes(), w.bytes(), w.endMs() - w.startMs());
            }
            r.line(String.format("%-28s %8s %8s %8s %8s %8s", "writes", "count", "p50 ms", "p99 ms", "p99.9 ms", "max ms"));
            line(r, "while a snapshot is written", inside);
            line(r, "at other times", outside);
            r.line("The difference between the two rows is what snapshots cost writes; the tail of the second row is the");
            r.line("JVM's garbage collector and the shared machine, with or without snapshots.");
        }
    }

    private static void line(Report r, String label, List<Long> nanos) {
        if (nanos.isEmpty()) {
            r.line(String.format("%-28s %8d", label, 0));
            return;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        r.line(String.format("%-28s %8d %8s %8s %8s %8s", label, sorted.length, Report.ms(at(sorted, 0.5)), Report.ms(at(sorted, 0.99)),
                Report.ms(at(sorted, 0.999)), Report.ms(sorted[sorted.length - 1])));
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    private static List<Window> windows(Path log) throws Exception {
        List<Window> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = SNAPSHOT_LINE.matcher(line);
            if (!m.find()) continue;
            long endMs = LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            out.add(new Window(endMs - Long.parseLong(m.group(5)), endMs, Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        }
        return out;
    }

    private static void expect(int status, int wanted, HttpConnection http) {
        if (status != wanted) {
            throw new IllegalStateException("expected HTTP " + wanted + " but got " + status + ": "
                    + new String(http.body(), StandardCharsets.UTF_8));
        }
    }
}
