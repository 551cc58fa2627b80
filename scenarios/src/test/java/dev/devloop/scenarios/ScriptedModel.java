package dev.devloop.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.util.List;
import java.util.Map;

/**
 * Scripts whole multi-turn conversations on an OpenAI chat-completions stub (the real wire format). A
 * conversation is told apart by a marker in its input, and, because a parent's requests carry its children's
 * tasks, by the absence of its parent's marker. Turn k is the answer to the request that already carries the
 * tool calls of turn k-1 but not those of turn k: every request of a conversation resends its history, so the
 * last tool-call id it carries says where the conversation is.
 */
final class ScriptedModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WireMockServer server;

    ScriptedModel(WireMockServer server) {
        this.server = server;
    }

    /** One tool call of an answer: the tool and its arguments. */
    record Call(String tool, Map<String, Object> arguments) {}

    /** One answer of the model: tool calls, or (when {@code calls} is empty) the final text. */
    record Turn(List<Call> calls, String text) {
        static Turn calls(Call... calls) {
            return new Turn(List.of(calls), null);
        }

        static Turn text(String text) {
            return new Turn(List.of(), text);
        }
    }

    static Call call(String tool, Map<String, Object> arguments) {
        return new Call(tool, arguments);
    }

    /** Scripts the conversation whose input carries {@code marker} (and not {@code parentMarker}, when given). */
    void conversation(String marker, String parentMarker, List<Turn> turns) {
        String key = marker.replaceAll("[^A-Za-z0-9]", "");
        for (int k = 0; k < turns.size(); k++) {
            MappingBuilder mapping =
                    post(urlPathEqualTo("/v1/chat/completions")).atPriority(1).withRequestBody(containing(marker));
            if (parentMarker != null) {
                mapping = mapping.withRequestBody(notContaining(parentMarker));
            }
            if (k > 0) {
                mapping = mapping.withRequestBody(containing(callId(key, k - 1, 0)));
            }
            if (k < turns.size() - 1) {
                mapping = mapping.withRequestBody(notContaining(callId(key, k, 0)));
            }
            server.stubFor(mapping.willReturn(aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(answer(key, k, turns.get(k)))));
        }
    }

    /** Ids end in a letter so that call 1's id is never a prefix of call 10's. */
    private static String callId(String key, int turn, int index) {
        return "call_" + key + "_" + turn + "_" + index + "z";
    }

    private static String answer(String key, int turn, Turn t) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        String finish;
        if (t.calls().isEmpty()) {
            message.put("content", t.text());
            finish = "stop";
        } else {
            message.putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < t.calls().size(); i++) {
                Call c = t.calls().get(i);
                ObjectNode call =
                        calls.addObject().put("id", callId(key, turn, i)).put("type", "function");
                try {
                    call.putObject("function")
                            .put("name", c.tool())
                            .put("arguments", JSON.writeValueAsString(c.arguments()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(e);
                }
            }
            finish = "tool_calls";
        }
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-" + key + "-" + turn)
                .put("object", "chat.completion")
                .put("created", 1764000000)
                .put("model", "gpt-4o-mini");
        body.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", finish)
                .set("message", message);
        body.putObject("usage")
                .put("prompt_tokens", 60)
                .put("completion_tokens", 20)
                .put("total_tokens", 80);
        return body.toString();
    }
}
