package dev.devloop.provider.adapters.in.rest;

import java.util.Map;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;

/**
 * contracts' shared refusals (400, 401, 403, 503) on every operation, with the OpenAI-compatible routes
 * ({@link OpenAiErrors#openAiPath}) described in OpenAI's error shape — or problem+json when the request sends
 * {@code X-Devloop-Error-Format: problem+json}. Operations keep their own 404/429 annotations.
 */
public class SharedRefusals extends dev.devloop.contracts.openapi.SharedRefusals {
    static final String OPENAI_ERROR = "OpenAiError";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Map<String, ?> schemas =
                openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
        if (schemas == null || !schemas.containsKey(OPENAI_ERROR)) {
            throw new IllegalStateException("the refusal schema " + OPENAI_ERROR + " is not in the document: keep an"
                    + " @APIResponse that names it (the 404/429 ones do)");
        }
        super.filterOpenAPI(openApi);
    }

    @Override
    protected Content content(String path) {
        Content content = super.content(path);
        if (OpenAiErrors.openAiPath(path)) {
            content.addMediaType("application/json", schema(OPENAI_ERROR));
        }
        return content;
    }

    @Override
    protected String description(String path, String description) {
        return OpenAiErrors.openAiPath(path)
                ? description + " (OpenAI's error shape; problem+json with X-Devloop-Error-Format: problem+json)"
                : description;
    }
}
