package dev.corral.diff;

import dev.corral.tree.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders one side's outcomes in a form where equal behaviour gives equal text.
 *
 * <p>Zxids: both servers spend one zxid per write transaction, session creation and closing included, but not on
 * the same transactions: ZooKeeper also logs a failed write (a create refused with NODE_EXISTS moves the next
 * zxid on by one, as the 3.9.5 server showed), Corral logs an election no-op, and other sequences of the run write
 * in between. So raw values and their differences both differ. Each zxid is replaced by a label given in
 * order of first appearance, walking outcomes field by field: two sides that agree get the same labels, and any
 * disagreement in which Stats share a zxid shows as a different label. That the labels are also in the same
 * order (a later change has a larger zxid on both) is checked at the end of a sequence, by {@link #sameOrder}.
 *
 * <p>Session ids become the actor's index ({@code s0}, {@code s1}, ...), times are left out (each server stamps
 * its own clock), children are sorted (neither API promises an order).
 */
final class Normalizer {
    private final Side side;
    private final Map<Long, Integer> labels = new HashMap<>();
    private final List<Long> zxids = new ArrayList<>();
    private int actors;

    Normalizer(Side side) {
        this.side = side;
    }

    /** Tells the normalizer how many actors have opened a session so far, so that owners map to them. */
    void actors(int count) {
        actors = count;
    }

    String render(Outcome o) {
        StringBuilder b = new StringBuilder(o.code());
        if (o.path() != null) b.append(" path=").append(o.path());
        if (o.exists() != null) b.append(" exists=").append(o.exists());
        if (o.data() != null) b.append(" data=").append(o.data());
        if (o.children() != null) b.append(" children=").append(o.children().stream().sorted().toList());
        if (o.acl() != null) b.append(" acl=").append(o.acl());
        if (o.stat() != null) b.append(" stat=").append(render(o.stat()));
        if (o.results() != null) b.append(" results=").append(o.results().stream().map(this::render).collect(Collectors.joining(", ", "[", "]")));
        return b.toString();
    }

    private String render(Stat s) {
        // Labels are taken in this order on both sides: keep it fixed.
        return "{czxid=" + zxid(s.czxid()) + " mzxid=" + zxid(s.mzxid()) + " pzxid=" + zxid(s.pzxid())
                + " version=" + s.version() + " cversion=" + s.cversion() + " aversion=" + s.aversion()
                + " ephemeralOwner=" + owner(s.ephemeralOwner()) + " dataLength=" + s.dataLength() + " numChildren=" + s.numChildren() + "}";
    }

    private String zxid(long zxid) {
        Integer label = labels.get(zxid);
        if (label == null) {
            label = zxids.size();
            labels.put(zxid, label);
            zxids.add(zxid);
        }
        return "z" + label;
    }

    private String owner(long owner) {
        if (owner == 0) return "0";
        for (int i = 0; i < actors; i++) {
            if (side.sessionId(i) == owner) return "s" + i;
        }
        return "0x" + HexFormat.of().toHexDigits(owner);
    }

    /**
     * Null if the zxids behind equal labels are in the same order on both sides, else a description of the
     * first pair that is not (call once both have rendered the same outcomes).
     */
    static String sameOrder(Normalizer a, Normalizer b) {
        int n = Math.min(a.zxids.size(), b.zxids.size());
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sa = Long.compare(a.zxids.get(i), a.zxids.get(j));
                int sb = Long.compare(b.zxids.get(i), b.zxids.get(j));
                if (sa != sb) {
                    return "z" + i + " and z" + j + " are " + a.zxids.get(i) + ", " + a.zxids.get(j) + " on " + a.side.name()
                            + " but " + b.zxids.get(i) + ", " + b.zxids.get(j) + " on " + b.side.name();
                }
            }
        }
        return null;
    }
}
