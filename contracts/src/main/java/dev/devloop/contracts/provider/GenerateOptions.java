package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Output-affecting options; null means the provider's default. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerateOptions(Double temperature, Integer maxTokens, Double topP, List<String> stop) {}
