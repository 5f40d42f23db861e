package dev.corral.client.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command line split into options and operands, against the options a command knows.
 *
 * <p>Rules: {@code --name value}, {@code --name=value} and {@code -n value} give an option its value; a flag takes
 * none. An option may come before, between or after the operands. {@code --} ends the options: every token after it
 * is an operand, even one that starts with {@code -}. A lone {@code -} (standard input) and a negative number are
 * operands. An option given twice keeps every value ({@link #values}); {@link #value} is the last.
 */
final class Args {
    /**
     * An option a command knows.
     *
     * @param name its long name, with the dashes ({@code --version})
     * @param shortName its one-letter name with the dash ({@code -v}), or null
     * @param valueName what its value is called in the help ({@code N}), or null for a flag
     * @param help one line for the help
     */
    record Option(String name, String shortName, String valueName, String help) {
        boolean takesValue() {
            return valueName != null;
        }

        static Option flag(String name, String shortName, String help) {
            return new Option(name, shortName, null, help);
        }

        static Option valued(String name, String shortName, String valueName, String help) {
            return new Option(name, shortName, valueName, help);
        }
    }

    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\d+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    private final Map<String, List<String>> values;
    private final List<String> operands;
    private final List<String> rest;

    private Args(Map<String, List<String>> values, List<String> operands, List<String> rest) {
        this.values = values;
        this.operands = operands;
        this.rest = rest;
    }

    /** Parses {@code tokens} against {@code known}. */
    static Args parse(List<String> tokens, List<Option> known) {
        return parse(tokens, known, false);
    }

    /**
     * Parses the options before the first operand (the command word) against {@code known}; that operand and every
     * token after it are left, unparsed, in {@link #rest}.
     */
    static Args parseLeading(List<String> tokens, List<Option> known) {
        return parse(tokens, known, true);
    }

    private static Args parse(List<String> tokens, List<Option> known, boolean stopAtOperand) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (stopAtOperand && (!isOption(t) || t.equals("--"))) {
                return new Args(values, operands, List.copyOf(tokens.subList(t.equals("--") ? i + 1 : i, tokens.size())));
            }
            if (optionsEnded || !isOption(t)) {
                operands.add(t);
                continue;
            }
            if (t.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = t;
            String value = null;
            int eq = t.indexOf('=');
            if (t.startsWith("--") && eq > 0) {
                name = t.substring(0, eq);
                value = t.substring(eq + 1);
            }
            Option o = find(known, name);
            if (o == null) throw CliException.usage("unknown option " + name);
            if (o.takesValue() && value == null) {
                if (i + 1 >= tokens.size()) throw CliException.usage("option " + name + " needs a value " + o.valueName());
                value = tokens.get(++i);
            } else if (!o.takesValue() && value != null) {
                throw CliException.usage("option " + name + " takes no value");
            }
            values.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(value == null ? "" : value);
        }
        return new Args(values, operands, List.of());
    }

    /** Whether {@code token} is an option (or {@code --}) rather than an operand. */
    static boolean isOption(String token) {
        return token.startsWith("-") && token.length() > 1 && !NEGATIVE_NUMBER.matcher(token).matches();
    }

    private static Option find(List<Option> known, String name) {
        for (Option o : known) {
            if (o.name().equals(name) || name.equals(o.shortName())) return o;
        }
        return null;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The option's last value, or null if it was not given. */
    String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.getLast();
    }

    /** Every value the option was given, in order. */
    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    List<String> operands() {
        return operands;
    }

    /** For {@link #parseLeading}: the command word and everything after it. */
    List<String> rest() {
        return rest;
    }

    /** The option's value as an int, or {@code otherwise} if it was not given. */
    int intValue(String name, int otherwise) {
        String v = value(name);
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage("option " + name + " needs a whole number, not '" + v + "'");
        }
    }

    /** The option's value as a duration, or {@code otherwise} if it was not given. */
    Duration durationValue(String name, Duration otherwise) {
        String v = value(name);
        return v == null ? otherwise : duration(name, v);
    }

    /** {@code 500ms}, {@code 15s}, {@code 2m}, or a plain number of seconds; positive. */
    static Duration duration(String name, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        Duration d = null;
        if (m.matches() && m.group(1).length() <= 9) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        if (d == null || d.isZero()) {
            throw CliException.usage("option " + name + " needs a positive duration such as 500ms, 15s or 2m, not '" + text + "'");
        }
        return d;
    }
}
