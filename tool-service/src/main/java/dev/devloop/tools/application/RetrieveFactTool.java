package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.KnowledgePort;

/** {@code retrieve_fact}: reads a fact through knowledge-service's tier cascade. */
public class RetrieveFactTool extends SingleTool {
    public static final String NAME = "retrieve_fact";
    private final KnowledgePort knowledge;

    public RetrieveFactTool(KnowledgePort knowledge) {
        super(NAME, ToolKind.KNOWLEDGE);
        this.knowledge = knowledge;
    }

    @Override
    public JsonNode execute(ToolCall call) {
        String entity = call.arguments().path("entity").asText();
        String attribute = call.arguments().path("attribute").asText();
        try {
            return knowledge
                    .retrieveFact(call.tenant(), entity, attribute)
                    .orElseThrow(() -> new ToolFailure("no such fact: " + entity + "/" + attribute));
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }
}
