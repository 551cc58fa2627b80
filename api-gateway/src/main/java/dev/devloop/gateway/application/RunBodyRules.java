package dev.devloop.gateway.application;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.problem.Refusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Checks a run body before it is forwarded: bounded, a JSON object, {@code input} a non-blank bounded string. */
public final class RunBodyRules {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final int maxBodyBytes;
    private final int maxInputBytes;

    public RunBodyRules(int maxBodyBytes, int maxInputBytes) {
        if (maxBodyBytes < 1 || maxInputBytes < 1) {
            throw new IllegalArgumentException("body and input bounds must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.maxInputBytes = maxInputBytes;
    }

    /** Throws a problem naming the offending field when {@code body} may not be forwarded. */
    public void check(byte[] body) {
        if (body.length == 0) {
            throw Refusal.invalid("input", "a JSON body with an 'input' string is required");
        }
        if (body.length > maxBodyBytes) {
            throw Refusal.tooLarge("the body is " + body.length + " bytes; at most " + maxBodyBytes + " are accepted");
        }
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw Refusal.invalid("body", "the body must be a JSON object");
        }
        JsonNode input = root.get("input");
        if (input == null || input.isNull()) {
            throw Refusal.invalid("input", "input is required");
        }
        if (!input.isTextual()) {
            throw Refusal.invalid("input", "input must be a string");
        }
        if (input.textValue().isBlank()) {
            throw Refusal.invalid("input", "input must not be blank");
        }
        int inputBytes = input.textValue().getBytes(StandardCharsets.UTF_8).length;
        if (inputBytes > maxInputBytes) {
            throw Refusal.invalid(
                    "input", "input is " + inputBytes + " bytes; at most " + maxInputBytes + " are accepted");
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = STRICT.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Refusal.invalid("input", "a JSON body with an 'input' string is required");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Refusal(
                    Refusal.Reason.INVALID,
                    "malformed-body",
                    "Malformed request body",
                    "Malformed JSON body: " + e.getOriginalMessage(),
                    "body");
        } catch (IOException e) {
            throw Refusal.invalid("body", "the body could not be read");
        }
    }
}
