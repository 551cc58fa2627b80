package dev.devloop.agent.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.ports.out.TextValidatorPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Outbound adapter: remote-validation guardrails served by provider-gateway's {@code POST /v1/validate}. */
@ApplicationScoped
class ProviderValidatorAdapter implements TextValidatorPort {
    private static final int MAX_VIOLATIONS = 20;
    private final ProviderGatewayCalls calls;
    private final ObjectMapper json;

    ProviderValidatorAdapter(ProviderGatewayCalls calls, ObjectMapper json) {
        this.calls = calls;
        this.json = json;
    }

    @Override
    public Verdict validate(String tenant, String text, List<String> pii, List<String> blockedTerms, int maxChars) {
        ObjectNode body = json.createObjectNode().put("text", text);
        if (!pii.isEmpty()) {
            pii.forEach(body.putArray("pii")::add);
        }
        if (!blockedTerms.isEmpty()) {
            blockedTerms.forEach(body.putArray("blockedTerms")::add);
        }
        if (maxChars > 0) {
            body.put("maxChars", maxChars);
        }
        JsonNode answer = DownstreamErrors.guarded(ProviderGatewayCalls.SERVICE, () -> calls.validate(tenant, body));
        List<String> violations = new ArrayList<>();
        for (JsonNode v : answer.path("violations")) {
            if (violations.size() == MAX_VIOLATIONS) {
                break;
            }
            String message = v.path("message").asText("");
            violations.add(v.path("kind").asText("violation") + (message.isEmpty() ? "" : ": " + message));
        }
        return new Verdict(answer.path("valid").asBoolean(violations.isEmpty()), violations);
    }
}
