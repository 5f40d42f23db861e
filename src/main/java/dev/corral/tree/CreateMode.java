package dev.corral.tree;

import java.util.Locale;

/** The ways a znode can be created, with ZooKeeper's wire flag values and the REST names of DESIGN.md. */
public enum CreateMode {
    PERSISTENT(0, false, false),
    EPHEMERAL(1, true, false),
    PERSISTENT_SEQUENTIAL(2, false, true),
    EPHEMERAL_SEQUENTIAL(3, true, true),
    CONTAINER(4, false, false),
    PERSISTENT_TTL(5, false, false),
    PERSISTENT_SEQUENTIAL_TTL(6, false, true);

    public final int flag;
    public final boolean ephemeral;
    public final boolean sequential;

    CreateMode(int flag, boolean ephemeral, boolean sequential) {
        this.flag = flag;
        this.ephemeral = ephemeral;
        this.sequential = sequential;
    }

    public boolean isTtl() {
        return this == PERSISTENT_TTL || this == PERSISTENT_SEQUENTIAL_TTL;
    }

    public String restName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the REST name ({@code persistent_sequential}); null if unknown. */
    public static CreateMode fromRestName(String name) {
        for (CreateMode m : values()) {
            if (m.restName().equals(name)) return m;
        }
        return null;
    }

    /** Parses ZooKeeper's wire flag; null if unknown. */
    public static CreateMode fromFlag(int flag) {
        for (CreateMode m : values()) {
            if (m.flag == flag) return m;
        }
        return null;
    }
}
