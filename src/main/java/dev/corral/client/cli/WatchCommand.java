package dev.corral.client.cli;

import dev.corral.client.SessionListener;
import dev.corral.client.SessionState;
import dev.corral.client.WatchMode;
import dev.corral.client.WatchedEvent;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code watch PATH}: a persistent watch (recursive on request) whose events are printed as they come, until the
 * count is reached, the session is lost, or the user stops the command.
 */
final class WatchCommand {
    private WatchCommand() {}

    static Command command() {
        return new Command("watch", "PATH", 1, 1, "print a znode's changes as they happen", """
                Sets a persistent watch on PATH (which need not exist) and prints each event as it comes, one a line:
                TYPE PATH zxid=ZXID, where TYPE is NodeCreated, NodeDeleted, NodeDataChanged or NodeChildrenChanged.
                Once the watch is set, a line "watching PATH" goes to standard error. Runs until --count events have
                been printed, or until stopped (Ctrl-C, which closes the session). The watch survives moves between
                nodes without losing events; if the session is lost, the command ends with exit code 3.""",
                List.of(Args.Option.flag("--recursive", "-r", """
                                also watch every znode below PATH (created, deleted and
                                data changed events; no children events)"""),
                        Args.Option.valued("--count", "-n", "N", "exit (code 0) after N events"),
                        Args.Option.flag("--json", null, "print each event as {\"type\",\"path\",\"zxid\"}")),
                WatchCommand::run);
    }

    static int run(Context c) throws InterruptedException {
        String path = c.path(0);
        int count = c.args.intValue("--count", 0);
        if (c.args.has("--count") && count < 1) throw CliException.usage("option --count needs a number of events, 1 or more");
        WatchMode mode = c.args.has("--recursive") ? WatchMode.PERSISTENT_RECURSIVE : WatchMode.PERSISTENT;
        // Events and session states in one queue, so that this thread sees them in the order the client delivered them.
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        SessionListener states = queue::add;
        c.client().addSessionListener(states);
        c.await(c.client().async().addWatch(path, mode, queue::add));
        c.err.println("watching " + path + (mode == WatchMode.PERSISTENT_RECURSIVE ? " and below" : ""));
        int printed = 0;
        while (count == 0 || printed < count) {
            Object next = queue.take();
            if (next instanceof WatchedEvent e) {
                print(c, e);
                printed++;
            } else if (next instanceof SessionState s) {
                switch (s) {
                    case EXPIRED, CLOSED -> throw CliException.unreachable("the session " + (s == SessionState.EXPIRED ? "expired" : "was closed")
                            + "; the watch is gone and later events are not seen");
                    case DISCONNECTED -> c.err.println("disconnected; trying the other nodes");
                    case RECONNECTED -> c.err.println("reconnected to " + c.client().currentServer());
                    case CONNECTED -> { }
                }
            }
        }
        return 0;
    }

    private static void print(Context c, WatchedEvent e) {
        if (c.args.has("--json")) {
            c.out.println(Formats.json(Formats.object().put("type", e.type().wireName()).put("path", e.path()).put("zxid", e.zxid())));
        } else {
            c.out.println(e.type().wireName() + " " + e.path() + " zxid=" + e.zxid());
        }
        // Whoever reads a pipe from this command sees each event as it comes, not when a buffer fills.
        c.out.flush();
    }
}
