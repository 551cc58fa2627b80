package dev.devloop.agent.adapters.in.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * The refusals every operation outside {@code /q/} can answer, added to each in the OpenAPI document at build time:
 * SmallRye takes no meta-annotation, and the same {@code @APIResponses} block on every resource would only repeat
 * itself. The specific refusals (404, 409) stay on the methods that give them.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SharedRefusals implements OASFilter {
    private static final Map<String, String> REFUSALS = new LinkedHashMap<>();

    static {
        REFUSALS.put("400", "Bad input: the problem names the field (also a token without a tenant)");
        REFUSALS.put("401", "No token, or one that does not verify");
        REFUSALS.put("403", "A token not issued for agent-service");
        REFUSALS.put("503", "The store is unavailable or the service is shutting down");
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/q/")) {
                item.getOperations().values().forEach(SharedRefusals::addRefusals);
            }
        });
    }

    private static void addRefusals(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        REFUSALS.forEach((code, description) -> {
            if (!operation.getResponses().hasAPIResponse(code)) {
                operation
                        .getResponses()
                        .addAPIResponse(
                                code,
                                OASFactory.createAPIResponse()
                                        .description(description)
                                        .content(OASFactory.createContent()
                                                .addMediaType(
                                                        "application/problem+json",
                                                        OASFactory.createMediaType()
                                                                .schema(OASFactory.createSchema()
                                                                        .ref("Problem")))));
            }
        });
    }
}
