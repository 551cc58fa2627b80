package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A normalised chat request to provider-gateway's {@code POST /v1/generate}. {@code provider} and
 * {@code model} may be null to take the gateway's defaults; the tenant travels in the
 * {@code X-Devloop-Tenant} header.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerateRequest(
        String provider,
        String model,
        List<ChatMessage> messages,
        List<ToolSpec> tools,
        GenerateOptions options,
        String agentId) {}
