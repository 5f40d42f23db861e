package dev.corral.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Prints the report to standard output as it goes and keeps a copy in a file. */
final class Report implements AutoCloseable {
    private final PrintWriter file;
    private final Path path;

    Report(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        this.path = path;
        this.file = new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), true);
    }

    Path path() {
        return path;
    }

    synchronized void line(String text) {
        System.out.println(text);
        System.out.flush();
        file.println(text);
    }

    void line() {
        line("");
    }

    void f(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }

    void section(String title) {
        line();
        line("=".repeat(Math.min(110, title.length() + 6)));
        line("== " + title);
        line("=".repeat(Math.min(110, title.length() + 6)));
    }

    @Override
    public void close() {
        file.close();
    }

    static String ms(long nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) return String.format(Locale.ROOT, "%.0f", ms);
        if (ms >= 10) return String.format(Locale.ROOT, "%.1f", ms);
        return String.format(Locale.ROOT, "%.2f", ms);
    }

    static String rate(double perSecond) {
        if (perSecond >= 100) return String.format(Locale.ROOT, "%.0f", perSecond);
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** A ratio Corral/ZooKeeper, or "-" where either side has no figure. */
    static String ratio(double corral, double zookeeper) {
        if (!(corral > 0) || !(zookeeper > 0)) return "-";
        double r = corral / zookeeper;
        return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : r >= 1 ? "%.2fx" : "%.3fx", r);
    }
}
