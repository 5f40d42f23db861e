package dev.corral.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Corral's group-commit counters from {@code /q/metrics} (Prometheus text): durable log writes, the time each
 * {@code JdbcLogStore.write} took (the whole transaction: delete of a replaced suffix, inserts, hard state,
 * commit with its fsync) and the entries they carried.
 */
final class CorralCounters implements WriteCounters {
    private final HttpConnection http;

    CorralCounters(InetSocketAddress address) {
        this.http = new HttpConnection(address);
    }

    @Override
    public Snapshot read() throws IOException {
        int status = http.send("GET", "/q/metrics", null);
        if (status != 200) throw new IOException("GET /q/metrics: HTTP " + status);
        String text = new String(http.body(), StandardCharsets.UTF_8);
        return new Snapshot(value(text, "corral_log_write_seconds_count"), value(text, "corral_log_write_seconds_sum"),
                value(text, "corral_log_write_entries_sum"));
    }

    /** The first sample of {@code metric} (these carry no labels that matter here); 0 if absent. */
    private static double value(String text, String metric) {
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Override
    public void close() {
        http.close();
    }
}
