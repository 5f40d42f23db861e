package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.corral.it.PackagedNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java client examples, run as they stand there: every {@code java} block of the section
 * {@value #SECTION} becomes a program (its {@code import} lines on top, the rest as the body of {@code main}), compiled
 * against exactly the client jar and Jackson's three jars, and run in a child JVM against a fresh packaged node. The
 * block's server URLs {@code http://nodeN:8080} are pointed at this machine: when it names more than one, the first
 * at a port where nothing listens and the others at the node, so that the example's list of servers is exercised.
 * What it prints must be what the trailing comments of its {@code System.out.println} lines say, in order.
 */
class ClientReadmeIT {
    static final String SECTION = "## The Java client";
    private static final Pattern SERVER = Pattern.compile("\"http://node(\\d+):8080\"");
    private static final Pattern PRINTS = Pattern.compile(".*System\\.out\\.println\\(.*\\);\\s*//\\s?(.*)$");

    @TempDir
    Path work;

    /** One java block of the section: where it starts in README.md, and its lines. */
    record Example(int readmeLine, List<String> lines) {}

    @Test
    void theReadmesClientExamplesCompileAgainstTheClientJarAndPrintWhatTheirCommentsSay() throws Exception {
        List<Example> examples = examples(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        String cp = ClientJars.classPath();
        try (PackagedNode node = PackagedNode.startReady(work.resolve("data"), "ClientReadmeIT.log")) {
            for (int i = 0; i < examples.size(); i++) {
                Example example = examples.get(i);
                String name = "ReadmeExample" + (i + 1);
                String where = "the java block at README.md line " + example.readmeLine();
                String source = program(name, example, node.url(), "http://127.0.0.1:" + closedPort());
                Path dir = Files.createDirectories(work.resolve(name));
                Path file = Files.writeString(dir.resolve(name + ".java"), source);
                Path classes = Files.createDirectories(dir.resolve("classes"));
                try {
                    ClientJars.compile(file, cp, classes);
                } catch (AssertionError e) {
                    throw new AssertionError(where + " does not compile as a program:\n" + numbered(source) + "\n" + e.getMessage(), e);
                }
                ClientJars.Ran ran = ClientJars.run(cp + File.pathSeparator + classes, name, List.of(), dir, Duration.ofSeconds(60));
                assertEquals(0, ran.code(), () -> where + " failed:\n" + ran.out() + ran.err() + "\nnode:\n" + node.tail(30));
                assertEquals(expectedOutput(example), ran.out().lines().toList(),
                        () -> where + " does not print what its comments say; standard error:\n" + ran.err());
            }
        }
    }

    /** Every java block of the section, in order; fails if there is none. */
    static List<Example> examples(String readme) {
        List<String> lines = readme.lines().toList();
        int start = lines.indexOf(SECTION);
        if (start < 0) throw new AssertionError("README.md has no line '" + SECTION + "'");
        List<Example> examples = new ArrayList<>();
        List<String> block = null;
        int blockLine = 0;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (block == null && line.startsWith("## ")) break;
            if (block == null && line.strip().equals("```java")) {
                block = new ArrayList<>();
                blockLine = i + 2;
            } else if (block != null && line.strip().equals("```")) {
                examples.add(new Example(blockLine, List.copyOf(block)));
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        if (block != null) throw new AssertionError("README.md: a java block of '" + SECTION + "' is not closed");
        if (examples.isEmpty()) throw new AssertionError("README.md: '" + SECTION + "' has no java block to run");
        return examples;
    }

    /**
     * The block as a class {@code name}: its imports on top, the rest in {@code main}, with its servers pointed at
     * {@code live} (the first of several at {@code dead}).
     */
    static String program(String name, Example example, String live, String dead) {
        Map<String, String> servers = new LinkedHashMap<>();
        for (String line : example.lines()) {
            Matcher m = SERVER.matcher(line);
            while (m.find()) servers.putIfAbsent(m.group(), null);
        }
        if (servers.isEmpty()) {
            throw new AssertionError("the java block at README.md line " + example.readmeLine()
                    + " names no \"http://nodeN:8080\" server for the test to point at the node");
        }
        boolean first = true;
        for (String key : servers.keySet()) {
            servers.put(key, "\"" + (first && servers.size() > 1 ? dead : live) + "\"");
            first = false;
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : example.lines()) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
                continue;
            }
            String replaced = line;
            for (Map.Entry<String, String> s : servers.entrySet()) replaced = replaced.replace(s.getKey(), s.getValue());
            body.append("        ").append(replaced).append('\n');
        }
        return imports + "\npublic class " + name + " {\n    public static void main(String[] args) throws Exception {\n" + body
                + "    }\n}\n";
    }

    /** The trailing comments of the block's println lines, in order; fails if there is none. */
    static List<String> expectedOutput(Example example) {
        List<String> expected = new ArrayList<>();
        for (String line : example.lines()) {
            Matcher m = PRINTS.matcher(line);
            if (m.matches()) expected.add(m.group(1).strip());
        }
        assertFalse(expected.isEmpty(), "the java block at README.md line " + example.readmeLine()
                + " shows no output (a '// what it prints' comment after System.out.println) to check");
        return expected;
    }

    private static String numbered(String source) {
        List<String> lines = source.lines().toList();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) b.append(String.format("%3d  %s%n", i + 1, lines.get(i)));
        return b.toString();
    }

    /** A port nothing listens on (bound, then closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
