package dev.corral.api;

import dev.corral.config.CorralConfig;
import dev.corral.tree.AclCheck;
import dev.corral.tree.AuthId;
import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Who is calling, from the HTTP request: the client's address (ZooKeeper's {@code ip} scheme) and, with
 * {@code Authorization: Basic user:password}, the {@code digest} identity ZooKeeper derives from the same
 * credentials, so that ACLs set through either protocol mean the same. The configured super digest makes
 * a caller the super user.
 */
@ApplicationScoped
public class Callers {
    @Inject
    CorralConfig config;

    Caller of(HttpServerRequest request, long sessionId) {
        List<AuthId> ids = new ArrayList<>(3);
        if (request != null && request.remoteAddress() != null && request.remoteAddress().hostAddress() != null) {
            ids.add(new AuthId("ip", request.remoteAddress().hostAddress()));
        }
        String authorization = request == null ? null : request.getHeader("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            String digest = digestOf(authorization);
            ids.add(new AuthId("digest", digest));
            String superDigest = config.auth().superDigest().orElse(null);
            if (superDigest != null && superDigest.equals(digest)) ids.add(AuthId.SUPER);
        }
        return new Caller(sessionId, ids);
    }

    /** The client's address, for per-address limits; "unknown" if the connection does not say. */
    static String address(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) return "unknown";
        return request.remoteAddress().hostAddress();
    }

    private static String digestOf(String authorization) {
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("basic")) {
            throw new ApiException(ErrorCode.AUTH_FAILED, "only HTTP Basic authorization (user:password) is supported", null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.AUTH_FAILED, "the Basic credentials are not valid base64", null);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) throw new ApiException(ErrorCode.AUTH_FAILED, "the Basic credentials must be user:password", null);
        return AclCheck.digestId(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
