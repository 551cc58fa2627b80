package dev.devloop.contracts.openapi;

import dev.devloop.contracts.problem.Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The refusals every operation of a Devloop service can answer (400, 401, 403, 503 as problem+json), added to each
 * operation outside {@code /q/} of its OpenAPI document in one place: SmallRye has no meta-annotations, and the same
 * {@code @APIResponses} block on every resource would only repeat itself. A service names it in
 * {@code mp.openapi.filter}; one whose routes answer another shape somewhere (provider-gateway's OpenAI routes)
 * subclasses it. An operation's own answer for one of these codes wins unless it has no content (Quarkus adds a bare
 * "Bad Request" to every operation with a body).
 */
public class SharedRefusals implements OASFilter {
    private static final Map<String, String> REFUSALS = new LinkedHashMap<>();

    static {
        REFUSALS.put("400", "Bad input: the problem names the field (also a token acting for no tenant)");
        REFUSALS.put("401", "No credential, or one that does not verify");
        REFUSALS.put("403", "A credential that may not do this (a token for another service, a missing role)");
        REFUSALS.put("503", "A dependency did not answer; retry after Retry-After");
    }

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        describeProblem(openApi);
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/q/")) {
                return;
            }
            item.getOperations().values().forEach(operation -> {
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.setResponses(responses);
                }
                for (Map.Entry<String, String> refusal : refusals().entrySet()) {
                    APIResponse own = responses.getAPIResponse(refusal.getKey());
                    if (own == null || own.getContent() == null) {
                        responses.addAPIResponse(
                                refusal.getKey(),
                                OASFactory.createAPIResponse()
                                        .description(description(path, refusal.getValue()))
                                        .content(content(path)));
                    }
                }
            });
        });
    }

    /** The {@code Problem} component the refusals name, when no operation's own annotation brought it. */
    private static void describeProblem(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas != null && schemas.containsKey("Problem")) {
            return;
        }
        Schema problem = OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; field names the request field at fault");
        for (String text : new String[] {"type", "title", "detail", "instance", "field"}) {
            problem.addProperty(text, OASFactory.createSchema().addType(Schema.SchemaType.STRING));
        }
        problem.addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
        problem.addProperty(
                "errors",
                OASFactory.createSchema()
                        .addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)));
        openApi.getComponents().addSchema("Problem", problem);
    }

    /** The shared refusals, status code → description (a subclass adds its own to these). */
    public static Map<String, String> sharedRefusals() {
        return Map.copyOf(REFUSALS);
    }

    /** The refusals this filter adds, status code → description, in order. */
    protected Map<String, String> refusals() {
        return REFUSALS;
    }

    /** How {@code path} describes a refusal; problem+json by default. */
    protected Content content(String path) {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, schema("Problem"));
    }

    /** A refusal's description on {@code path}. */
    protected String description(String path, String description) {
        return description;
    }

    protected static org.eclipse.microprofile.openapi.models.media.MediaType schema(String component) {
        return OASFactory.createMediaType().schema(OASFactory.createSchema().ref(component));
    }
}
