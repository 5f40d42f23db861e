package dev.corral.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many seeds of every scenario outside JUnit and reports all that fail, not only the first: the tool behind
 * {@code bin/planted-bugs} (does each deliberate bug get caught, and by how many seeds?) and {@code bin/simulate}
 * (long runs of the unchanged code). Without options it runs exactly the seeds {@link SimulationTest} runs in CI
 * ({@link SimulationTest#ciSeeds}); {@code --seeds N} runs seeds 1 to N of every scenario instead ({@code --from F}
 * starts at F), and {@code --scenario S} limits it to one scenario. Seeds run in parallel, one per core; each is
 * deterministic, so the report does not depend on the order.
 *
 * <p>The last line of the output is the verdict, for scripts:
 * {@code RESULT failed=K total=M first=<scenario> seed <s> (step <n>): <message>} ({@code first=-} if none failed).
 * The exit code is 0 either way; {@code --expect-clean} makes it 1 if any seed failed.
 */
final class SimBugHunt {
    private SimBugHunt() {}

    private record Run(SimOptions.Scenario scenario, long seed) {}

    private record Failure(Run run, long step, String message) {}

    public static void main(String[] args) throws Exception {
        long seedsPerScenario = 0;
        long from = 1;
        boolean verbose = false;
        boolean expectClean = false;
        List<SimOptions.Scenario> scenarios = List.of(SimOptions.Scenario.values());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seedsPerScenario = Long.parseLong(args[++i]);
                case "--from" -> from = Long.parseLong(args[++i]);
                case "--scenario" -> scenarios = List.of(SimOptions.Scenario.valueOf(args[++i]));
                case "--expect-clean" -> expectClean = true;
                case "-v" -> verbose = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use [--seeds N] [--from F] [--scenario S] [--expect-clean] [-v]");
            }
        }
        List<Run> runs = new ArrayList<>();
        for (SimOptions.Scenario scenario : scenarios) {
            if (seedsPerScenario > 0) {
                for (long s = from; s < from + seedsPerScenario; s++) runs.add(new Run(scenario, s));
            } else {
                for (long s : SimulationTest.ciSeeds(scenario)) runs.add(new Run(scenario, s));
            }
        }
        long started = System.nanoTime();
        List<Failure> failures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            List<Future<Failure>> results = new ArrayList<>();
            for (Run r : runs) results.add(pool.submit(() -> runOne(r)));
            for (int i = 0; i < runs.size(); i++) {
                Failure f = results.get(i).get();
                if (f == null) continue;
                failures.add(f);
                if (verbose) System.out.println("FAIL " + describe(f) + "\n  replay: " + SimulationTest.replayCommand(f.run.scenario, f.run.seed));
            }
        }
        System.out.printf(Locale.ROOT, "%d seeds in %s, %d failed, %.1f s%n", runs.size(), scenarios, failures.size(),
                (System.nanoTime() - started) / 1e9);
        for (SimOptions.Scenario scenario : scenarios) {
            long n = failures.stream().filter(f -> f.run.scenario == scenario).count();
            long total = runs.stream().filter(r -> r.scenario == scenario).count();
            System.out.printf(Locale.ROOT, "  %-16s %d of %d failed%n", scenario, n, total);
        }
        String first = failures.isEmpty() ? "-" : describe(failures.getFirst());
        System.out.println("RESULT failed=" + failures.size() + " total=" + runs.size() + " first=" + first);
        List<String> scriptedFailures = scripted(verbose);
        if (expectClean && (!failures.isEmpty() || !scriptedFailures.isEmpty())) System.exit(1);
    }

    /**
     * Runs the scripted hard cases ({@link SimHardCasesTest}: each fails under the bug it names) and prints
     * {@code SCRIPTED failed=K total=M first=<case>: <message>}; returns the cases that failed. Some bugs need a
     * schedule the random seeds almost never produce (a deposed leader still answering reads in the moment before it
     * notices): the scripted cases are how those are caught.
     */
    private static List<String> scripted(boolean verbose) throws Exception {
        List<String> failed = new ArrayList<>();
        int total = 0;
        String first = "-";
        for (java.lang.reflect.Method m : SimHardCasesTest.class.getDeclaredMethods()) {
            if (!m.isAnnotationPresent(org.junit.jupiter.api.Test.class)) continue;
            total++;
            var ctor = SimHardCasesTest.class.getDeclaredConstructor();
            ctor.setAccessible(true);
            m.setAccessible(true);
            try {
                m.invoke(ctor.newInstance());
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable cause = e.getCause();
                String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
                if (!(cause instanceof AssertionError)) message = cause.getClass().getSimpleName() + ": " + message;
                if (message.length() > 200) message = message.substring(0, 200) + "…";
                failed.add(m.getName());
                if (first.equals("-")) first = m.getName() + ": " + message;
                if (verbose) System.out.println("FAIL scripted " + m.getName() + ": " + message);
            }
        }
        failed.sort(null);
        System.out.println("SCRIPTED failed=" + failed.size() + " total=" + total + " first=" + first);
        return failed;
    }

    private static Failure runOne(Run r) {
        try {
            new Simulation(r.scenario, r.seed).run();
            return null;
        } catch (SimulationFailure f) {
            Throwable cause = f.getCause() == null ? f : f.getCause();
            String m = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
            if (!(cause instanceof AssertionError)) m = cause.getClass().getSimpleName() + ": " + m;
            return new Failure(r, f.step, m.length() > 200 ? m.substring(0, 200) + "…" : m);
        }
    }

    private static String describe(Failure f) {
        return f.run.scenario + " seed " + f.run.seed + " (step " + f.step + "): " + f.message;
    }
}
