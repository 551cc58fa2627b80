package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.tools.domain.LogLine;
import java.io.IOException;

/** Reads one raw log line: Quarkus' JSON console format when it is a JSON object, else the text format. */
final class LogLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses {@code raw}; {@code previousLevel} is used for a continuation line. */
    static LogLine parse(String raw, String previousLevel) {
        if (raw.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(raw);
                if (node.isObject()) {
                    String message = node.path("message").asText("");
                    JsonNode exception = node.get("exception");
                    if (exception != null && exception.isObject()) {
                        message = message + " | "
                                + exception.path("exceptionType").asText("") + ": "
                                + exception.path("message").asText("");
                    }
                    return LogLine.of(
                            node.path("timestamp").asText(null),
                            node.path("level").asText(null),
                            node.path("loggerName").asText(null),
                            message);
                }
            } catch (IOException notJson) {
                // fall through: treat it as text
            }
        }
        return LogLine.parseText(raw, previousLevel);
    }

    private LogLines() {}
}
