package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.devloop.tools.domain.ActivityRecord;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.ActivityPort;
import java.time.Clock;

/** {@code log_activity}: records a line of the calling agent's activity; the output is the record id. */
public class LogActivityTool extends SingleTool {
    public static final String NAME = "log_activity";
    private final ActivityPort activity;
    private final Clock clock;

    public LogActivityTool(ActivityPort activity, Clock clock) {
        super(NAME, ToolKind.NATIVE);
        this.activity = activity;
        this.clock = clock;
    }

    @Override
    public JsonNode execute(ToolCall call) {
        JsonNode args = call.arguments();
        String level = args.hasNonNull("level") ? args.get("level").asText() : "info";
        String id = activity.save(new ActivityRecord(
                call.tenant(),
                call.agentId(),
                call.agentType(),
                call.runId(),
                level,
                args.path("message").asText(),
                clock.instant()));
        return JsonNodeFactory.instance.objectNode().put("id", id);
    }
}
