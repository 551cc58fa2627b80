package dev.devloop.agent.application;

import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import dev.devloop.agent.ports.in.AgentTypeCommand;
import dev.devloop.agent.ports.in.AgentTypeConflictException;
import dev.devloop.agent.ports.in.InvalidAgentTypeException;
import dev.devloop.agent.ports.in.ManageAgentTypesUseCase;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import dev.devloop.agent.ports.out.AgentTypeRepositoryPort;
import dev.devloop.agent.ports.out.ShippedAgentDefinitionsPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent-type catalogue: shipped types (everyone's) plus each tenant's registered ones (its own),
 * and the use case registering, updating and removing registrations. A registration is validated as
 * data — name, level, texts, the prompt template (known, and rendering with the variables every
 * definition provides), child types and handoff targets (known to the tenant, children strictly below
 * the type's level), and limits within {@link AgentTypeRules} — before it is stored; shipped types can
 * be neither shadowed, replaced nor removed. Runs, spawns and handoffs look types up through
 * {@link AgentDefinitionsPort}, so a registered type is used exactly like a shipped one.
 */
public final class AgentTypeService implements ManageAgentTypesUseCase, AgentDefinitionsPort {
    private static final Pattern MODEL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}");
    /** Ceiling of {@code limits.maxConcurrentRuns} (0 = unlimited). */
    static final int MAX_CONCURRENT_RUNS = 1_000;
    /** Most versions one history read returns. */
    public static final int MAX_VERSIONS_LISTED = 500;

    private static final int MAX_SUBJECT_CHARS = 256;
    private final java.time.Clock clock;

    private final Map<String, AgentDefinition> shipped = new LinkedHashMap<>();
    private final AgentTypeRepositoryPort registered;
    private final AgentRepositoryPort agents;
    private final PromptTemplates templates;
    private final AgentTypeRules rules;

    public AgentTypeService(
            ShippedAgentDefinitionsPort shippedTypes,
            AgentTypeRepositoryPort registered,
            AgentRepositoryPort agents,
            PromptTemplates templates,
            AgentTypeRules rules) {
        this(shippedTypes, registered, agents, templates, rules, java.time.Clock.systemUTC());
    }

    public AgentTypeService(
            ShippedAgentDefinitionsPort shippedTypes,
            AgentTypeRepositoryPort registered,
            AgentRepositoryPort agents,
            PromptTemplates templates,
            AgentTypeRules rules,
            java.time.Clock clock) {
        this.clock = clock;
        shippedTypes.shipped().forEach(d -> shipped.put(d.type(), d));
        this.registered = registered;
        this.agents = agents;
        this.templates = templates;
        this.rules = rules;
    }

    @Override
    public Optional<AgentDefinition> definition(String tenant, String type) {
        if (type == null) {
            return Optional.empty();
        }
        AgentDefinition builtIn = shipped.get(type);
        return builtIn != null ? Optional.of(builtIn) : registered.find(tenant, type);
    }

    /** A registered type's stored version (from its history); a shipped type has only version 0. */
    @Override
    public Optional<AgentDefinition> definition(String tenant, String type, int version) {
        if (type == null) {
            return Optional.empty();
        }
        AgentDefinition builtIn = shipped.get(type);
        if (builtIn != null) {
            return version == builtIn.version() ? Optional.of(builtIn) : Optional.empty();
        }
        return registered.findVersion(tenant, type, version);
    }

    @Override
    public List<AgentDefinition> versions(String tenant, String type, int limit) {
        if (shipped.containsKey(type)) {
            return List.of(shipped.get(type));
        }
        if (registered.find(tenant, type).isEmpty()) {
            throw new UnknownAgentException(type, "no agent type '" + type + "'");
        }
        return registered.versions(tenant, type, Math.min(Math.max(limit, 1), MAX_VERSIONS_LISTED));
    }

    @Override
    public List<AgentDefinition> definitions(String tenant) {
        List<AgentDefinition> all = new ArrayList<>(shipped.values());
        all.addAll(registered.list(tenant, rules.maxTypesPerTenant()));
        return all;
    }

    @Override
    public List<AgentDefinition> list(String tenant) {
        return definitions(tenant);
    }

    @Override
    public Optional<AgentDefinition> find(String tenant, String type) {
        return definition(tenant, type);
    }

    @Override
    public boolean isShipped(String type) {
        return shipped.containsKey(type);
    }

    @Override
    public AgentDefinition register(String tenant, AgentTypeCommand command, String changedBy) {
        AgentDefinition definition = validate(tenant, command).withVersion(1, subject(changedBy), clock.instant());
        if (shipped.containsKey(definition.type())) {
            throw new AgentTypeConflictException(
                    "shipped-type", "'" + definition.type() + "' is a shipped agent type and cannot be registered");
        }
        if (registered.count(tenant) >= rules.maxTypesPerTenant()) {
            throw new AgentTypeConflictException(
                    "max-types-per-tenant",
                    "tenant already has " + rules.maxTypesPerTenant() + " registered agent types");
        }
        if (!registered.insert(tenant, definition)) {
            throw new AgentTypeConflictException(
                    "type-exists",
                    "agent type '" + definition.type() + "' is already registered; update it with PUT /agent-types/"
                            + definition.type());
        }
        return definition;
    }

    @Override
    public AgentDefinition update(String tenant, String type, AgentTypeCommand command, String changedBy) {
        refuseShipped(type, "updated");
        if (command.type() != null && !command.type().equals(type)) {
            throw new InvalidAgentTypeException(
                    "type", "type '" + command.type() + "' differs from the path's '" + type + "'");
        }
        AgentDefinition current = registered
                .find(tenant, type)
                .orElseThrow(() -> new UnknownAgentException(type, "no registered agent type '" + type + "'"));
        AgentDefinition definition = validate(tenant, command.named(type))
                .withVersion(current.version() + 1, subject(changedBy), clock.instant());
        // a compare-and-set on the version: of two concurrent updates one wins, the other is told to retry
        if (!registered.replace(tenant, definition, current.version())) {
            if (registered.find(tenant, type).isEmpty()) {
                throw new UnknownAgentException(type, "no registered agent type '" + type + "'");
            }
            throw new AgentTypeConflictException(
                    "version-changed", "agent type '" + type + "' was changed concurrently; read it again and retry");
        }
        return definition;
    }

    private static String subject(String changedBy) {
        if (changedBy == null || changedBy.isBlank()) {
            return null;
        }
        if (changedBy.length() > MAX_SUBJECT_CHARS) {
            throw new InvalidAgentTypeException(
                    "changedBy", "the subject exceeds " + MAX_SUBJECT_CHARS + " characters");
        }
        return changedBy.strip();
    }

    @Override
    public void delete(String tenant, String type) {
        refuseShipped(type, "removed");
        if (registered.find(tenant, type).isEmpty()) {
            throw new UnknownAgentException(type, "no registered agent type '" + type + "'");
        }
        for (AgentStatus live : List.of(AgentStatus.ACTIVE, AgentStatus.BUSY)) {
            if (!agents.list(tenant, null, type, live, 1).isEmpty()) {
                throw new AgentTypeConflictException(
                        "live-agents", "agents of type '" + type + "' are live; retire them before removing the type");
            }
        }
        for (AgentDefinition other : registered.list(tenant, rules.maxTypesPerTenant())) {
            if (!other.type().equals(type)
                    && (other.allowedChildTypes().contains(type)
                            || other.handoffTargets().contains(type))) {
                throw new AgentTypeConflictException(
                        "referenced",
                        "agent type '" + other.type() + "' refers to '" + type + "' (child type or handoff target)");
            }
        }
        registered.delete(tenant, type);
    }

    private void refuseShipped(String type, String what) {
        if (shipped.containsKey(type)) {
            throw new AgentTypeConflictException(
                    "shipped-type", "'" + type + "' is a shipped agent type and cannot be " + what);
        }
    }

    /** Checks every field of {@code c} and builds the definition, naming the first offending field. */
    private AgentDefinition validate(String tenant, AgentTypeCommand c) {
        if (c.type() == null || !AgentDefinition.TYPE_PATTERN.matcher(c.type()).matches()) {
            throw new InvalidAgentTypeException("type", "type must match " + AgentDefinition.TYPE_PATTERN.pattern());
        }
        AgentLevel level = level(c.level());
        if (c.instructions() == null || c.instructions().isBlank()) {
            throw new InvalidAgentTypeException("instructions", "instructions are required");
        }
        if (c.instructions().length() > rules.maxInstructionsChars()) {
            throw new InvalidAgentTypeException(
                    "instructions", "instructions exceed " + rules.maxInstructionsChars() + " characters");
        }
        if (c.description() != null && c.description().length() > rules.maxDescriptionChars()) {
            throw new InvalidAgentTypeException(
                    "description", "description exceeds " + rules.maxDescriptionChars() + " characters");
        }
        modelRef("provider", c.provider());
        modelRef("model", c.model());
        AgentLimits limits = limits(c);
        List<String> children = typeList("allowedChildTypes", c.allowedChildTypes());
        List<String> targets = typeList("handoffTargets", c.handoffTargets());
        for (String child : children) {
            AgentDefinition known = definition(tenant, child)
                    .orElseThrow(() -> new InvalidAgentTypeException(
                            "allowedChildTypes",
                            "unknown agent type '" + child + "' (not shipped, not registered by this tenant)"));
            if (rank(known.level()) <= rank(level)) {
                throw new InvalidAgentTypeException(
                        "allowedChildTypes",
                        "a " + level.name().toLowerCase() + " agent cannot spawn '" + child + "' (level "
                                + known.level().name().toLowerCase() + ")");
            }
        }
        if (!children.isEmpty() && limits.maxChildren() == 0) {
            throw new InvalidAgentTypeException("limits.maxChildren", "allowedChildTypes is set but maxChildren is 0");
        }
        for (String target : targets) {
            if (!target.equals(c.type()) && definition(tenant, target).isEmpty()) {
                throw new InvalidAgentTypeException(
                        "handoffTargets",
                        "unknown agent type '" + target + "' (not shipped, not registered by this tenant)");
            }
        }
        String template = c.promptTemplate() == null || c.promptTemplate().isBlank()
                ? AgentDefinition.DEFAULT_TEMPLATE
                : c.promptTemplate();
        if (templates.find(template).isEmpty()) {
            throw new InvalidAgentTypeException(
                    "promptTemplate", "unknown prompt template '" + template + "' (known: " + templates.names() + ")");
        }
        AgentDefinition definition = new AgentDefinition(
                c.type(),
                level,
                c.description(),
                c.instructions(),
                children,
                c.provider(),
                c.model(),
                limits,
                template,
                targets,
                Boolean.TRUE.equals(c.approveGraphWrites()),
                guardrailMode(c.guardrailMode()),
                0,
                null,
                null);
        try {
            // every variable the template declares must be one a definition provides, every placeholder filled
            templates.render(template, AgentLoop.promptValues(definition));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentTypeException(
                    "promptTemplate",
                    "prompt template '" + template + "' cannot be rendered for this definition: " + e.getMessage());
        }
        return definition;
    }

    /** {@code block}, {@code warn} or {@code log}; absent: the service's global setting. */
    private static dev.devloop.agent.domain.safety.Enforcement guardrailMode(String value) {
        if (value == null) {
            return null;
        }
        try {
            return dev.devloop.agent.domain.safety.Enforcement.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentTypeException(
                    "guardrailMode", "guardrailMode must be block, warn or log, not '" + value + "'");
        }
    }

    private static AgentLevel level(String value) {
        if (value == null) {
            throw new InvalidAgentTypeException("level", "level is required: parent, child or micro");
        }
        try {
            return AgentLevel.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentTypeException("level", "level must be parent, child or micro, not '" + value + "'");
        }
    }

    private static void modelRef(String field, String value) {
        if (value != null && !MODEL_REF.matcher(value).matches()) {
            throw new InvalidAgentTypeException(field, field + " must match " + MODEL_REF.pattern());
        }
    }

    private List<String> typeList(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > rules.maxListSize()) {
            throw new InvalidAgentTypeException(field, field + " has more than " + rules.maxListSize() + " entries");
        }
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (v == null || !AgentDefinition.TYPE_PATTERN.matcher(v).matches()) {
                throw new InvalidAgentTypeException(
                        field, field + " entries must match " + AgentDefinition.TYPE_PATTERN.pattern());
            }
            if (!seen.add(v)) {
                throw new InvalidAgentTypeException(field, field + " lists '" + v + "' twice");
            }
        }
        return List.copyOf(values);
    }

    private AgentLimits limits(AgentTypeCommand c) {
        int turns = required("limits.maxTurns", c.maxTurns());
        long tokens = required("limits.maxTokens", c.maxTokens());
        long seconds = required("limits.maxSeconds", c.maxSeconds());
        int children = c.maxChildren() == null ? 0 : c.maxChildren();
        double cost = c.maxCostUsd() == null ? 0 : c.maxCostUsd();
        bound("limits.maxTurns", turns, 1, rules.maxTurns());
        bound("limits.maxTokens", tokens, 1, rules.maxTokens());
        bound("limits.maxSeconds", seconds, 1, rules.maxSeconds());
        bound("limits.maxChildren", children, 0, rules.maxChildren());
        if (Double.isNaN(cost) || cost < 0 || cost > rules.maxCostUsd()) {
            throw new InvalidAgentTypeException(
                    "limits.maxCostUsd",
                    "limits.maxCostUsd must be between 0 and " + rules.maxCostUsd() + " (0: the service default)");
        }
        int concurrent = c.maxConcurrentRuns() == null ? 0 : c.maxConcurrentRuns();
        bound("limits.maxConcurrentRuns", concurrent, 0, MAX_CONCURRENT_RUNS);
        return new AgentLimits(turns, tokens, seconds, children, cost, concurrent);
    }

    private static <T extends Number> T required(String field, T value) {
        if (value == null) {
            throw new InvalidAgentTypeException(field, field + " is required");
        }
        return value;
    }

    private static void bound(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidAgentTypeException(field, field + " must be between " + min + " and " + max);
        }
    }

    private static int rank(AgentLevel level) {
        return switch (level) {
            case PARENT -> 0;
            case CHILD -> 1;
            case MICRO -> 2;
        };
    }
}
