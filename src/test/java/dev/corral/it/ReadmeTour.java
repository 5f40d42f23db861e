package dev.corral.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tour of README.md as steps: each {@code $ } line of a code block in the section {@value #SECTION} is a
 * command, and the lines after it, up to the next command or the end of the block, are what it prints.
 *
 * <p>How a step's output is compared with the README ({@link #mismatch}), line by line, after trailing blank
 * lines are dropped on both sides:
 * <ul>
 *   <li>{@code ...} in the README stands for any text within the line (an elision: fields left out);</li>
 *   <li>values that differ from run to run by nature are masked on both sides before comparing, and nothing
 *       else: {@code ctime}/{@code mtime} (times), a session's {@code "id"} (16 hex digits) and a non-zero
 *       {@code ephemeralOwner} (the same id as a number), and a session's {@code "secret"} (32 hex digits).
 *       Zxids, versions, paths, data, counts and messages are compared exactly.</li>
 * </ul>
 */
record ReadmeTour(List<Step> steps) {
    static final String SECTION = "## A tour";

    /** One command and the lines the README says it prints. */
    record Step(String command, List<String> expected, int readmeLine) {}

    private static final List<Mask> MASKS = List.of(
            new Mask(Pattern.compile("\"(ctime|mtime)\":\\d+"), "\"$1\":<time>"),
            new Mask(Pattern.compile("\"id\":\"[0-9a-f]{16}\""), "\"id\":\"<session>\""),
            new Mask(Pattern.compile("\"ephemeralOwner\":[1-9]\\d*"), "\"ephemeralOwner\":<session>"),
            new Mask(Pattern.compile("\"secret\":\"[0-9a-f]{32}\""), "\"secret\":\"<secret>\""));

    private record Mask(Pattern pattern, String replacement) {
        String apply(String s) {
            return pattern.matcher(s).replaceAll(replacement);
        }
    }

    /** The tour's steps, in order, from the text of README.md. */
    static ReadmeTour parse(String readme) {
        List<String> lines = readme.lines().toList();
        int start = lines.indexOf(SECTION);
        if (start < 0) throw new IllegalArgumentException("README.md has no line '" + SECTION + "'");
        List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        String command = null;
        int commandLine = 0;
        List<String> expected = new ArrayList<>();
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!inBlock && line.startsWith("## ")) break;
            if (line.startsWith("```")) {
                if (inBlock && command != null) steps.add(new Step(command, List.copyOf(expected), commandLine));
                command = null;
                expected.clear();
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) continue;
            if (line.startsWith("$ ")) {
                if (command != null) steps.add(new Step(command, List.copyOf(expected), commandLine));
                command = line.substring(2);
                commandLine = i + 1;
                expected.clear();
            } else if (command == null) {
                throw new IllegalArgumentException("README.md line " + (i + 1) + ": output before any command in a tour block: " + line);
            } else {
                expected.add(line);
            }
        }
        if (inBlock) throw new IllegalArgumentException("README.md: a code block of the tour is not closed");
        if (steps.isEmpty()) throw new IllegalArgumentException("README.md: the tour has no commands");
        return new ReadmeTour(List.copyOf(steps));
    }

    /** Why {@code actual} is not what the README shows for {@code step}, or empty if it is. */
    static Optional<String> mismatch(Step step, String actual) {
        List<String> want = trimTrailingBlank(step.expected());
        List<String> got = trimTrailingBlank(actual.lines().toList());
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String w = i < want.size() ? want.get(i) : null;
            String g = i < got.size() ? got.get(i) : null;
            if (w == null || g == null || !lineMatches(w, g)) {
                return Optional.of("README.md line " + step.readmeLine() + ": $ " + step.command() + "\n  output line " + (i + 1)
                        + "\n  README shows: " + (w == null ? "(nothing more)" : w) + "\n  the node gave: " + (g == null ? "(nothing more)" : g)
                        + "\n  whole output:\n" + actual.indent(4));
            }
        }
        return Optional.empty();
    }

    /** One README line against one output line: masks on both, then {@code ...} as a wildcard. */
    static boolean lineMatches(String readme, String actual) {
        String want = mask(readme);
        String got = mask(actual);
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int at = want.indexOf("..."); at >= 0; at = want.indexOf("...", from)) {
            regex.append(Pattern.quote(want.substring(from, at))).append(".*?");
            from = at + 3;
        }
        regex.append(Pattern.quote(want.substring(from)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(got).matches();
    }

    static String mask(String s) {
        for (Mask m : MASKS) s = m.apply(s);
        return s;
    }

    private static List<String> trimTrailingBlank(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) end--;
        return lines.subList(0, end);
    }

    /** Commands with {@code localhost:8080} pointed at {@code port}. */
    static String onPort(String command, int port) {
        return command.replace("localhost:8080", "localhost:" + port);
    }

}
