package dev.corral.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * ZooKeeper's group-commit counters from its {@code mntr} four-letter command: fsyncs of the transaction log
 * ({@code fsynctime}: the {@code force} call only, in whole milliseconds, truncated) and the requests per
 * flush ({@code sync_processor_batch_size}).
 */
final class ZooKeeperCounters implements WriteCounters {
    private final InetSocketAddress address;

    ZooKeeperCounters(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public Snapshot read() throws IOException {
        String text;
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("mntr".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Snapshot(value(text, "zk_cnt_fsynctime"), value(text, "zk_sum_fsynctime") / 1000,
                value(text, "zk_sum_sync_processor_batch_size"));
    }

    private static double value(String text, String key) throws IOException {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + "\t")) return Double.parseDouble(line.substring(key.length() + 1).trim());
        }
        throw new IOException("mntr did not report " + key + " (is mntr whitelisted?)");
    }

    @Override
    public void close() {}
}
