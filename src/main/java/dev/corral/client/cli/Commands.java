package dev.corral.client.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every command of the tool by name, and the help that lists them. */
final class Commands {
    /** The width of the column of command names in the help. */
    private static final int NAMES_WIDTH = 28;

    private final Map<String, Command> byName = new LinkedHashMap<>();

    Commands() {
        List<Command> all = new ArrayList<>(NodeCommands.all());
        all.add(WatchCommand.command());
        all.add(MultiCommand.command());
        all.addAll(ClusterCommands.all());
        for (Command c : all) byName.put(c.name(), c);
    }

    /** Whether {@code word} names a group of commands ({@code cluster}, {@code session}) rather than a command. */
    boolean isGroup(String word) {
        return byName.keySet().stream().anyMatch(name -> name.startsWith(word + " "));
    }

    /** The command {@code words} name: one word, or a group and a word. */
    Command find(List<String> words) {
        Command c = byName.get(String.join(" ", words));
        if (c != null) return c;
        if (words.size() == 2) throw CliException.usage("unknown subcommand '" + words.get(1) + "'; expected: " + subcommands(words.get(0)));
        throw CliException.usage("unknown command '" + words.get(0) + "'");
    }

    /** The second words of a group's commands, for a message. */
    String subcommands(String group) {
        return String.join(", ", byName.keySet().stream().filter(n -> n.startsWith(group + " ")).map(n -> n.substring(group.length() + 1)).toList());
    }

    /** The help of a group: its commands. */
    String groupHelp(String group) {
        StringBuilder b = new StringBuilder("Usage: corral " + group + " COMMAND\n\nCommands:\n");
        byName.values().stream().filter(c -> c.name().startsWith(group + " ")).forEach(c -> line(b, c));
        b.append("\nFor a command's options: corral ").append(group).append(" COMMAND --help\n");
        return b.toString();
    }

    /** The tool's help: commands, {@code globalOptions}, exit codes. */
    String overview(List<Args.Option> globalOptions) {
        StringBuilder b = new StringBuilder("""
                Usage: corral [GLOBAL OPTIONS] COMMAND [OPTIONS] [OPERANDS]

                A command-line client of a Corral cluster, over its REST API: one command per run.

                Commands:
                """);
        byName.values().forEach(c -> line(b, c));
        line(b, new Command("help", "[COMMAND]", 0, 2, "this help, or a command's (also: corral COMMAND --help)", "", List.of(),
                c -> CorralCli.EXIT_OK));
        b.append("\nGlobal options (before or after the command):\n");
        Command.appendOptions(b, globalOptions);
        b.append("""

                Exit codes:
                  0  success
                  1  the cluster refused the request: NO_NODE, NODE_EXISTS, BAD_VERSION, NOT_EMPTY, NO_AUTH, ...
                     (standard error shows the code, the path and the message)
                  2  usage error: unknown command or option, missing or malformed operand, unreadable file
                  3  no node could be reached or could serve in time, the session was lost, or a write's
                     outcome is unknown (read before trying it again)
                """);
        return b.toString();
    }

    private static void line(StringBuilder b, Command c) {
        String left = c.name() + (c.operandsSyntax().isEmpty() ? "" : " " + c.operandsSyntax());
        b.append("  ").append(left).append(" ".repeat(Math.max(1, NAMES_WIDTH - left.length()))).append(c.summary()).append("\n");
    }
}
