package dev.devloop.agent.application;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.SpawnAgentCommand;
import dev.devloop.agent.ports.in.SystemHealthUseCase;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.agent.ports.out.HealthProbePort;
import dev.devloop.contracts.logging.LogFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The System Health Agent's check: a {@code system_health} parent is spawned; every component's health
 * and metrics are read (in parallel); each status is recorded as facts and published on
 * {@code devloop.system.health}; for each unhealthy component a {@code diagnostic} child runs (the
 * model reads metrics and connectivity through its tools), and when it reached a diagnosis a
 * {@code repair} micro agent under it runs with only the repair tools; the check ends with a report and
 * the whole tree retired.
 */
public final class SystemHealthService implements SystemHealthUseCase {
    private static final Logger LOG = Logger.getLogger(SystemHealthService.class);

    /** Components by name and base URL, and the tool scopes of the agents a check spawns. */
    public record Settings(
            Map<String, String> components,
            List<String> diagnosticTools,
            List<String> repairTools,
            int maxParallel,
            Duration factTtl,
            int maxIssueChars) {
        public Settings {
            components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
            diagnosticTools = List.copyOf(diagnosticTools);
            repairTools = List.copyOf(repairTools);
        }
    }

    public static final String PARENT_TYPE = "system_health";
    public static final String DIAGNOSTIC_TYPE = "diagnostic";
    public static final String REPAIR_TYPE = "repair";

    private final AgentDefinitionsPort definitions;
    private final AgentHierarchyService hierarchy;
    private final HealthProbePort probe;
    private final FactsPort facts;
    private final HealthEventsPort events;
    private final Executor executor;
    private final Settings settings;
    private final Clock clock;
    private final ChildRuns childRuns;

    public SystemHealthService(
            AgentDefinitionsPort definitions,
            AgentHierarchyService hierarchy,
            HealthProbePort probe,
            FactsPort facts,
            HealthEventsPort events,
            Executor executor,
            Settings settings,
            ChildRuns childRuns,
            Clock clock) {
        this.childRuns = childRuns; // the run service (it runs the diagnostic and repair agents): a lazy reference
        this.definitions = definitions;
        this.hierarchy = hierarchy;
        this.probe = probe;
        this.facts = facts;
        this.events = events;
        this.executor = executor;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Report check(CheckCommand command) {
        if (command.issue() != null && command.issue().length() > settings.maxIssueChars()) {
            throw new InvalidRunRequestException("issue", "issue exceeds " + settings.maxIssueChars() + " characters");
        }
        Map<String, String> targets = targets(command.components());
        Instant startedAt = clock.instant();
        String checkId = "chk_" + UUID.randomUUID();
        String tenant = command.tenant();
        Agent parent = hierarchy.spawn(new SpawnAgentCommand(tenant, PARENT_TYPE, null));
        List<Diagnosis> diagnoses = new ArrayList<>();
        List<ComponentHealth> statuses = List.of();
        List<String> retired;
        try {
            statuses = Parallel.map(
                    new ArrayList<>(targets.entrySet()),
                    e -> probe.probe(e.getKey(), e.getValue()),
                    settings.maxParallel(),
                    executor);
            for (ComponentHealth h : statuses) {
                UpdateHealthStatusTool.recordHealth(
                        facts, tenant, h, settings.factTtl(), checkId + "/" + h.component());
                events.status(tenant, h, parent.id());
            }
            List<ComponentHealth> unhealthy =
                    statuses.stream().filter(h -> !h.healthy()).toList();
            int room = definition(tenant, PARENT_TYPE).limits().maxChildren();
            List<ComponentHealth> diagnosed = unhealthy.subList(0, Math.min(room, unhealthy.size()));
            diagnoses.addAll(Parallel.map(
                    diagnosed, h -> diagnose(tenant, parent, h, command, checkId), settings.maxParallel(), executor));
            for (ComponentHealth skipped : unhealthy.subList(diagnosed.size(), unhealthy.size())) {
                diagnoses.add(new Diagnosis(
                        skipped.component(),
                        null,
                        null,
                        null,
                        "not diagnosed: the parent's limit of " + room + " children was reached",
                        null,
                        null,
                        null,
                        null));
            }
        } finally {
            // the check's agents exist for this check only
            retired = hierarchy.retire(tenant, parent.id()).stream()
                    .map(Agent::id)
                    .toList();
        }
        int retiredCount = retired.size();
        LogFields.of("tenant", tenant, "checkId", checkId, "retired", retiredCount)
                .info(LOG, "system health check agents retired");
        String report = report(statuses, diagnoses, command.issue());
        int unhealthyCount = (int) statuses.stream().filter(h -> !h.healthy()).count();
        facts.record(
                tenant,
                checkId,
                "report",
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(report),
                settings.factTtl().isZero() ? null : settings.factTtl().toSeconds(),
                checkId + "/report");
        events.report(tenant, checkId, parent.id(), report, unhealthyCount);
        return new Report(
                checkId,
                tenant,
                parent.id(),
                command.issue(),
                statuses,
                diagnoses,
                report,
                retired,
                startedAt,
                clock.instant());
    }

    private Diagnosis diagnose(String tenant, Agent parent, ComponentHealth h, CheckCommand command, String checkId) {
        String key = checkId + "/" + h.component();
        Agent diagnostic = hierarchy
                .spawnKeyed(tenant, DIAGNOSTIC_TYPE, parent.id(), key + "/diagnostic", settings.diagnosticTools())
                .agent();
        StringBuilder task = new StringBuilder()
                .append("Component ")
                .append(h.component())
                .append(" (")
                .append(h.url())
                .append(") is ")
                .append(h.status())
                .append(": ")
                .append(h.detail())
                .append('.');
        if (!h.metrics().isEmpty()) {
            task.append(" Metrics: ").append(h.metrics()).append('.');
        }
        if (command.issue() != null && !command.issue().isBlank()) {
            task.append(" Reported issue: ").append(command.issue());
        }
        task.append(" Diagnose the most likely cause with your tools and state the evidence.");
        Run diagnosis = runs().run(tenant, diagnostic, key + "/diagnostic/run", task.toString(), command.traceId());
        facts.record(tenant, h.component(), "diagnosis", text(outcome(diagnosis)), ttl(), key + "/diagnosis");
        if (diagnosis.status() != RunStatus.COMPLETED) {
            return new Diagnosis(
                    h.component(),
                    diagnostic.id(),
                    diagnosis.id(),
                    diagnosis.status().name(),
                    outcome(diagnosis),
                    null,
                    null,
                    null,
                    null);
        }
        // the narrowest tools: a repair micro agent may use only the configured repair tools
        Agent repair = hierarchy
                .spawnKeyed(tenant, REPAIR_TYPE, diagnostic.id(), key + "/repair", settings.repairTools())
                .agent();
        String repairTask = "Repair component " + h.component() + " (" + h.status() + ": " + h.detail()
                + "). Diagnosis: " + diagnosis.result()
                + " Perform one repair action with your tools and report whether it worked.";
        Run repaired = runs().run(tenant, repair, key + "/repair/run", repairTask, command.traceId());
        facts.record(tenant, h.component(), "repair", text(outcome(repaired)), ttl(), key + "/repair");
        return new Diagnosis(
                h.component(),
                diagnostic.id(),
                diagnosis.id(),
                diagnosis.status().name(),
                outcome(diagnosis),
                repair.id(),
                repaired.id(),
                repaired.status().name(),
                outcome(repaired));
    }

    private static String report(List<ComponentHealth> statuses, List<Diagnosis> diagnoses, String issue) {
        StringBuilder out = new StringBuilder("System health report");
        if (issue != null && !issue.isBlank()) {
            out.append(" for issue: ").append(issue);
        }
        long up = statuses.stream().filter(ComponentHealth::healthy).count();
        out.append("\n").append(up).append(" of ").append(statuses.size()).append(" components healthy.");
        for (ComponentHealth h : statuses) {
            out.append("\n- ")
                    .append(h.component())
                    .append(": ")
                    .append(h.status())
                    .append(" (")
                    .append(h.detail())
                    .append(')');
        }
        for (Diagnosis d : diagnoses) {
            out.append("\n* ").append(d.component()).append(" diagnosis: ").append(d.diagnosis());
            if (d.repair() != null) {
                out.append("\n  repair (")
                        .append(d.repairStatus())
                        .append("): ")
                        .append(d.repair());
            }
        }
        return out.toString();
    }

    private Map<String, String> targets(List<String> requested) {
        if (requested.isEmpty()) {
            return settings.components();
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String name : requested) {
            String url = settings.components().get(name);
            if (url == null) {
                throw new InvalidRunRequestException(
                        "components",
                        "unknown component '" + name + "' (known: "
                                + settings.components().keySet() + ")");
            }
            chosen.put(name, url);
        }
        return chosen;
    }

    private static String outcome(Run run) {
        return run.result() != null ? run.result() : run.status() + (run.error() == null ? "" : ": " + run.error());
    }

    private Long ttl() {
        return settings.factTtl().isZero() ? null : settings.factTtl().toSeconds();
    }

    private static com.fasterxml.jackson.databind.JsonNode text(String value) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(value);
    }

    private AgentDefinition definition(String tenant, String type) {
        return definitions
                .definition(tenant, type)
                .orElseThrow(() -> new IllegalStateException("agent type " + type + " is not defined"));
    }

    private ChildRuns runs() {
        return childRuns;
    }
}
