package dev.corral.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents, on every {@code /v1} operation, the answers {@link HttpGate} gives before the operation runs,
 * so that they are stated once here as they are enforced once there rather than repeated on each resource.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class HttpGateOpenApi implements OASFilter {
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        for (Map.Entry<String, PathItem> p : openAPI.getPaths().getPathItems().entrySet()) {
            if (!p.getKey().startsWith("/v1/") || p.getValue().getOperations() == null) continue;
            for (Map.Entry<PathItem.HttpMethod, Operation> o : p.getValue().getOperations().entrySet()) {
                document(o.getKey(), o.getValue());
            }
        }
    }

    private static void document(PathItem.HttpMethod method, Operation op) {
        if (op.getResponses() == null) op.setResponses(OASFactory.createAPIResponses());
        APIResponses r = op.getResponses();
        add(r, "400", "BAD_ARGUMENTS: among others, a request target that is not a URI (a malformed percent-escape) or"
                + " an encoded slash (%2F) in the path");
        add(r, "414", "BAD_ARGUMENTS: the request line is longer than quarkus.http.limits.max-initial-line-length (8192 bytes)");
        add(r, "431", "BAD_ARGUMENTS: the headers are larger than quarkus.http.limits.max-header-size (16 KiB)");
        add(r, "503", "THROTTLED_OP: the client's address has corral.limits.connections-per-address-max connections open;"
                + " the connection is closed");
        boolean changes = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.DELETE;
        if (changes) {
            add(r, "403", "NO_AUTH: the request carries an Origin that is neither this node's host nor listed in"
                    + " corral.http.allowed-origins (a page on another site)");
        }
        if (op.getRequestBody() != null) {
            add(r, "411", "BAD_ARGUMENTS: a body without Content-Length (Transfer-Encoding: chunked)");
            add(r, "413", "BAD_ARGUMENTS: the body is larger than quarkus.http.limits.max-body-size (4 MiB); the connection is closed");
            add(r, "415", "BAD_ARGUMENTS: a body whose Content-Type is not application/json (a charset, if any, must be UTF-8)");
        }
    }

    /** Adds the answer, or appends its description to the one the resource gave for the same status. */
    private static void add(APIResponses responses, String status, String description) {
        var existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        } else {
            String before = existing.getDescription();
            existing.setDescription(before == null || before.isBlank() ? description : before + "; " + description);
        }
    }
}
