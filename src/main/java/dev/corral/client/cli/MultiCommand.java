package dev.corral.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.client.Op;
import dev.corral.client.OpResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code multi FILE}: a JSON file of operations applied all or nothing. The format (also in the command's help):
 * an array of objects, or an object whose {@code ops} is that array, each with {@code op} ({@code create},
 * {@code set}, {@code delete}, {@code check}), {@code path}, and as the operation needs: {@code value} (UTF-8 text)
 * or {@code data} (base64), {@code version}, {@code mode}, {@code ttl}. Unknown fields are refused, so that a typo
 * does not pass unseen.
 */
final class MultiCommand {
    /** The cluster's own limit on a multi's operations; a longer file is refused before anything is sent. */
    static final int OPS_MAX = 10_000;

    private static final Set<String> CREATE_FIELDS = Set.of("op", "path", "value", "data", "mode", "ttl");
    private static final Set<String> SET_FIELDS = Set.of("op", "path", "value", "data", "version");
    private static final Set<String> VERSION_FIELDS = Set.of("op", "path", "version");

    private MultiCommand() {}

    static Command command() {
        return new Command("multi", "FILE|-", 1, 1, "apply a JSON file of operations, all or nothing", """
                Reads operations from FILE (or standard input for -) and applies them all at one zxid, in order, or
                none of them. Prints one line per operation: create PATH, set PATH version=N, delete PATH, check PATH.
                If one fails, nothing changes, and the error names the failing operation (counted from 0).

                FILE holds a JSON array of operations (or {"ops": [...]}), for example:
                  [{"op": "check",  "path": "/app", "version": 2},
                   {"op": "create", "path": "/app/config", "value": "{}"},
                   {"op": "create", "path": "/app/job-", "mode": "persistent_sequential"},
                   {"op": "set",    "path": "/app/state", "data": "cnVubmluZw==", "version": -1},
                   {"op": "delete", "path": "/app/old"}]
                Fields: op (create, set, delete, check) and path, always; value (UTF-8 text) or data
                (base64) for create and set; version for set, delete and check (default -1: any; for
                check, -1 means the znode must exist); mode and ttl for create (mode as for corral
                create; ttl in milliseconds, or a duration such as "30s"). Ephemeral creates belong to
                this command's session and are deleted as it exits.""", List.of(), MultiCommand::run);
    }

    static int run(Context c) throws InterruptedException {
        String file = c.operand(0);
        List<Op> ops = parse(c.file(file), file.equals("-") ? "standard input" : file);
        List<OpResult> results = c.await(c.client().async().multi(ops));
        for (OpResult r : results) {
            c.out.println(switch (r) {
                case OpResult.CreateResult cr -> "create " + cr.path();
                case OpResult.SetDataResult s -> "set " + s.path() + " version=" + s.stat().version();
                case OpResult.DeleteResult d -> "delete " + d.path();
                case OpResult.CheckResult ch -> "check " + ch.path();
                case OpResult.ErrorResult e -> "error " + e.path() + " " + e.code();
            });
        }
        return 0;
    }

    /** The operations {@code json} describes; {@code source} names it in errors. */
    static List<Op> parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = Formats.JSON.readTree(json);
        } catch (IOException e) {
            throw CliException.usage(source + ": not JSON: " + firstLine(e.getMessage()));
        }
        JsonNode array = root != null && root.isObject() ? root.get("ops") : root;
        if (array == null || !array.isArray()) throw CliException.usage(source + ": expected an array of operations, or {\"ops\": [...]}");
        if (array.isEmpty()) throw CliException.usage(source + ": no operations");
        if (array.size() > OPS_MAX) throw CliException.usage(source + ": " + array.size() + " operations; a multi takes at most " + OPS_MAX);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = source + ": operation " + i + ": ";
            try {
                ops.add(op(array.get(i)));
            } catch (IllegalArgumentException e) {
                throw CliException.usage(where + e.getMessage());
            } catch (CliException e) {
                throw CliException.usage(where + e.getMessage());
            }
        }
        return ops;
    }

    private static Op op(JsonNode o) {
        if (!o.isObject()) throw new IllegalArgumentException("not an object");
        String kind = text(o, "op");
        String path = text(o, "path");
        if (kind == null) throw new IllegalArgumentException("no \"op\"");
        if (path == null) throw new IllegalArgumentException("no \"path\"");
        return switch (kind) {
            case "create" -> {
                only(o, CREATE_FIELDS);
                JsonNode ttl = o.get("ttl");
                Duration d = ttl == null || ttl.isNull() ? null
                        : ttl.isIntegralNumber() ? Duration.ofMillis(ttl.asLong()) : Args.duration("ttl", ttl.asText());
                yield Op.create(path, data(o), NodeCommands.createOptions(text(o, "mode"), d));
            }
            case "set" -> {
                only(o, SET_FIELDS);
                yield Op.setData(path, data(o), version(o));
            }
            case "delete" -> {
                only(o, VERSION_FIELDS);
                yield Op.delete(path, version(o));
            }
            case "check" -> {
                only(o, VERSION_FIELDS);
                yield Op.check(path, version(o));
            }
            default -> throw new IllegalArgumentException("unknown op \"" + kind + "\"; ops: create, set, delete, check");
        };
    }

    private static void only(JsonNode o, Set<String> allowed) {
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) throw new IllegalArgumentException("unknown field \"" + name + "\" for op " + text(o, "op"));
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new IllegalArgumentException("\"" + field + "\" must be a string");
        return n.asText();
    }

    private static int version(JsonNode o) {
        JsonNode n = o.get("version");
        if (n == null || n.isNull()) return -1;
        if (!n.isInt()) throw new IllegalArgumentException("\"version\" must be a whole number");
        return n.asInt();
    }

    private static byte[] data(JsonNode o) {
        String value = text(o, "value");
        String data = text(o, "data");
        if (value != null && data != null) throw new IllegalArgumentException("give \"value\" or \"data\", not both");
        if (value != null) return value.getBytes(StandardCharsets.UTF_8);
        if (data == null) return null;
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"data\" is not base64: " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
