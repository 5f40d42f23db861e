package dev.corral.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.client.AsyncCorralClient;
import dev.corral.client.Children;
import dev.corral.client.CorralException;
import dev.corral.client.CreateMode;
import dev.corral.client.CreateOptions;
import dev.corral.client.Created;
import dev.corral.client.ErrorCode;
import dev.corral.client.NodeData;
import dev.corral.client.ReadOptions;
import dev.corral.client.Stat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/** The commands on znodes: ls, tree, get, stat, create, set, delete. */
final class NodeCommands {
    /** Children are read in pages of this many names, so that no answer is too large however many there are. */
    static final int PAGE_NAMES_MAX = 1000;

    private static final Args.Option STAT = Args.Option.flag("--stat", "-s", "also print the znode's Stat");
    private static final Args.Option JSON = Args.Option.flag("--json", null, "print one JSON object, as the REST API answers");
    private static final Args.Option VERSION = Args.Option.valued("--version", "-v", "N",
            "act only if the znode is at version N (default: any version)");

    private NodeCommands() {}

    static List<Command> all() {
        return List.of(
                new Command("ls", "PATH", 1, 1, "list a znode's children", """
                        Prints the names of a znode's children, one a line, in sorted order. Large directories are read
                        in pages, so that no answer is too large; children created or deleted meanwhile may be missed.""",
                        List.of(Args.Option.flag("--stat", "-s", "also print the znode's Stat after the names"),
                                Args.Option.flag("--json", null, "print {\"path\",\"children\",\"stat\"} as JSON")),
                        NodeCommands::ls),
                new Command("tree", "PATH", 1, 1, "list a znode and every znode below it", """
                        Prints the path of PATH and of every znode below it, one a line, each before its children,
                        children in sorted order. Each znode is read on its own: znodes created or deleted during the
                        walk may be missed or seen.""",
                        List.of(Args.Option.valued("--depth", "-d", "N", "descend at most N levels below PATH (0: PATH alone)")),
                        NodeCommands::tree),
                new Command("get", "PATH", 1, 1, "print a znode's data", """
                        Writes a znode's data to standard output exactly as stored, with nothing added (not even a
                        newline), so that `corral get /a > file` and `corral set /a - < file` round-trip.""",
                        List.of(Args.Option.flag("--stat", "-s", "print the data, a newline if it lacks one, then the Stat"),
                                Args.Option.flag("--json", null, "print {\"path\",\"data\",\"stat\"} as JSON (data in base64)")),
                        NodeCommands::get),
                new Command("stat", "PATH", 1, 1, "print a znode's Stat", """
                        Prints a znode's Stat, one field a line (times in milliseconds and as UTC, an ephemeral owner as
                        its session id).""", List.of(JSON), NodeCommands::stat),
                new Command("create", "PATH [VALUE|-]", 1, 2, "create a znode", """
                        Creates a znode with VALUE (UTF-8) as its data, standard input's bytes for -, or no data, and
                        prints the path created (with its counter, for a sequential mode). The parent must exist.
                        An ephemeral znode belongs to this command's session, which ends when the command does: the
                        znode is deleted as the command exits.""",
                        List.of(Args.Option.valued("--mode", "-m", "MODE", """
                                persistent (default), ephemeral, persistent_sequential,
                                ephemeral_sequential, container, persistent_ttl,
                                persistent_sequential_ttl"""),
                                Args.Option.valued("--ttl", null, "DURATION", "the time to live of a TTL mode (500ms, 30s, 5m)")),
                        NodeCommands::create),
                new Command("set", "PATH VALUE|-", 2, 2, "set a znode's data", """
                        Sets a znode's data to VALUE (UTF-8), or to standard input's bytes for -. Prints nothing unless
                        asked. (To set the one character -, pipe it in: printf - | corral set PATH -.)""",
                        List.of(VERSION, Args.Option.flag("--stat", "-s", "print the znode's Stat after the change")),
                        NodeCommands::set),
                new Command("delete", "PATH", 1, 1, "delete a znode", """
                        Deletes a znode, which must have no children unless --recursive is given. Prints nothing.""",
                        List.of(VERSION, Args.Option.flag("--recursive", "-r", """
                                first delete every znode below PATH, deepest first, one by one:
                                not atomic; fails if children keep being added""")),
                        NodeCommands::delete));
    }

    static int ls(Context c) throws InterruptedException {
        String path = c.path(0);
        List<String> names = new ArrayList<>();
        Stat stat = null;
        String after = null;
        do {
            Children page = c.await(c.client().async().getChildrenPage(path, after, PAGE_NAMES_MAX, ReadOptions.DEFAULT));
            names.addAll(page.names());
            stat = page.stat();
            after = page.next();
        } while (after != null);
        if (c.args.has("--json")) {
            ObjectNode n = Formats.object().put("path", path);
            ArrayNode children = n.putArray("children");
            names.forEach(children::add);
            n.set("stat", Formats.statJson(stat));
            c.out.println(Formats.json(n));
            return 0;
        }
        names.forEach(c.out::println);
        if (c.args.has("--stat")) Formats.statLines(stat).forEach(c.out::println);
        return 0;
    }

    static int tree(Context c) throws InterruptedException {
        String root = c.path(0);
        int depthMax = c.args.intValue("--depth", Integer.MAX_VALUE);
        if (depthMax < 0) throw CliException.usage("option --depth needs a number of levels, 0 or more");
        AsyncCorralClient client = c.client().async();
        if (c.await(client.exists(root)) == null) throw noNode(root);
        record Entry(String path, int depth) {}
        Deque<Entry> stack = new ArrayDeque<>();
        stack.push(new Entry(root, 0));
        while (!stack.isEmpty()) {
            Entry e = stack.pop();
            List<String> names;
            try {
                names = e.depth() < depthMax ? children(c, e.path()) : List.of();
            } catch (CorralException.NoNodeException gone) {
                continue; // Deleted since its parent was listed.
            }
            c.out.println(e.path());
            for (int i = names.size() - 1; i >= 0; i--) stack.push(new Entry(Formats.child(e.path(), names.get(i)), e.depth() + 1));
        }
        return 0;
    }

    /** Every child name of {@code path}, page by page. */
    static List<String> children(Context c, String path) throws InterruptedException {
        List<String> names = new ArrayList<>();
        String after = null;
        do {
            Children page = c.await(c.client().async().getChildrenPage(path, after, PAGE_NAMES_MAX, ReadOptions.DEFAULT));
            names.addAll(page.names());
            after = page.next();
        } while (after != null);
        return names;
    }

    static int get(Context c) throws InterruptedException {
        String path = c.path(0);
        NodeData d = c.await(c.client().async().getData(path));
        if (c.args.has("--json")) {
            ObjectNode n = Formats.object().put("path", d.path()).put("data", Base64.getEncoder().encodeToString(d.data()));
            n.set("stat", Formats.statJson(d.stat()));
            c.out.println(Formats.json(n));
            return 0;
        }
        c.out.write(d.data(), 0, d.data().length);
        if (c.args.has("--stat")) {
            if (d.data().length > 0 && d.data()[d.data().length - 1] != '\n') c.out.println();
            Formats.statLines(d.stat()).forEach(c.out::println);
        }
        return 0;
    }

    static int stat(Context c) throws InterruptedException {
        String path = c.path(0);
        Stat s = c.await(c.client().async().exists(path));
        if (s == null) throw noNode(path);
        if (c.args.has("--json")) c.out.println(Formats.json(Formats.statJson(s)));
        else Formats.statLines(s).forEach(c.out::println);
        return 0;
    }

    static int create(Context c) throws InterruptedException {
        String path = c.path(0);
        String value = c.operand(1);
        CreateOptions options = createOptions(c.args.value("--mode"), c.args.has("--ttl") ? c.args.durationValue("--ttl", null) : null);
        byte[] data = value == null ? null : c.value(value);
        Created created = c.await(c.client().async().create(path, data, options));
        c.out.println(created.path());
        return 0;
    }

    /** The options of a create in {@code modeName} (default persistent), checked here so that a mistake exits 2. */
    static CreateOptions createOptions(String modeName, Duration ttl) {
        CreateMode mode = CreateMode.PERSISTENT;
        if (modeName != null) {
            try {
                mode = CreateMode.valueOf(modeName.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("unknown mode '" + modeName + "'; modes: " + modeNames());
            }
        }
        if (mode.isTtl() && ttl == null) throw CliException.usage("mode " + modeName + " needs --ttl");
        if (!mode.isTtl() && ttl != null) throw CliException.usage("--ttl needs mode persistent_ttl or persistent_sequential_ttl");
        return new CreateOptions(mode, null, ttl);
    }

    private static String modeNames() {
        List<String> names = new ArrayList<>();
        for (CreateMode m : CreateMode.values()) names.add(m.name().toLowerCase(Locale.ROOT));
        return String.join(", ", names);
    }

    static int set(Context c) throws InterruptedException {
        String path = c.path(0);
        int version = c.args.intValue("--version", -1);
        byte[] data = c.value(c.operand(1));
        Stat s = c.await(c.client().async().setData(path, data, version));
        if (c.args.has("--stat")) Formats.statLines(s).forEach(c.out::println);
        return 0;
    }

    static int delete(Context c) throws InterruptedException {
        String path = c.path(0);
        int version = c.args.intValue("--version", -1);
        if (c.args.has("--recursive")) {
            if (path.equals("/")) throw CliException.usage("delete --recursive of / is refused");
            deleteBelow(c, path);
        }
        c.await(c.client().async().delete(path, version));
        return 0;
    }

    /** Deletes every znode below {@code path}, children before parents; znodes already gone are skipped. */
    private static void deleteBelow(Context c, String path) throws InterruptedException {
        List<String> below = new ArrayList<>();
        Deque<String> toList = new ArrayDeque<>();
        toList.push(path);
        while (!toList.isEmpty()) {
            String p = toList.pop();
            List<String> names;
            try {
                names = children(c, p);
            } catch (CorralException.NoNodeException gone) {
                if (p.equals(path)) throw gone;
                continue;
            }
            for (String name : names) {
                String child = Formats.child(p, name);
                below.add(child);
                toList.push(child);
            }
        }
        // Every znode comes after its parent in the list, so deleting from the end removes children first.
        for (int i = below.size() - 1; i >= 0; i--) {
            try {
                c.await(c.client().async().delete(below.get(i), -1));
            } catch (CorralException.NoNodeException gone) {
                // Deleted by someone else meanwhile (or an ephemeral whose session ended): the goal holds.
            }
        }
    }

    private static CorralException noNode(String path) {
        return new CorralException(ErrorCode.NO_NODE, "node does not exist", path);
    }
}
