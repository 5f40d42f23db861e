package dev.corral.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client-visible throughput and latency of one target: create, setData and getData of znodes with
 * {@code dataBytes} of data, at each concurrency in turn, every client with its own connection or session.
 */
final class ApiBench {
    /** One measured combination. */
    record Cell(Target.Op op, int clients) {}

    private ApiBench() {}

    static Map<Cell, Stats> measure(Report r, BenchSettings s, Target target) throws Exception {
        r.line();
        r.line("-- " + target.label());
        List<Target.Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < s.maxConcurrency(); i++) clients.add(target.connect());
            byte[] data = new byte[s.dataBytes()];
            new SplittableRandom(7).nextBytes(data);
            String[] dataPaths = prepare(clients, s.dataZnodes(), data);
            boolean counters = target.counters() != null;
            r.f("%-8s %7s %9s %8s %8s %8s %8s %8s %7s%s", "op", "clients", "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
                    counters ? "   writes/s  entries/write  ms/write" : "");
            Map<Cell, Stats> results = new LinkedHashMap<>();
            boolean first = true;
            for (Target.Op op : Target.Op.values()) {
                for (int c : s.concurrency()) {
                    String createParent = "/bench/create/c" + c;
                    if (op == Target.Op.CREATE) clients.getFirst().ensure(createParent);
                    WriteCounters.Snapshot before = counters ? target.counters().read() : null;
                    double warmup = s.warmupSeconds() + (first ? 2 * s.warmupSeconds() + 1 : 0);
                    Stats st = ClosedLoop.run(clients.subList(0, c), op, createParent, dataPaths, data, warmup, s.cellSeconds());
                    String extra = "";
                    if (counters) {
                        WriteCounters.Delta d = target.counters().read().minus(before);
                        double seconds = warmup + s.cellSeconds();
                        extra = op == Target.Op.GET ? "" : String.format(Locale.ROOT, "   %8.0f  %13.1f  %8.2f", d.writes() / seconds,
                                d.entriesPerWrite(), d.meanWriteMs());
                    }
                    first = false;
                    results.put(new Cell(op, c), st);
                    r.f("%-8s %7d %9s %8s %8s %8s %8s %8s %7d%s", op.label, c, Report.rate(st.perSecond()), Report.ms(st.p50()), Report.ms(st.p90()),
                            Report.ms(st.p99()), Report.ms(st.p999()), Report.ms(st.max()), st.errors(), extra);
                    if (st.errors() > 0) r.line("         first error: " + st.firstError());
                }
            }
            return results;
        } finally {
            for (Target.Client c : clients) c.close();
            if (target.counters() != null) target.counters().close();
        }
    }

    /** Creates the parents and the znodes that setData and reads use, with several clients in parallel. */
    static String[] prepare(List<Target.Client> clients, int count, byte[] data) throws Exception {
        Target.Client first = clients.getFirst();
        for (String p : List.of("/bench", "/bench/data", "/bench/create")) first.ensure(p);
        String[] paths = new String[count];
        for (int i = 0; i < count; i++) paths[i] = String.format(Locale.ROOT, "/bench/data/n%04d", i);
        int workers = Math.min(16, clients.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = worker; i < count; i += workers) clients.get(worker).create(paths[i], data);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new IllegalStateException("creating the data znodes failed: " + failure.get(), failure.get());
        return paths;
    }
}
