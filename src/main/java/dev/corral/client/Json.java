package dev.corral.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The REST API's JSON, read and written as Jackson trees: znode data as base64, Stat objects with ZooKeeper's field
 * names, ACL entries {@code {"scheme","id","perms"}}, and the error body {@code {"code","message","path"}} (with
 * {@code failedOp} and {@code results} for a failed multi).
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialize: " + e.getOriginalMessage(), e);
        }
    }

    /** The body as JSON, or null if it is empty or not JSON (an answer from a proxy, say). */
    static JsonNode parseOrNull(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    static byte[] data(JsonNode n) {
        return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asText());
    }

    static String text(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    static Stat stat(JsonNode n) {
        if (n == null || n.isNull()) return null;
        return new Stat(n.path("czxid").asLong(), n.path("mzxid").asLong(), n.path("pzxid").asLong(), n.path("ctime").asLong(),
                n.path("mtime").asLong(), n.path("version").asInt(), n.path("cversion").asInt(), n.path("aversion").asInt(),
                n.path("ephemeralOwner").asLong(), n.path("dataLength").asInt(), n.path("numChildren").asInt());
    }

    static ArrayNode acl(List<Acl> acl) {
        ArrayNode out = MAPPER.createArrayNode();
        for (Acl a : acl) {
            ObjectNode e = out.addObject();
            e.put("scheme", a.scheme());
            e.put("id", a.id());
            e.put("perms", a.perms());
        }
        return out;
    }

    static List<Acl> acl(JsonNode n) {
        List<Acl> out = new ArrayList<>();
        if (n == null) return out;
        for (JsonNode e : n) out.add(new Acl(e.path("perms").asInt(), e.path("scheme").asText(), e.path("id").asText()));
        return out;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null) return out;
        for (JsonNode e : n) out.add(e.asText());
        return out;
    }

    /**
     * The exception for an error answer: its status and body. A body that is not the API's error object (a proxy's
     * page) is described by its status.
     */
    static CorralException error(int status, JsonNode body, String fallbackPath) {
        String codeName = text(body, "code");
        if (codeName == null) {
            ErrorCode code = status == 503 || status == 502 || status == 504 ? ErrorCode.CONNECTION_LOSS
                    : status == 401 ? ErrorCode.AUTH_FAILED : status == 403 ? ErrorCode.NO_AUTH
                    : status >= 500 ? ErrorCode.SYSTEM_ERROR : ErrorCode.BAD_ARGUMENTS;
            return CorralException.of(code, "HTTP " + status + " without an error body", fallbackPath, List.of(), -1);
        }
        ErrorCode code = ErrorCode.of(codeName);
        String message = text(body, "message");
        if (code == ErrorCode.SYSTEM_ERROR && !"SYSTEM_ERROR".equals(codeName)) message = codeName + ": " + message;
        String path = body.has("path") ? text(body, "path") : fallbackPath;
        List<OpResult> results = new ArrayList<>();
        JsonNode r = body.get("results");
        if (r != null && r.isArray()) {
            for (JsonNode e : r) results.add(new OpResult.ErrorResult(ErrorCode.of(text(e, "code")), text(e, "path")));
        }
        int failedOp = body.has("failedOp") ? body.get("failedOp").asInt(-1) : -1;
        return CorralException.of(code, message == null ? "HTTP " + status : message, path, results, failedOp);
    }
}
