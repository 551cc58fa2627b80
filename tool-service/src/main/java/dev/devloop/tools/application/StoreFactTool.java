package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.KnowledgePort;

/** {@code store_fact}: writes a fact through knowledge-service; the output is the stored fact, tier included. */
public class StoreFactTool extends SingleTool {
    public static final String NAME = "store_fact";
    private final KnowledgePort knowledge;

    public StoreFactTool(KnowledgePort knowledge) {
        super(NAME, ToolKind.KNOWLEDGE, true);
        this.knowledge = knowledge;
    }

    @Override
    public JsonNode execute(ToolCall call) {
        JsonNode args = call.arguments();
        JsonNode ttl = args.get("ttl_seconds");
        Long ttlSeconds = ttl == null || ttl.isNull() ? null : ttl.asLong();
        try {
            return knowledge.storeFact(
                    call.tenant(),
                    args.path("entity").asText(),
                    args.path("attribute").asText(),
                    args.get("value"),
                    ttlSeconds);
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }
}
