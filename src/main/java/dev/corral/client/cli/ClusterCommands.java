package dev.corral.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.client.ClusterStatus;
import dev.corral.client.SessionInfo;
import java.util.List;

/** The commands about the cluster rather than znodes: cluster status, session info. */
final class ClusterCommands {
    /** Where {@code session info} finds a secret not given as an option. */
    static final String SECRET_ENV = "CORRAL_SESSION_SECRET";

    private static final Args.Option JSON = Args.Option.flag("--json", null, "print one JSON object, as the REST API answers");

    private ClusterCommands() {}

    static List<Command> all() {
        return List.of(
                new Command("cluster status", "", 0, 0, "the members, their roles, the leader and the term", """
                        Prints the cluster as the node answering sees it: the leader it knows and its term, then one
                        line per member with its id, role (leader, follower, observer, candidate, or unreachable),
                        whether it is ready, its term, the highest zxid it has applied, how far it lags behind the
                        leader's commit index, and its URL. A member that did not answer within a second shows
                        unreachable and - for what it did not say.""", List.of(JSON), ClusterCommands::status),
                new Command("session info", "ID", 1, 1, "describe a session", """
                        Prints a session's id and timeout. The cluster tells only whoever has the session's secret
                        (shown when the session was opened): give it with --secret or in $CORRAL_SESSION_SECRET. A
                        session that has expired or was closed is refused with SESSION_EXPIRED (exit code 1).""",
                        List.of(Args.Option.valued("--secret", null, "HEX", "the session's secret (default: $" + SECRET_ENV + ")"), JSON),
                        ClusterCommands::sessionInfo));
    }

    static int status(Context c) throws InterruptedException {
        ClusterStatus s = c.await(c.client().async().cluster());
        if (c.args.has("--json")) {
            c.out.println(Formats.json(json(s)));
            return 0;
        }
        c.out.println("leader: " + (s.leader() == 0 ? "none" : s.leader()) + "  term: " + s.term() + "  commit index: " + s.commitIndex()
                + "  applied zxid: " + s.appliedZxid());
        String format = "%-4s %-12s %-6s %-6s %-12s %-8s %s%n";
        c.out.printf(format, "ID", "ROLE", "READY", "TERM", "APPLIED", "LAG", "URL");
        for (ClusterStatus.Member m : s.members()) {
            c.out.printf(format, m.id(), m.role(), m.ready() == null ? "-" : m.ready() ? "yes" : "no", orDash(m.term()),
                    orDash(m.appliedZxid()), orDash(m.lag()), (m.url().isEmpty() ? "-" : m.url()) + (m.self() ? " (answered)" : ""));
        }
        return 0;
    }

    private static String orDash(Long n) {
        return n == null ? "-" : n.toString();
    }

    private static ObjectNode json(ClusterStatus s) {
        ObjectNode n = Formats.object().put("leader", s.leader()).put("term", s.term()).put("commitIndex", s.commitIndex())
                .put("appliedZxid", s.appliedZxid());
        ArrayNode members = n.putArray("members");
        for (ClusterStatus.Member m : s.members()) {
            ObjectNode o = members.addObject().put("id", m.id()).put("url", m.url()).put("role", m.role()).put("self", m.self())
                    .put("reachable", m.reachable());
            o.put("term", m.term()).put("commitIndex", m.commitIndex()).put("appliedZxid", m.appliedZxid()).put("ready", m.ready())
                    .put("lag", m.lag()).put("clientPort", m.clientPort());
        }
        return n;
    }

    static int sessionInfo(Context c) throws InterruptedException {
        String id = c.operand(0);
        if (!id.matches("[0-9a-fA-F]{16}")) throw CliException.usage("a session id is 16 hex digits, not '" + id + "'");
        String secret = c.args.has("--secret") ? c.args.value("--secret") : c.env.get(SECRET_ENV);
        SessionInfo info = c.await(c.client().async().sessionInfo(id, secret));
        if (c.args.has("--json")) {
            c.out.println(Formats.json(Formats.object().put("id", info.id()).put("timeoutMs", info.timeout().toMillis())));
        } else {
            c.out.println("id: " + info.id());
            c.out.println("timeout: " + info.timeout().toMillis() + " ms");
        }
        return 0;
    }
}
