package dev.corral.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.client.Stat;
import java.time.Instant;
import java.util.List;

/**
 * How the tool prints what it reads: a Stat as {@code name: value} lines (times also as UTC instants, an ephemeral
 * owner as the session id), and JSON on one line, with the REST API's field names and base64 data.
 */
final class Formats {
    static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {}

    /** A Stat, one field a line, in ZooKeeper's order and names. */
    static List<String> statLines(Stat s) {
        return List.of(
                "czxid: " + s.czxid(),
                "mzxid: " + s.mzxid(),
                "pzxid: " + s.pzxid(),
                "ctime: " + time(s.ctime()),
                "mtime: " + time(s.mtime()),
                "version: " + s.version(),
                "cversion: " + s.cversion(),
                "aversion: " + s.aversion(),
                "ephemeralOwner: " + (s.ephemeralOwner() == 0 ? "0" : sessionId(s.ephemeralOwner())),
                "dataLength: " + s.dataLength(),
                "numChildren: " + s.numChildren());
    }

    private static String time(long millis) {
        return millis + " (" + Instant.ofEpochMilli(millis) + ")";
    }

    /** A session id as the cluster prints it: 16 hex digits. */
    static String sessionId(long id) {
        return String.format("%016x", id);
    }

    /** A Stat as the REST API's JSON object. */
    static ObjectNode statJson(Stat s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("czxid", s.czxid()).put("mzxid", s.mzxid()).put("pzxid", s.pzxid()).put("ctime", s.ctime()).put("mtime", s.mtime())
                .put("version", s.version()).put("cversion", s.cversion()).put("aversion", s.aversion())
                .put("ephemeralOwner", s.ephemeralOwner()).put("dataLength", s.dataLength()).put("numChildren", s.numChildren());
        return n;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The tree as compact JSON, one line. */
    static String json(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialize: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code parent}'s child {@code name} as a path. */
    static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }
}
