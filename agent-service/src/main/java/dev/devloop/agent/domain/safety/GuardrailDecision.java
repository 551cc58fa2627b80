package dev.devloop.agent.domain.safety;

/** The outcome of one policy on one text; only violations are kept on the run. */
public record GuardrailDecision(String policy, GuardrailStage stage, Enforcement mode, String reason) {
    public boolean blocks() {
        return mode == Enforcement.BLOCK;
    }
}
