package dev.devloop.knowledge.ports.in;

/** A question answered from the tenant's documents; null fields take the configured defaults. */
public record RagQueryCommand(
        String tenant, String question, Integer limit, String mode, String provider, String model) {}
