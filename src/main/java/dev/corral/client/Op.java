package dev.corral.client;

import java.util.Objects;

/**
 * One operation of a {@link CorralClient#multi multi}: all of a multi's operations are applied at one zxid, in order,
 * each seeing the effects of those before it, or none is.
 */
public sealed interface Op {
    /** The znode the operation is about. */
    String path();

    /**
     * Creates a znode.
     *
     * @param path the path (for a sequential mode, the prefix the counter is appended to)
     * @param data the data, or null for none
     * @param options mode, ACL and TTL
     */
    record Create(String path, byte[] data, CreateOptions options) implements Op {
        /** Checks the fields. */
        public Create {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(options, "options");
        }
    }

    /**
     * Deletes a znode.
     *
     * @param path the path
     * @param version the expected version, or -1 for any
     */
    record Delete(String path, int version) implements Op {
        /** Checks the path. */
        public Delete {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Sets a znode's data.
     *
     * @param path the path
     * @param data the data, or null for none
     * @param version the expected version, or -1 for any
     */
    record SetData(String path, byte[] data, int version) implements Op {
        /** Checks the path. */
        public SetData {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Fails the multi unless a znode is at a version.
     *
     * @param path the path
     * @param version the expected version, or -1 for any (then it only checks that the znode exists)
     */
    record Check(String path, int version) implements Op {
        /** Checks the path. */
        public Check {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A persistent create with the default ACL. */
    static Create create(String path, byte[] data) {
        return new Create(path, data, CreateOptions.PERSISTENT);
    }

    /** A create in {@code mode} with the default ACL. */
    static Create create(String path, byte[] data, CreateMode mode) {
        return new Create(path, data, CreateOptions.of(mode));
    }

    /** A create with {@code options}. */
    static Create create(String path, byte[] data, CreateOptions options) {
        return new Create(path, data, options);
    }

    /** A delete at {@code version} (-1: any). */
    static Delete delete(String path, int version) {
        return new Delete(path, version);
    }

    /** A set of the data at {@code version} (-1: any). */
    static SetData setData(String path, byte[] data, int version) {
        return new SetData(path, data, version);
    }

    /** A check of the version (-1: existence only). */
    static Check check(String path, int version) {
        return new Check(path, version);
    }
}
