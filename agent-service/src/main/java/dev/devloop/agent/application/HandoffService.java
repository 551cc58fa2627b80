package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.domain.HierarchyViolation;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.in.HandoffCommand;
import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HandoffRepositoryPort;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.contracts.logging.LogFields;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The seed's handoff protocol: record the handoff as facts (from, context, task), create the target
 * agent, link the two ({@code HANDED_OFF_TO}, via the lifecycle event knowledge-service mirrors), run
 * the task on the target, store the result, and return handoff id, target and result. Keyed handoffs
 * (from a tool call) are idempotent: a repeat finds the handoff, target and run of the first attempt.
 */
public final class HandoffService implements HandoffUseCase {
    private static final Logger LOG = Logger.getLogger(HandoffService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final AgentDefinitionsPort definitions;
    private final AgentHierarchyService hierarchy;
    private final HandoffRepositoryPort handoffs;
    private final FactsPort facts;
    private final LifecyclePublisherPort lifecycle;
    private final int maxInputChars;
    private final Clock clock;
    private final ChildRuns childRuns;

    public HandoffService(
            AgentDefinitionsPort definitions,
            AgentHierarchyService hierarchy,
            HandoffRepositoryPort handoffs,
            FactsPort facts,
            LifecyclePublisherPort lifecycle,
            int maxInputChars,
            ChildRuns childRuns,
            Clock clock) {
        this.childRuns = childRuns; // the run service, which needs the loop that calls handoffs: a lazy reference
        this.definitions = definitions;
        this.hierarchy = hierarchy;
        this.handoffs = handoffs;
        this.facts = facts;
        this.lifecycle = lifecycle;
        this.maxInputChars = maxInputChars;
        this.clock = clock;
    }

    @Override
    public Handoff handoff(HandoffCommand c) {
        if (c.task().length() > maxInputChars) {
            throw new InvalidRunRequestException("task", "task exceeds " + maxInputChars + " characters");
        }
        if (c.context() != null && c.context().length() > maxInputChars) {
            throw new InvalidRunRequestException("context", "context exceeds " + maxInputChars + " characters");
        }
        String id = Handoff.id(c.tenant(), c.key());
        Optional<Handoff> earlier = handoffs.find(c.tenant(), id);
        if (earlier.isPresent() && earlier.get().completedAt() != null) {
            return earlier.get();
        }
        Agent from = hierarchy
                .find(c.tenant(), c.fromAgentId())
                .orElseThrow(() -> new UnknownAgentException(c.fromAgentId(), "no agent '" + c.fromAgentId() + "'"));
        if (!from.isLive()) {
            throw new InvalidRunRequestException(
                    "agentId", "agent '" + from.id() + "' is " + from.status() + " and cannot hand off");
        }
        AgentDefinition fromDefinition = definition(c.tenant(), from.type());
        AgentDefinition target = definition(c.tenant(), c.toAgentType());
        if (!fromDefinition.handoffTargets().contains(target.type())) {
            throw new HierarchyViolation(
                    "handoff-targets",
                    from.type() + " may not hand off to " + target.type() + " (allowed: "
                            + fromDefinition.handoffTargets() + ")");
        }
        fact(c.tenant(), id, "from_agent", from.id());
        fact(c.tenant(), id, "to_agent_type", target.type());
        fact(c.tenant(), id, "task", c.task());
        if (c.context() != null) {
            fact(c.tenant(), id, "context", c.context());
        }
        // the target is a peer, not a child: it stands on its own in the hierarchy, linked by HANDED_OFF_TO
        Agent to = hierarchy
                .spawnKeyed(c.tenant(), target.type(), null, "handoff/" + id, java.util.List.of())
                .agent();
        Handoff started = earlier.orElseGet(() -> new Handoff(
                id,
                c.tenant(),
                from.id(),
                to.id(),
                target.type(),
                c.task(),
                c.context(),
                null,
                null,
                null,
                null,
                clock.instant(),
                null));
        handoffs.save(started);
        fact(c.tenant(), id, "to_agent", to.id());
        lifecycle.handedOff(started);
        LogFields.of(
                        "tenant", c.tenant(),
                        "handoffId", id,
                        "fromAgentId", from.id(),
                        "fromAgentType", from.type(),
                        "toAgentId", to.id(),
                        "toAgentType", target.type())
                .info(LOG, "handoff started");

        Run run = runs().run(c.tenant(), to, "handoff/" + id, input(from, c), c.traceId());
        Handoff done = started.completed(run, clock.instant());
        fact(c.tenant(), id, "status", run.status().name());
        fact(c.tenant(), id, "result", run.result() != null ? run.result() : run.error() == null ? "" : run.error());
        handoffs.save(done);
        return done;
    }

    @Override
    public Optional<Handoff> find(String tenant, String handoffId) {
        return handoffs.find(tenant, handoffId);
    }

    private static String input(Agent from, HandoffCommand c) {
        if (c.context() == null || c.context().isBlank()) {
            return c.task();
        }
        return "Context handed over by agent " + from.id() + " (" + from.type() + "):\n" + c.context() + "\n\nTask:\n"
                + c.task();
    }

    private void fact(String tenant, String handoffId, String attribute, String value) {
        facts.record(tenant, handoffId, attribute, NODES.textNode(value), null, handoffId + "/" + attribute);
    }

    private AgentDefinition definition(String tenant, String type) {
        return definitions
                .definition(tenant, type)
                .orElseThrow(() -> new UnknownAgentException(type, "unknown agent type '" + type + "'"));
    }

    private ChildRuns runs() {
        return childRuns;
    }
}
