package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.identity.CellTls;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.Service;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The four siblings of the default cell, probed for the {@code dependencies} health group (never readiness). */
final class SiblingProbes {
    private SiblingProbes() {}

    /** agent-service (the REST client's URL: the run routes' target). */
    @Singleton
    static class AgentService extends SiblingProbe {
        AgentService(
                @ConfigProperty(name = "quarkus.rest-client.agent-service.url") String baseUrl,
                GatewayConfig config,
                CellTls cellTls) {
            super(
                    "agent-service",
                    baseUrl,
                    config.agentService().readinessTimeout(),
                    "runs, agents, agent types, approvals and handoffs answer 503",
                    cellTls);
        }
    }

    /** knowledge-service. */
    @Singleton
    static class Knowledge extends SiblingProbe {
        Knowledge(CellRouting cells, GatewayConfig config, CellTls cellTls) {
            super(
                    Service.KNOWLEDGE.id(),
                    cells.defaultUrl(Service.KNOWLEDGE),
                    config.hop().readinessTimeout(),
                    "facts, entities, documents, search, RAG and the roadmap answer 503",
                    cellTls);
        }
    }

    /** tool-service. */
    @Singleton
    static class Tool extends SiblingProbe {
        Tool(CellRouting cells, GatewayConfig config, CellTls cellTls) {
            super(
                    Service.TOOL.id(),
                    cells.defaultUrl(Service.TOOL),
                    config.hop().readinessTimeout(),
                    "tools, tool invocations and MCP servers answer 503",
                    cellTls);
        }
    }

    /** provider-gateway. */
    @Singleton
    static class Provider extends SiblingProbe {
        Provider(CellRouting cells, GatewayConfig config, CellTls cellTls) {
            super(
                    Service.PROVIDER.id(),
                    cells.defaultUrl(Service.PROVIDER),
                    config.hop().readinessTimeout(),
                    "generate, chat completions, models, providers, usage and model safety answer 503",
                    cellTls);
        }
    }
}
