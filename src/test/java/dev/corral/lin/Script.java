package dev.corral.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written histories for tests: operations with explicit times, on key {@code k} unless {@link #on} says
 * otherwise. Key {@code k} starts at {@code "init"} version 0 unless {@link #startAbsent} is called.
 */
final class Script {
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Register> initial = new HashMap<>(Map.of("k", new Register("init", 0)));
    private String key = "k";
    private long nextId;

    /** Later operations go to {@code k}. */
    Script on(String k) {
        key = k;
        return this;
    }

    Script startAbsent(String k) {
        initial.remove(k);
        return this;
    }

    Script read(int process, long invoke, long complete, String value, int version) {
        return add(process, Op.Kind.READ, null, -1, true, invoke, Op.Outcome.OK, complete, new Register(value, version), null);
    }

    Script readAbsent(int process, long invoke, long complete) {
        return add(process, Op.Kind.READ, null, -1, true, invoke, Op.Outcome.OK, complete, Register.ABSENT, null);
    }

    /** A read that was not a linearizable read. */
    Script sequentialRead(int process, long invoke, long complete, String value, int version) {
        return add(process, Op.Kind.READ, null, -1, false, invoke, Op.Outcome.OK, complete, new Register(value, version), null);
    }

    Script write(int process, long invoke, long complete, String value, int newVersion) {
        return add(process, Op.Kind.WRITE, value, -1, true, invoke, Op.Outcome.OK, complete, new Register(value, newVersion), null);
    }

    /** A write whose client gave up at {@code gaveUp}. */
    Script unknownWrite(int process, long invoke, long gaveUp, String value) {
        return add(process, Op.Kind.WRITE, value, -1, true, invoke, Op.Outcome.UNKNOWN, gaveUp, null, null);
    }

    Script failedWrite(int process, long invoke, long complete, String value, String error) {
        return add(process, Op.Kind.WRITE, value, -1, true, invoke, Op.Outcome.FAIL, complete, null, error);
    }

    Script cas(int process, long invoke, long complete, int expected, String value) {
        return add(process, Op.Kind.CAS, value, expected, true, invoke, Op.Outcome.OK, complete, new Register(value, expected + 1), null);
    }

    Script casBadVersion(int process, long invoke, long complete, int expected, String value) {
        return add(process, Op.Kind.CAS, value, expected, true, invoke, Op.Outcome.FAIL, complete, null, "BAD_VERSION");
    }

    Script unknownCas(int process, long invoke, long gaveUp, int expected, String value) {
        return add(process, Op.Kind.CAS, value, expected, true, invoke, Op.Outcome.UNKNOWN, gaveUp, null, null);
    }

    Script create(int process, long invoke, long complete, String value) {
        return add(process, Op.Kind.CREATE, value, -1, true, invoke, Op.Outcome.OK, complete, new Register(value, 0), null);
    }

    private Script add(int process, Op.Kind kind, String value, int expected, boolean linearizable, long invoke, Op.Outcome outcome,
            long complete, Register result, String error) {
        ops.add(new Op(nextId++, process, key, kind, value, expected, linearizable, invoke, outcome, complete, result, error));
        return this;
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    History history() {
        return History.of(ops, initial);
    }

    CheckResult check() {
        return check(LinearizabilityChecker.Options.defaults());
    }

    CheckResult check(LinearizabilityChecker.Options options) {
        return new LinearizabilityChecker(options).check(ops, initial);
    }
}
