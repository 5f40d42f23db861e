package dev.corral.diff;

import dev.corral.tree.Stat;
import java.util.List;

/**
 * What one server answered to one step, before normalization: ZooKeeper's error name (or "OK") and whichever
 * of path, existence, data, children, ACL, Stat and per-operation results the call returns. Absent parts are null.
 * Data travels as base64 and ACL entries as "scheme:id:perms", children in any order.
 */
record Outcome(String code, String path, Boolean exists, String data, List<String> children, List<String> acl, Stat stat,
        List<Outcome> results) {

    static final String OK = "OK";

    static Outcome ok() {
        return new Outcome(OK, null, null, null, null, null, null, null);
    }

    static Outcome error(String code) {
        return new Outcome(code, null, null, null, null, null, null, null);
    }

    static Outcome created(String path, Stat stat) {
        return new Outcome(OK, path, null, null, null, null, stat, null);
    }

    static Outcome stat(Stat stat) {
        return new Outcome(OK, null, null, null, null, null, stat, null);
    }

    static Outcome exists(Stat statOrNull) {
        return new Outcome(OK, null, statOrNull != null, null, null, null, statOrNull, null);
    }

    static Outcome data(String base64, Stat stat) {
        return new Outcome(OK, null, null, base64, null, null, stat, null);
    }

    static Outcome children(List<String> names, Stat stat) {
        return new Outcome(OK, null, null, null, names, null, stat, null);
    }

    static Outcome acl(List<String> acl, Stat stat) {
        return new Outcome(OK, null, null, null, null, acl, stat, null);
    }

    static Outcome multi(String code, List<Outcome> results) {
        return new Outcome(code, null, null, null, null, null, null, results);
    }
}
