package dev.corral.zk.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.jute.BinaryOutputArchive;

/**
 * The bridge to ZooKeeper's own jute classes, the reference implementation: converts a record of this package to
 * ZooKeeper's class of the same meaning, <em>by field name</em> (each component is handed to ZooKeeper's setter of
 * that name), so that a field written out of order by either side shows up as different bytes rather than being
 * carried along in the same wrong order.
 */
final class ZooKeeperJute {
    /** Our names that differ from ZooKeeper's class names (acronyms written as words, the SetWatches bodies). */
    private static final Map<String, String> CLASS_NAMES = Map.of(
            "Id", "org.apache.zookeeper.data.Id",
            "Acl", "org.apache.zookeeper.data.ACL",
            "Stat", "org.apache.zookeeper.data.Stat",
            "ClientInfo", "org.apache.zookeeper.data.ClientInfo",
            "CreateTtlRequest", "org.apache.zookeeper.proto.CreateTTLRequest",
            "GetAclRequest", "org.apache.zookeeper.proto.GetACLRequest",
            "GetAclResponse", "org.apache.zookeeper.proto.GetACLResponse",
            "SetAclRequest", "org.apache.zookeeper.proto.SetACLRequest",
            "SetAclResponse", "org.apache.zookeeper.proto.SetACLResponse",
            "SetWatchesRequest", "org.apache.zookeeper.proto.SetWatches");
    /** Our component names that differ from ZooKeeper's field names. */
    private static final Map<String, String> FIELD_NAMES = Map.of("timeoutMs", "timeOut");

    private ZooKeeperJute() {}

    static Class<?> zkClass(Class<?> ours) {
        String name = ours.getSimpleName();
        if (name.equals("SetWatches2Request")) name = "SetWatches2";
        try {
            return Class.forName(CLASS_NAMES.getOrDefault(name, "org.apache.zookeeper.proto." + name));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no ZooKeeper class for " + ours.getSimpleName(), e);
        }
    }

    /** ZooKeeper's object for {@code value}: records field by field by name, lists element by element. */
    static Object toZk(Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(toZk(o));
            return out;
        }
        if (!(value instanceof Record r)) return value;
        try {
            Object zk = zkClass(r.getClass()).getConstructor().newInstance();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (c.getName().equals("readOnlyFieldSent")) continue; // ours only: whether the optional byte is sent
                String field = FIELD_NAMES.getOrDefault(c.getName(), c.getName());
                Method setter = setter(zk.getClass(), "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1));
                setter.invoke(zk, toZk(c.getAccessor().invoke(r)));
            }
            return zk;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot convert " + r.getClass().getSimpleName(), e);
        }
    }

    private static Method setter(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) return m;
        }
        throw new AssertionError(type.getName() + " has no " + name + "; the field names differ");
    }

    /** What ZooKeeper's {@code BinaryOutputArchive} writes for each of {@code records} (jute Records), concatenated. */
    static byte[] zkBytes(Object... records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        try {
            for (Object r : records) ((org.apache.jute.Record) r).serialize(out, "record");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** What our writer writes for {@code record}, without a frame prefix. */
    static byte[] ourBytes(JuteRecord... records) {
        byte[] frame = FrameEncoder.encode(records);
        return java.util.Arrays.copyOfRange(frame, FrameEncoder.PREFIX_BYTES, frame.length);
    }
}
