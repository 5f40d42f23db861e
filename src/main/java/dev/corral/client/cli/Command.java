package dev.corral.client.cli;

import java.util.List;

/**
 * One command of the tool: its name (one word, or a group and a word: {@code cluster status}), its operands, its
 * options, its help, and what it does.
 *
 * @param name the words that name it
 * @param operandsSyntax its operands as the help shows them ({@code PATH [VALUE|-]})
 * @param operandsMin how many operands it needs at least
 * @param operandsMax how many it takes at most
 * @param summary one line for the list of commands
 * @param description the help's paragraphs: what it does and prints
 * @param options the options it knows besides the global ones
 * @param runner what it does
 */
record Command(String name, String operandsSyntax, int operandsMin, int operandsMax, String summary, String description,
        List<Args.Option> options, Runner runner) {
    /** What a command does; returns the exit code, or throws for a failure. */
    @FunctionalInterface
    interface Runner {
        int run(Context context) throws InterruptedException;
    }

    /** The command's help: usage, description, options, and a pointer to the global options. */
    String help() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: corral ").append(name).append(options.isEmpty() ? "" : " [OPTIONS]")
                .append(operandsSyntax.isEmpty() ? "" : " " + operandsSyntax).append("\n\n");
        b.append(description.strip()).append("\n");
        if (!options.isEmpty()) {
            b.append("\nOptions:\n");
            appendOptions(b, options);
        }
        b.append("\nGlobal options (--server, --timeout, --verbose) and exit codes: corral --help\n");
        return b.toString();
    }

    /** The width of the column of option names in the help. */
    private static final int NAMES_WIDTH = 28;

    /** One line per option, names in a column. */
    static void appendOptions(StringBuilder b, List<Args.Option> options) {
        for (Args.Option o : options) {
            String names = (o.shortName() == null ? "    " : o.shortName() + ", ") + o.name()
                    + (o.takesValue() ? " " + o.valueName() : "");
            b.append("  ").append(names);
            if (names.length() < NAMES_WIDTH) {
                b.append(" ".repeat(NAMES_WIDTH - names.length()));
            } else {
                b.append("\n").append(" ".repeat(NAMES_WIDTH + 2));
            }
            b.append(o.help().replace("\n", "\n" + " ".repeat(NAMES_WIDTH + 2))).append("\n");
        }
    }
}
