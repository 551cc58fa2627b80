package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestResponse;

/** Request and response bodies of the entity graph endpoints. */
public final class GraphViews {

    /** Body of {@code POST /entities}: create or merge an entity. */
    @RegisterForReflection
    public record EntityWrite(
            String id,
            String type,

            @Schema(type = SchemaType.OBJECT, description = "the entity's free-form properties, a JSON object")
            JsonNode properties) {}

    /** Body of {@code POST /relationships}: create or merge a typed relationship. */
    @RegisterForReflection
    public record RelationshipWrite(
            String from,
            String to,
            String type,

            @Schema(type = SchemaType.OBJECT, description = "the relationship's free-form properties, a JSON object")
            JsonNode properties) {}

    /** An entity; {@code relations} only on {@code GET /entities/{id}}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EntityView(
            String tenant,
            String id,
            String type,
            JsonNode properties,
            String updatedAt,
            List<RelationView> relations) {}

    /** A relationship seen from an entity. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RelationView(String type, String direction, String otherId, String otherType, JsonNode properties) {}

    /** A relationship. */
    @RegisterForReflection
    public record RelationshipView(String from, String to, String type, JsonNode properties) {}

    /** One entity of a neighbourhood. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NeighbourView(String id, String type, int distance) {}

    /** The entities within {@code depth} hops of {@code centre} and the relationships among them. */
    @RegisterForReflection
    public record NeighbourhoodView(
            String centre, int depth, List<NeighbourView> entities, List<RelationshipView> relationships) {}

    /** Body of {@code POST /entities/search}: a text query, an optional entity type, limit and property filters. */
    @RegisterForReflection
    public record EntitySearch(String query, String type, Integer limit, java.util.Map<String, Object> filters) {}

    /** An entity found by similarity, with its cosine score in [0, 1]. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScoredEntityView(String id, String type, JsonNode properties, double score, String updatedAt) {}

    /** Answer of {@code GET /entities/{id}/similar} ({@code id} set) and {@code POST /entities/search}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SimilarView(String id, List<ScoredEntityView> hits) {}

    private GraphViews() {}

    /** A keyset page: the items as the body, the key that continues the list in {@code X-Devloop-Next-After}. */
    static <T> RestResponse<List<T>> paged(List<T> items, String nextAfter) {
        RestResponse.ResponseBuilder<List<T>> answer = RestResponse.ResponseBuilder.ok(items);
        if (nextAfter != null) {
            answer.header(Headers.NEXT_AFTER, nextAfter);
        }
        return answer.build();
    }
}
