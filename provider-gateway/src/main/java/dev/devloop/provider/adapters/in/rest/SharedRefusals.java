package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The refusals every operation shares (400, 401, 403, 503), added to each operation of the OpenAPI document in one
 * place instead of a copy on every resource (SmallRye has no meta-annotations). The gateway's own routes answer them
 * as problem+json; the OpenAI-compatible routes ({@link OpenAiErrors#openAiPath}) in OpenAI's error shape, or as
 * problem+json when the request sends {@code X-Devloop-Error-Format: problem+json}. Operations keep their own 404/429 annotations.
 */
public class SharedRefusals implements OASFilter {
    static final String OPENAI_ERROR = "OpenAiError";

    private static final Map<String, String> SHARED = Map.of(
            "400", "A malformed or missing field, an unknown model, or no tenant; names the field",
            "401", "No valid cell token for provider-gateway",
            "403", "A token for another service",
            "503", "A store or provider did not answer, or a provider is not configured");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        Map<String, ?> schemas =
                openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
        if (schemas == null || !schemas.containsKey("Problem") || !schemas.containsKey(OPENAI_ERROR)) {
            throw new IllegalStateException("the refusal schemas Problem and " + OPENAI_ERROR + " are not in the"
                    + " document: keep an @APIResponse that names each (the 404/429 ones do)");
        }
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/q/")) {
                return;
            }
            boolean openAi = OpenAiErrors.openAiPath(path);
            item.getOperations().values().forEach(operation -> {
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.setResponses(responses);
                }
                for (Map.Entry<String, String> shared : SHARED.entrySet()) {
                    APIResponse own = responses.getAPIResponse(shared.getKey());
                    // Quarkus' own additions (a bare "Bad Request" for every body) carry no content: replace them
                    if (own == null || own.getContent() == null) {
                        responses.addAPIResponse(shared.getKey(), refusal(shared.getValue(), openAi));
                    }
                }
            });
        });
    }

    private static APIResponse refusal(String description, boolean openAi) {
        Content content = OASFactory.createContent();
        if (openAi) {
            content.addMediaType("application/json", schema(OPENAI_ERROR));
            description += " (OpenAI's error shape; problem+json with X-Devloop-Error-Format: problem+json)";
        }
        content.addMediaType(Problem.MEDIA_TYPE, schema("Problem"));
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static org.eclipse.microprofile.openapi.models.media.MediaType schema(String component) {
        return OASFactory.createMediaType().schema(OASFactory.createSchema().ref(component));
    }
}
