package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentTree;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.domain.HierarchyViolation;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.in.HandoffCommand;
import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The orchestration tools, executed here when a model calls them: {@code spawn_agent},
 * {@code coordinate_agents}, {@code monitor_children}, {@code retire_agent} (for types that may spawn),
 * {@code handoff} (for types with handoff targets) and {@code update_health_status} (for the health
 * types). Spawns are keyed by run and tool-call id and child runs by the same key, so a resumed run
 * that repeats a call gets the agents and runs the first attempt made, never new ones.
 */
public final class OrchestrationTools implements LocalTools {
  public static final String SPAWN = "spawn_agent";
  public static final String HANDOFF = "handoff";
  public static final String COORDINATE = "coordinate_agents";
  public static final String MONITOR = "monitor_children";
  public static final String RETIRE = "retire_agent";
  public static final String HEALTH = "update_health_status";
  static final Set<String> NAMES = Set.of(SPAWN, HANDOFF, COORDINATE, MONITOR, RETIRE, HEALTH);
  /** The agent tools tool-service registers (kind {@code agent}); update_health_status is this service's own. */
  static final Set<String> REGISTERED = Set.of(SPAWN, HANDOFF, COORDINATE, MONITOR, RETIRE);
  /**
   * The tools of types that may spawn: granted by the definition itself (non-empty {@code allowedChildTypes}),
   * built-in or tenant-registered alike — tool-service's by-type-name grant does not limit them, it can only
   * switch them off for a tenant.
   */
  public static final Set<String> SPAWNING = Set.of(SPAWN, COORDINATE, MONITOR, RETIRE);
  static final String SERVICE = "agent-service";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SCOPE = 20;
  private static final int MAX_NAME = 64;
  private static final int MAX_METRICS = 20;

  /** Bounds and knobs of the orchestration tools. */
  public record Settings(int maxCoordinateTasks, int maxParallel, int maxInputChars, List<String> healthReporters,
      Duration healthFactTtl) {
    public Settings {
      if (maxCoordinateTasks < 1 || maxParallel < 1 || maxInputChars < 1) {
        throw new IllegalArgumentException("orchestration bounds must be positive");
      }
      healthReporters = List.copyOf(healthReporters);
    }
  }

  private final AgentHierarchyService hierarchy;
  private final HandoffUseCase handoffs;
  private final FactsPort facts;
  private final HealthEventsPort health;
  private final Executor executor;
  private final Settings settings;
  private final Clock clock;
  private volatile ChildRuns childRuns;
  private volatile AgentAvailability availability = AgentAvailability.NONE;

  public OrchestrationTools(AgentHierarchyService hierarchy, HandoffUseCase handoffs, FactsPort facts,
      HealthEventsPort health, Executor executor, Settings settings, Clock clock) {
    this.hierarchy = hierarchy;
    this.handoffs = handoffs;
    this.facts = facts;
    this.health = health;
    this.executor = executor;
    this.settings = settings;
    this.clock = clock;
  }

  /** The runner of child tasks, bound once the run service exists (it in turn needs the loop using these tools). */
  public void bind(ChildRuns runs) {
    this.childRuns = runs;
  }

  /** Liveness used to refuse tasks for unresponsive or overloaded descendants (bound at start). */
  public void bind(AgentAvailability liveness) {
    this.availability = liveness;
  }

  @Override
  public boolean handles(String tool) {
    return NAMES.contains(tool);
  }

  @Override
  public List<ToolSpec> specsFor(AgentDefinition d) {
    List<ToolSpec> specs = new ArrayList<>();
    if (d.canSpawn()) {
      specs.add(spawnSpec(d));
      specs.add(coordinateSpec(d));
      specs.add(new ToolSpec(MONITOR, "List your child agents with their status and how many children each has.",
          object()));
      ObjectNode retire = object();
      retire.with("properties").putObject("agentId").put("type", "string").put("description",
          "id of one of your descendants; its own subtree is retired with it");
      retire.putArray("required").add("agentId");
      specs.add(new ToolSpec(RETIRE, "Retire one of your descendant agents and its whole subtree.", retire));
    }
    if (!d.handoffTargets().isEmpty()) {
      ObjectNode p = object();
      ObjectNode props = p.with("properties");
      ArrayNode types = props.putObject("toAgentType").put("type", "string").putArray("enum");
      d.handoffTargets().forEach(types::add);
      props.putObject("task").put("type", "string").put("description", "what the other agent should do");
      props.putObject("context").put("type", "string").put("description", "what it needs to know from you");
      p.putArray("required").add("toAgentType").add("task");
      specs.add(new ToolSpec(HANDOFF, "Hand a task to a new agent of another type; returns its result.", p));
    }
    if (settings.healthReporters().contains(d.type())) {
      ObjectNode p = object();
      ObjectNode props = p.with("properties");
      props.putObject("component").put("type", "string").put("maxLength", 128);
      props.putObject("status").put("type", "string").putArray("enum").add("UP").add("DEGRADED").add("DOWN");
      props.putObject("detail").put("type", "string").put("maxLength", 2000);
      props.putObject("metrics").put("type", "object").putObject("additionalProperties").put("type", "number");
      p.putArray("required").add("component").add("status");
      specs.add(new ToolSpec(HEALTH,
          "Record a component's health status (and metrics) as facts and publish it on devloop.system.health.", p));
    }
    return specs;
  }

  @Override
  public ToolInvocationResult execute(Run run, AgentDefinition d, ToolCall call) {
    Instant started = clock.instant();
    JsonNode args = call.arguments() == null || call.arguments().isNull() ? object() : call.arguments();
    if (!args.isObject()) {
      throw refused(400, "arguments must be a JSON object");
    }
    String key = run.id() + "/" + call.id();
    try {
      ObjectNode output = switch (call.name()) {
        case SPAWN -> {
          requireSpawner(d, call.name());
          yield spawn(run, args, key);
        }
        case COORDINATE -> {
          requireSpawner(d, call.name());
          yield coordinate(run, args, key);
        }
        case MONITOR -> {
          requireSpawner(d, call.name());
          yield monitor(run);
        }
        case RETIRE -> {
          requireSpawner(d, call.name());
          yield retire(run, args);
        }
        case HANDOFF -> handoff(run, d, args, key);
        case HEALTH -> {
          if (!settings.healthReporters().contains(d.type())) {
            throw refused(403, d.type() + " may not call " + HEALTH + " (allowed: " + settings.healthReporters() + ")");
          }
          yield updateHealth(run, args, key);
        }
        default -> throw refused(404, "no local tool '" + call.name() + "'");
      };
      return new ToolInvocationResult("local:" + key, call.name(), ToolInvocationResult.SUCCEEDED, output, null,
          Duration.between(started, clock.instant()).toMillis(), false);
    } catch (HierarchyViolation e) {
      throw refused(409, e.getMessage() + " [rule: " + e.rule() + "]");
    } catch (UnknownAgentException e) {
      throw refused(404, e.getMessage());
    } catch (InvalidRunRequestException e) {
      throw refused(400, e.field() + ": " + e.getMessage());
    }
  }

  private ObjectNode spawn(Run run, JsonNode args, String key) {
    String type = text(args, "type", true, MAX_NAME);
    List<String> scope = scope(args.path("tools"));
    String task = text(args, "task", false, settings.maxInputChars());
    AgentHierarchyService.Spawned spawned = hierarchy.spawnKeyed(run.tenant(), type, run.agentId(), key, scope);
    ObjectNode out = agentNode(spawned.agent());
    out.putArray("spawnedAgentIds").add(spawned.agent().id());
    if (task != null) {
      out.set("run", runNode(runs().run(run.tenant(), spawned.agent(), key + "/run", task, run.traceId())));
    }
    return out;
  }

  private ObjectNode coordinate(Run run, JsonNode args, String key) {
    JsonNode tasks = args.path("tasks");
    if (!tasks.isArray() || tasks.isEmpty() || tasks.size() > settings.maxCoordinateTasks()) {
      throw refused(400, "tasks must be an array of 1 to " + settings.maxCoordinateTasks() + " tasks");
    }
    // spawn in order first, so the hierarchy's limits apply deterministically; then run in parallel
    List<Assignment> assignments = new ArrayList<>();
    ArrayNode spawnedIds = JSON.createArrayNode();
    for (int i = 0; i < tasks.size(); i++) {
      JsonNode t = tasks.get(i);
      String input = text(t, "input", true, settings.maxInputChars());
      String agentId = text(t, "agentId", false, 128);
      Agent agent;
      if (agentId != null) {
        agent = hierarchy.find(run.tenant(), agentId)
            .filter(a -> hierarchy.isDescendant(run.tenant(), a.id(), run.agentId()))
            .orElseThrow(() -> refused(403, "agent '" + agentId + "' is not one of your descendants"));
        if (!agent.isLive()) {
          throw refused(409, "agent '" + agentId + "' is " + agent.status());
        }
        try {
          availability.requireAvailable(agent);
        } catch (dev.devloop.agent.ports.in.AgentUnavailableException e) {
          throw refused(409, e.getMessage());
        }
      } else {
        String type = text(t, "agentType", true, MAX_NAME);
        AgentHierarchyService.Spawned s = hierarchy.spawnKeyed(run.tenant(), type, run.agentId(), key + "/" + i,
            scope(t.path("tools")));
        agent = s.agent();
        spawnedIds.add(agent.id());
      }
      assignments.add(new Assignment(i, agent, input));
    }
    List<Run> results = Parallel.map(assignments,
        a -> {
          try {
            return runs().run(run.tenant(), a.agent(), key + "/" + a.index() + "/run", a.input(), run.traceId());
          } catch (dev.devloop.agent.ports.in.AgentUnavailableException e) {
            throw refused(409, e.getMessage()); // lost the race for the agent's last run slot
          }
        },
        settings.maxParallel(), executor);
    ObjectNode out = JSON.createObjectNode();
    out.set("spawnedAgentIds", spawnedIds);
    ArrayNode list = out.putArray("results");
    int completed = 0;
    for (int i = 0; i < assignments.size(); i++) {
      Run r = results.get(i);
      ObjectNode item = runNode(r);
      item.put("index", i).put("agentId", assignments.get(i).agent().id())
          .put("agentType", assignments.get(i).agent().type());
      list.add(item);
      completed += r.status() == dev.devloop.agent.domain.RunStatus.COMPLETED ? 1 : 0;
    }
    out.put("completed", completed).put("notCompleted", assignments.size() - completed);
    return out;
  }

  private record Assignment(int index, Agent agent, String input) {}

  private ObjectNode monitor(Run run) {
    AgentTree tree = hierarchy.tree(run.tenant(), run.agentId())
        .orElseThrow(() -> new UnknownAgentException(run.agentId(), "no agent '" + run.agentId() + "'"));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode children = out.putArray("children");
    int live = 0;
    for (AgentTree child : tree.children()) {
      ObjectNode node = agentNode(child.agent());
      node.put("descendants", child.size() - 1);
      children.add(node);
      live += child.agent().isLive() ? 1 : 0;
    }
    out.put("live", live).put("total", tree.children().size());
    return out;
  }

  private ObjectNode retire(Run run, JsonNode args) {
    String target = text(args, "agentId", true, 128);
    if (!hierarchy.isDescendant(run.tenant(), target, run.agentId())) {
      throw refused(403, "agent '" + target + "' is not one of your descendants");
    }
    List<Agent> retired = hierarchy.retire(run.tenant(), target);
    ObjectNode out = JSON.createObjectNode().put("agentId", target);
    ArrayNode ids = out.putArray("retired");
    retired.forEach(a -> ids.add(a.id()));
    return out;
  }

  private ObjectNode handoff(Run run, AgentDefinition d, JsonNode args, String key) {
    String type = text(args, "toAgentType", true, MAX_NAME);
    if (!d.handoffTargets().contains(type)) {
      throw refused(403, d.type() + " may not hand off to " + type + " (allowed: " + d.handoffTargets() + ")");
    }
    Handoff h = handoffs.handoff(new HandoffCommand(run.tenant(), run.agentId(), type,
        text(args, "task", true, settings.maxInputChars()), text(args, "context", false, settings.maxInputChars()),
        key, run.traceId()));
    ObjectNode out = JSON.createObjectNode().put("handoffId", h.id()).put("targetAgentId", h.toAgentId())
        .put("toAgentType", h.toAgentType()).put("runId", h.runId())
        .put("status", h.status() == null ? null : h.status().name()).put("result", h.result());
    if (h.error() != null) {
      out.put("error", h.error());
    }
    return out;
  }

  private ObjectNode updateHealth(Run run, JsonNode args, String key) {
    String component = text(args, "component", true, 128);
    String statusText = text(args, "status", true, 16);
    ComponentHealth.Status status;
    try {
      status = ComponentHealth.Status.valueOf(statusText.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw refused(400, "status must be UP, DEGRADED or DOWN");
    }
    String detail = text(args, "detail", false, 2000);
    Map<String, Double> metrics = new LinkedHashMap<>();
    JsonNode m = args.path("metrics");
    if (m.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = m.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (metrics.size() >= MAX_METRICS || !e.getValue().isNumber() || e.getKey().length() > MAX_NAME) {
          throw refused(400, "metrics must map at most " + MAX_METRICS + " short names to numbers");
        }
        metrics.put(e.getKey(), e.getValue().asDouble());
      }
    }
    ComponentHealth h = new ComponentHealth(component, null, status, detail, metrics, clock.instant());
    List<String> recorded = recordHealth(facts, run.tenant(), h, settings.healthFactTtl(), key);
    health.status(run.tenant(), h, run.agentId());
    ObjectNode out = JSON.createObjectNode().put("component", component).put("status", status.name());
    ArrayNode attrs = out.putArray("recorded");
    recorded.forEach(attrs::add);
    return out;
  }

  /** Writes a component's status, detail and metrics as facts; returns the attributes written. */
  static List<String> recordHealth(FactsPort facts, String tenant, ComponentHealth h, Duration ttl, String key) {
    Long ttlSeconds = ttl == null || ttl.isZero() ? null : ttl.toSeconds();
    List<String> attributes = new ArrayList<>();
    facts.record(tenant, h.component(), "health_status", JSON.getNodeFactory().textNode(h.status().name()),
        ttlSeconds, key + "/health_status");
    attributes.add("health_status");
    if (h.detail() != null) {
      facts.record(tenant, h.component(), "health_detail", JSON.getNodeFactory().textNode(h.detail()), ttlSeconds,
          key + "/health_detail");
      attributes.add("health_detail");
    }
    facts.record(tenant, h.component(), "health_checked_at",
        JSON.getNodeFactory().textNode(h.checkedAt().toString()), ttlSeconds, key + "/health_checked_at");
    attributes.add("health_checked_at");
    for (Map.Entry<String, Double> metric : h.metrics().entrySet()) {
      String attribute = "metric_" + metric.getKey();
      facts.record(tenant, h.component(), attribute, JSON.getNodeFactory().numberNode(metric.getValue()), ttlSeconds,
          key + "/" + attribute);
      attributes.add(attribute);
    }
    return attributes;
  }

  private ChildRuns runs() {
    ChildRuns bound = childRuns;
    if (bound == null) {
      throw new IllegalStateException("orchestration tools are not bound to a run service");
    }
    return bound;
  }

  private static void requireSpawner(AgentDefinition d, String tool) {
    if (!d.canSpawn()) {
      throw refused(403, d.type() + " may not call " + tool + ": it has no child types");
    }
  }

  private static List<String> scope(JsonNode tools) {
    if (tools.isMissingNode() || tools.isNull()) {
      return List.of();
    }
    if (!tools.isArray() || tools.size() > MAX_SCOPE) {
      throw refused(400, "tools must be an array of at most " + MAX_SCOPE + " tool names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode t : tools) {
      if (!t.isTextual() || t.asText().isBlank() || t.asText().length() > MAX_NAME) {
        throw refused(400, "tools must hold tool names of 1 to " + MAX_NAME + " characters");
      }
      names.add(t.asText());
    }
    return names;
  }

  /** tool-service's registrations spell arguments in snake_case; both spellings are accepted. */
  private static final Map<String, String> ALIASES = Map.of("type", "agent_type", "agentType", "agent_type",
      "toAgentType", "to_agent_type", "agentId", "agent_id", "input", "task");

  private static JsonNode field(JsonNode node, String field) {
    JsonNode value = node.path(field);
    String alias = ALIASES.get(field);
    return (value.isMissingNode() || value.isNull()) && alias != null ? node.path(alias) : value;
  }

  private static String text(JsonNode node, String field, boolean required, int maxChars) {
    JsonNode value = field(node, field);
    if (value.isObject() && "context".equals(field)) {
      value = JSON.getNodeFactory().textNode(value.toString()); // a JSON object of facts, handed over as text
    }
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        throw refused(400, field + " is required");
      }
      return null;
    }
    if (!value.isTextual() || (required && value.asText().isBlank()) || value.asText().length() > maxChars) {
      throw refused(400, field + " must be a string of at most " + maxChars + " characters");
    }
    return value.asText();
  }

  private static ObjectNode agentNode(Agent a) {
    ObjectNode node = JSON.createObjectNode().put("agentId", a.id()).put("type", a.type())
        .put("level", a.level().name().toLowerCase()).put("status", a.status().name());
    if (!a.toolScope().isEmpty()) {
      ArrayNode tools = node.putArray("tools");
      a.toolScope().forEach(tools::add);
    }
    return node;
  }

  private static ObjectNode runNode(Run r) {
    ObjectNode node = JSON.createObjectNode().put("runId", r.id()).put("status", r.status().name());
    if (r.result() != null) {
      node.put("result", r.result());
    }
    if (r.error() != null) {
      node.put("error", r.error());
    }
    return node;
  }

  private static ObjectNode object() {
    ObjectNode schema = JSON.createObjectNode().put("type", "object");
    schema.putObject("properties");
    return schema;
  }

  private static ToolSpec spawnSpec(AgentDefinition d) {
    ObjectNode p = object();
    ObjectNode props = p.with("properties");
    ArrayNode types = props.putObject("type").put("type", "string").putArray("enum");
    d.allowedChildTypes().forEach(types::add);
    props.putObject("task").put("type", "string").put("description", "optional: a task the child runs at once");
    props.putObject("tools").put("type", "array").put("maxItems", MAX_SCOPE)
        .put("description", "optional: the only tools the child may use (the narrowest that do the job)")
        .putObject("items").put("type", "string");
    p.putArray("required").add("type");
    return new ToolSpec(SPAWN, "Spawn a child agent under you (optionally run a task on it at once).", p);
  }

  private ToolSpec coordinateSpec(AgentDefinition d) {
    ObjectNode p = object();
    ObjectNode items = p.with("properties").putObject("tasks").put("type", "array").put("minItems", 1)
        .put("maxItems", settings.maxCoordinateTasks()).putObject("items").put("type", "object");
    ObjectNode props = items.putObject("properties");
    ArrayNode types = props.putObject("agentType").put("type", "string").putArray("enum");
    d.allowedChildTypes().forEach(types::add);
    props.putObject("agentId").put("type", "string").put("description", "an existing descendant instead of a new child");
    props.putObject("input").put("type", "string");
    props.putObject("tools").put("type", "array").putObject("items").put("type", "string");
    items.putArray("required").add("input");
    p.putArray("required").add("tasks");
    return new ToolSpec(COORDINATE,
        "Run tasks on child agents in parallel (new children by agentType, or existing descendants by agentId) "
            + "and gather their results in order.", p);
  }

  static DownstreamException refused(int status, String message) {
    return new DownstreamException(SERVICE, status, message, null);
  }

  /** Reads the agents a local tool step spawned, from its recorded output. */
  static List<String> spawnedBy(String outputJson) {
    if (outputJson == null) {
      return List.of();
    }
    try {
      JsonNode ids = JSON.readTree(outputJson).path("spawnedAgentIds");
      List<String> out = new ArrayList<>();
      ids.forEach(id -> out.add(id.asText()));
      return out;
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
