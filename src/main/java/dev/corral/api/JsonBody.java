package dev.corral.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.tree.CreateMode;
import dev.corral.txn.Acl;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A request body read field by field, so that every kind of bad input gets a precise BAD_ARGUMENTS message
 * (which field, what was wrong) instead of a generic parser error. Unknown fields are refused: a typo like
 * {@code "mdoe"} must not silently create a persistent znode.
 *
 * <p>The body must be exactly one JSON value: anything after it but whitespace is refused, as is an object
 * that names a field twice. Both are ambiguous (did the client mean the first value or the last?), and a
 * parser that quietly picks one lets two programs that read the same bytes act on different requests.
 */
final class JsonBody {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final ObjectNode node;
    private final String path;

    private JsonBody(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** Parses a request body; an empty body is an empty object. */
    static JsonBody parse(byte[] body, String path, Set<String> allowed) {
        if (body == null || isBlank(body)) {
            return new JsonBody(MAPPER.createObjectNode(), path);
        }
        JsonNode n;
        try (JsonParser p = MAPPER.createParser(body)) {
            n = MAPPER.readTree(p);
            if (trailing(p)) {
                throw ApiException.badArguments("malformed JSON body: more follows the JSON value at byte "
                        + p.currentTokenLocation().getByteOffset() + "; only whitespace may", path);
            }
        } catch (JacksonException e) {
            throw ApiException.badArguments("malformed JSON body: " + e.getOriginalMessage(), path);
        } catch (java.io.IOException e) {
            throw ApiException.badArguments("unreadable body: " + e.getMessage(), path);
        }
        if (!(n instanceof ObjectNode obj)) throw ApiException.badArguments("the body must be a JSON object", path);
        return of(obj, path, allowed);
    }

    static JsonBody of(ObjectNode obj, String path, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badArguments("unknown field \"" + f + "\"; expected one of " + new java.util.TreeSet<>(allowed), path);
            }
        }
        return new JsonBody(obj, path);
    }

    /** Whether anything but whitespace follows the value just read, however malformed it is. */
    private static boolean trailing(JsonParser p) throws java.io.IOException {
        try {
            return p.nextToken() != null;
        } catch (JacksonException e) {
            return true;
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        return true;
    }

    ObjectNode raw() {
        return node;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiException.badArguments("\"" + field + "\" must be a string", path);
        return v.asText();
    }

    /** Base64 data (standard alphabet, padded); absent means empty. */
    byte[] data(String field) {
        String s = string(field);
        if (s == null) return new byte[0];
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badArguments("\"" + field + "\" is not valid base64: " + e.getMessage(), path);
        }
    }

    Long longValue(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badArguments("\"" + field + "\" must be an integer", path);
        }
        return v.asLong();
    }

    Integer intValue(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badArguments("\"" + field + "\" must be a 32-bit integer", path);
        }
        return v.asInt();
    }

    /** A version field: absent means -1 (any); otherwise -1 or at least 0. */
    int version(String field) {
        Integer v = intValue(field);
        if (v == null) return -1;
        if (v < -1) throw ApiException.badArguments("\"" + field + "\" must be -1 (any) or at least 0, was " + v, path);
        return v;
    }

    CreateMode mode(String field) {
        String s = string(field);
        if (s == null) return CreateMode.PERSISTENT;
        CreateMode m = CreateMode.fromRestName(s.toLowerCase(java.util.Locale.ROOT));
        if (m == null) {
            List<String> names = new ArrayList<>();
            for (CreateMode c : CreateMode.values()) names.add(c.restName());
            throw ApiException.badArguments("unknown mode \"" + s + "\"; expected one of " + names, path);
        }
        return m;
    }

    /** An ACL list, or null if absent. Each entry: {"scheme","id","perms"} with perms an int or "cdrwa" letters. */
    List<Acl> acl(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw ApiException.badArguments("\"" + field + "\" must be an array of {scheme, id, perms}", path);
        return aclList(v, path);
    }

    static List<Acl> aclList(JsonNode v, String path) {
        List<Acl> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isObject()) throw ApiException.badArguments("each ACL entry must be an object {scheme, id, perms}", path);
            JsonBody b = of((ObjectNode) e, path, Set.of("scheme", "id", "perms"));
            String scheme = b.string("scheme");
            String id = b.string("id");
            if (scheme == null || id == null) throw ApiException.badArguments("each ACL entry needs \"scheme\" and \"id\"", path);
            JsonNode p = e.get("perms");
            int perms;
            if (p == null || p.isNull()) {
                perms = Acl.ALL;
            } else if (p.isIntegralNumber() && p.canConvertToInt() && p.asInt() >= 0 && p.asInt() <= Acl.ALL) {
                perms = p.asInt();
            } else if (p.isTextual() && Acl.permsFromString(p.asText()) >= 0) {
                perms = Acl.permsFromString(p.asText());
            } else {
                throw ApiException.badArguments("\"perms\" must be 0..31 or letters from \"cdrwa\"", path);
            }
            out.add(new Acl(perms, scheme, id));
        }
        return out;
    }
}
