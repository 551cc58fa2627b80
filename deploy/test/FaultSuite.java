import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

/**
 * The fault suite's driver (deploy/test/fault-suite.sh starts the private stack and runs it as a single-file
 * program with the MongoDB and Kafka launchers' jars on the class path). Each phase puts runs in flight through
 * the public gateway (or tasks on Kafka), injects ONE fault through deploy/devloop — a server stopped, a service
 * killed — restores it, and counts from the stores themselves: runs completed, failed, tripped or lost, tool
 * calls executed twice, HTTP 500s seen while the fault lasted, and how long after the restore the last run
 * ended. Prints one table row per phase and writes the table to the file given as the last argument.
 *
 * <pre>FaultSuite &lt;gateway-url&gt; &lt;mongo-uri&gt; &lt;kafka-bootstrap&gt; &lt;deploy/devloop&gt; &lt;results.md&gt; [phase...]</pre>
 */
public final class FaultSuite {
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final List<String> TERMINAL = List.of("COMPLETED", "FAILED", "CANCELLED", "TRIPPED");
  private static final int RUNS_PER_PHASE = Integer.getInteger("fault.runs", 8);
  private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("fault.settleSeconds", 150));
  /**
   * What runs when no phase is named. tool-stop, provider-stop, mongo-kafka (~1–1.5 min each) and mongo-long (~1.7 min)
   * run only when named: with them the default run would take well over 8 minutes.
   */
  private static final List<String> DEFAULT_PHASES = List.of("none", "mongo", "neo4j", "redis", "kafka", "agent-kill",
      "knowledge-stop", "health-repair");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String gateway;
  private final String devloop;
  private final MongoClient mongo;
  private final String bootstrap;

  private FaultSuite(String gateway, String mongoUri, String bootstrap, String devloop) {
    this.gateway = gateway;
    this.devloop = devloop;
    this.bootstrap = bootstrap;
    this.mongo = MongoClients.create(mongoUri);
  }

  /** What one phase measured. */
  record Outcome(String phase, String fault, int runs, Map<String, Integer> statuses, int lost, int duplicated,
      int http500, int http503, long recoveryMs, String notReady, String note) {
    boolean clean() {
      return lost == 0 && duplicated == 0 && http500 == 0 && statuses.getOrDefault("TRIPPED", 0) == 0
          && statuses.getOrDefault("FAILED", 0) == 0;
    }

    String row() {
      return "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |".formatted(phase, fault, runs,
          statuses.getOrDefault("COMPLETED", 0), statuses.getOrDefault("FAILED", 0),
          statuses.getOrDefault("TRIPPED", 0), lost, duplicated, http500,
          recoveryMs < 0 ? "—" : String.format("%.1f s", recoveryMs / 1000.0), notReady, note);
    }
  }

  /** A fault: how to inject it and how to take it back. */
  record Fault(String name, String description, List<String> inject, List<String> restore, Duration hold) {}

  public static void main(String[] args) throws Exception {
    FaultSuite suite = new FaultSuite(args[0], args[1], args[2], args[3]);
    Path results = Path.of(args[4]);
    List<String> only = List.of(args).subList(5, args.length);
    Map<String, Fault> faults = new LinkedHashMap<>();
    faults.put("none", new Fault("none", "no fault (baseline)", List.of(), List.of(), Duration.ofSeconds(2)));
    faults.put("mongo", server("mongo", 15));
    faults.put("neo4j", server("neo4j", 20));
    faults.put("redis", server("redis", 15));
    faults.put("kafka", server("kafka", 20));
    faults.put("agent-kill", new Fault("agent-kill", "kill -9 agent-service, restarted",
        List.of("kill9", "agent-service"), List.of("restart", "agent-service"), Duration.ofSeconds(2)));
    faults.put("knowledge-stop", new Fault("knowledge-stop", "knowledge-service stopped 15 s",
        List.of("stop-service", "knowledge-service"), List.of("restart", "knowledge-service"), Duration.ofSeconds(15)));
    // a sibling the runs call stopped with runs in flight: tool-service (their store_fact call), provider-gateway
    // (their model calls) — each run waits it out and goes on in the process that holds it
    faults.put("tool-stop", new Fault("tool-stop", "tool-service stopped 20 s",
        List.of("stop-service", "tool-service"), List.of("restart", "tool-service"), Duration.ofSeconds(20)));
    faults.put("provider-stop", new Fault("provider-stop", "provider-gateway stopped 20 s",
        List.of("stop-service", "provider-gateway"), List.of("restart", "provider-gateway"), Duration.ofSeconds(20)));
    // two faults at once
    faults.put("mongo-kafka", new Fault("mongo-kafka", "MongoDB and Kafka stopped together 15 s",
        List.of("servers", "down", "mongo", "kafka"), List.of("servers", "up", "mongo", "kafka"),
        Duration.ofSeconds(15)));
    // longer than a run's store-retry window (60 s): its runner takes it back once the store answers
    faults.put("mongo-long", new Fault("mongo-long", "MongoDB stopped 75 s (beyond the 60 s store-retry window)",
        List.of("servers", "down", "mongo"), List.of("servers", "up", "mongo"), Duration.ofSeconds(75)));
    faults.put("health-repair", new Fault("health-repair",
        "knowledge-service stopped; the System Health agent restarts it (restart_service → deploy/devloop restart)",
        List.of("stop-service", "knowledge-service"), List.of(), Duration.ZERO));

    List<Outcome> outcomes = new ArrayList<>();
    // phases run in the order given, a phase named twice runs twice (each with its own tenant and runs)
    for (String name : only.isEmpty() ? DEFAULT_PHASES : only) {
      Fault fault = faults.get(name);
      if (fault == null) {
        throw new IllegalArgumentException("unknown phase " + name + "; phases: " + faults.keySet());
      }
      Instant began = Instant.now();
      Outcome outcome = switch (fault.name()) {
        case "kafka" -> suite.kafkaPhase(fault);
        case "health-repair" -> suite.healthRepairPhase(fault);
        default -> suite.httpPhase(fault);
      };
      System.out.println(outcome.row());
      System.out.printf("phase %s took %d s%n", name, Duration.between(began, Instant.now()).toSeconds());
      outcomes.add(outcome);
    }
    StringBuilder table = new StringBuilder("""
        | phase | fault | runs | completed | failed | tripped | lost | duplicated tool calls | HTTP 500 during fault | last run ended after restore | not ready during fault (probes) | note |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        """);
    outcomes.forEach(o -> table.append(o.row()).append('\n'));
    Files.writeString(results, table.toString());
    System.out.println();
    System.out.print(table);
    long bad = outcomes.stream().filter(o -> !o.clean()).count();
    System.out.printf("fault suite: %d phase(s), %d clean, %d with losses, failures, trips, duplicates or 500s%n",
        outcomes.size(), outcomes.size() - bad, bad);
    suite.mongo.close();
    System.exit(bad == 0 ? 0 : 1);
  }

  private static Fault server(String name, int seconds) {
    return new Fault(name, name + " stopped " + seconds + " s", List.of("servers", "down", name),
        List.of("servers", "up", name), Duration.ofSeconds(seconds));
  }

  /** Runs started through the gateway, a fault while they are in flight, then counted. */
  private Outcome httpPhase(Fault fault) throws Exception {
    String tenant = "fault-" + fault.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
    String token = token(tenant);
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < RUNS_PER_PHASE; i++) {
      String input = "Remember fact " + fault.name() + "-" + i;
      HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/agents/assistant/runs"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .header("Idempotency-Key", tenant + "-" + i)
          .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"" + input + "\"}")).build());
      Matcher id = ID.matcher(created.body());
      if (created.statusCode() / 100 != 2 || !id.find()) {
        throw new IllegalStateException(fault.name() + ": run start answered " + created.statusCode() + " " + created.body());
      }
      runIds.add(id.group(1));
    }
    Thread.sleep(1000);
    int[] codes = inject(fault, () -> probe(runIds, token));
    Instant restored = Instant.now();
    Map<String, String> ends = awaitEnds(runIds, token, restored);
    long resume = fault.inject().isEmpty() ? -1 : slowestResume(runIds, token, restored);
    // a restarted service is reachable before its restart command sees it ready: runs may go on before it returned
    long early = fault.inject().isEmpty() || resume >= 0 ? -1 : slowestResume(runIds, token, restoring);
    String resumed = resume >= 0
        ? "slowest resume %.1f s after the restore (held %.1f s, restore took %.1f s)".formatted(
            resume / 1000.0, heldMs / 1000.0, restoreMs / 1000.0)
        : early >= 0
            ? "every run went on before the restore command returned: slowest %.1f s after it began (held %.1f s, restore took %.1f s)"
                .formatted(early / 1000.0, heldMs / 1000.0, restoreMs / 1000.0)
            : "";
    Outcome counted = count(fault, tenant, runIds.size(), ends, codes, restored,
        (resumed.isEmpty() ? "" : resumed + "; ") + howResumed(runIds, token));
    // the first start, retried with its key after the fault: the same run, never a second one
    HttpResponse<String> replay = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/agents/assistant/runs"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Idempotency-Key", tenant + "-0")
        .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"Remember fact " + fault.name() + "-0\"}")).build());
    Matcher replayed = ID.matcher(replay.body());
    boolean same = replay.statusCode() / 100 == 2 && replayed.find() && replayed.group(1).equals(runIds.get(0));
    return same ? counted : new Outcome(counted.phase(), counted.fault(), counted.runs(), counted.statuses(),
        counted.lost(), counted.duplicated() + 1, counted.http500(), counted.http503(), counted.recoveryMs(),
        counted.notReady(), counted.note() + "; a retried start with its Idempotency-Key made a new run (" + replay.statusCode() + ")");
  }

  /** Tasks fed through Kafka: half before the broker stops, half while it is down (the producer buffers). */
  private Outcome kafkaPhase(Fault fault) throws Exception {
    String tenant = "fault-kafka-" + UUID.randomUUID().toString().substring(0, 8);
    // agent-service takes a task only with a producer grant for its tenant, which an admin gets from the gateway
    HttpResponse<String> granted = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/event-grants"))
        .header("Authorization", "Bearer " + token(tenant, "admin")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\":3600}")).build());
    Matcher grantValue = Pattern.compile("\"grant\"\\s*:\\s*\"([^\"]+)\"").matcher(granted.body());
    if (granted.statusCode() != 201 || !grantValue.find()) {
      throw new IllegalStateException("kafka: event grant answered " + granted.statusCode() + " " + granted.body());
    }
    String grant = grantValue.group(1);
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("delivery.timeout.ms", "120000");
    p.put("max.block.ms", "120000");
    List<String> taskIds = new ArrayList<>();
    List<Future<?>> sends = new ArrayList<>();
    int half = RUNS_PER_PHASE;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < half; i++) {
        taskIds.add(UUID.randomUUID().toString());
        sends.add(producer.send(granted(tenant, grant, task(taskIds.get(i), tenant, i))));
      }
      producer.flush();
      Thread.sleep(1000);
      for (int i = half; i < 2 * half; i++) {
        taskIds.add(UUID.randomUUID().toString());
      }
      // the second half is produced while the broker is away: send() waits for metadata, so off this thread
      Thread lateProducer = new Thread(() -> {
        for (int i = half; i < 2 * half; i++) {
          Future<?> sent = producer.send(granted(tenant, grant, task(taskIds.get(i), tenant, i)));
          synchronized (sends) {
            sends.add(sent);
          }
        }
      }, "late-producer");
      int[] codes = inject(fault, () -> {
        if (!lateProducer.isAlive() && lateProducer.getState() == Thread.State.NEW) {
          lateProducer.start();
        }
        return new int[3];
      });
      Instant restored = Instant.now();
      lateProducer.join(Duration.ofSeconds(120).toMillis());
      for (Future<?> send : List.copyOf(sends)) {
        send.get(); // every task accepted by the broker once it is back
      }
      MongoCollection<Document> runs = mongo.getDatabase("devloop_agents").getCollection("runs");
      Map<String, String> ends = new HashMap<>();
      Instant deadline = restored.plus(SETTLE);
      long lastEnd = -1;
      while (Instant.now().isBefore(deadline)) {
        ends.clear();
        for (Document run : runs.find(Filters.eq("tenant", tenant))) {
          ends.put(run.getString("_id"), run.getString("status"));
        }
        long done = ends.values().stream().filter(TERMINAL::contains).count();
        if (ends.size() >= taskIds.size() && done == ends.size()) {
          lastEnd = Duration.between(restored, Instant.now()).toMillis();
          break;
        }
        Thread.sleep(500);
      }
      Map<String, Integer> perTask = new HashMap<>();
      for (Document run : runs.find(Filters.eq("tenant", tenant))) {
        perTask.merge(String.valueOf(run.get("taskId")), 1, Integer::sum);
      }
      int missingRuns = (int) taskIds.stream().filter(t -> !perTask.containsKey(t)).count();
      int duplicateRuns = perTask.values().stream().mapToInt(n -> n - 1).sum();
      Outcome o = count(fault, tenant, taskIds.size(), ends, codes, restored,
          missingRuns + " task(s) without a run, " + duplicateRuns + " task(s) run twice");
      return new Outcome(o.phase(), o.fault(), o.runs(), o.statuses(), o.lost() + missingRuns,
          o.duplicated() + duplicateRuns, o.http500(), o.http503(), lastEnd, o.notReady(), o.note());
    }
  }

  private static ProducerRecord<String, String> granted(String tenant, String grant, String value) {
    ProducerRecord<String, String> record = new ProducerRecord<>("devloop.agent.tasks", tenant, value);
    record.headers().add("devloop-grant", grant.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return record;
  }

  private static String task(String id, String tenant, int i) {
    return """
        {"specversion":"1.0","id":"%s","source":"urn:devloop:fault-suite","type":"dev.devloop.agent.task",\
        "time":"%s","tenant":"%s","datacontenttype":"application/json",\
        "data":{"agentType":"assistant","input":"Remember fact kafka-%d"}}""".formatted(id, Instant.now(), tenant, i);
  }

  /**
   * A real fault repaired by the System Health agent (scripted model, deploy/test/openai-stub.mjs): the service is
   * stopped, a system_health run spawns a repair micro agent, whose restart_service call makes tool-service run
   * deploy/devloop restart. Judged by the state afterwards, not by the agent's words: the service answers ready
   * again from a new process, and the restart ran exactly once (tool-service's audit).
   */
  private Outcome healthRepairPhase(Fault fault) throws Exception {
    String tenant = System.getenv().getOrDefault("FAULT_OPERATOR_TENANT", "fault-health-ops");
    String token = token(tenant);
    String service = fault.inject().get(1);
    Path pidFile = Path.of(System.getenv("DEVLOOP_STATE_DIR"), "services", service + ".pid");
    String before = Files.readString(pidFile).strip();
    run(fault.inject());
    notReady.clear();
    readinessProbes = 0;
    probeReadiness();
    boolean down = notReady.containsKey(service);
    Instant started = Instant.now();
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/agents/system_health/runs"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Idempotency-Key", tenant + "-" + UUID.randomUUID())
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"input\":\"[health-restart] " + service + " does not answer its health checks\"}")).build());
    Matcher id = ID.matcher(created.body());
    if (created.statusCode() / 100 != 2 || !id.find()) {
      throw new IllegalStateException(fault.name() + ": run start answered " + created.statusCode() + " " + created.body());
    }
    Map<String, String> ends = awaitEnds(List.of(id.group(1)), token, started);
    String port = System.getenv("DEVLOOP_KNOWLEDGE_SERVICE_PORT");
    Instant readyBy = Instant.now().plus(Duration.ofSeconds(120));
    int ready = 0;
    while (Instant.now().isBefore(readyBy)) {
      try {
        ready = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(3)).GET().build()).statusCode();
      } catch (Exception e) {
        ready = 0;
      }
      if (ready == 200) {
        break;
      }
      Thread.sleep(500);
    }
    long recovered = Duration.between(started, Instant.now()).toMillis();
    String after = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "none";
    long restarts = mongo.getDatabase("devloop_tools").getCollection("audit").countDocuments(Filters.and(
        Filters.eq("tenant", tenant), Filters.eq("toolId", "restart_service"), Filters.eq("outcome", "SUCCEEDED"),
        Filters.eq("replayed", false), Filters.gte("at", java.util.Date.from(started))));
    Map<String, Integer> statuses = new TreeMap<>();
    ends.values().forEach(s -> statuses.merge(s, 1, Integer::sum));
    boolean repaired = down && ready == 200 && !after.equals(before) && restarts == 1;
    if (!repaired) {
      // the repair did not happen as the state shows it: counted as a failed run whatever the run said
      statuses.merge("FAILED", 1, Integer::sum);
    }
    String note = "stopped: %s; restart_service ran %d×; %s ready again: %s (pid %s → %s)".formatted(
        down ? "yes" : "NO", restarts, service, ready == 200 ? "yes" : "NO (" + ready + ")", before, after);
    return new Outcome(fault.name(), fault.description(), 1, statuses, 1 - ends.size(), (int) Math.max(0, restarts - 1),
        0, 0, recovered, notReady(), note);
  }

  /**
   * How long the slowest run took to go again after the restore: per run, the end of its first step that ended after
   * the restore (its first progress persisted), minus the restore; runs that made no step after it are left out.
   * -1 when no run had one.
   */
  private long slowestResume(List<String> runIds, String token, Instant restored) {
    long worst = -1;
    for (String id : runIds) {
      try {
        HttpResponse<String> r = send(get("/api/v1/runs/" + id, token));
        if (r.statusCode() != 200) {
          continue;
        }
        long first = Long.MAX_VALUE;
        for (Document step : Document.parse(r.body()).getList("steps", Document.class, List.of())) {
          Object at = step.get("startedAt");
          if (at == null) {
            continue;
          }
          Object took = step.get("durationMs");
          Instant end = Instant.parse(at.toString()).plusMillis(took instanceof Number n ? n.longValue() : 0);
          if (end.isAfter(restored)) {
            first = Math.min(first, Duration.between(restored, end).toMillis());
          }
        }
        if (first != Long.MAX_VALUE) {
          worst = Math.max(worst, first);
        }
      } catch (Exception e) {
        // unreadable now: the run is counted by awaitEnds, not here
      }
    }
    return worst;
  }

  /**
   * How the runs went on, from the runs themselves: taken over by recovery (pausedMs, the dead time of a lapsed
   * lease) or by their own runner, and how long they waited for a sibling service that was away (outageWaitMs).
   */
  private String howResumed(List<String> runIds, String token) {
    int takenOver = 0;
    int waited = 0;
    long longestWait = 0;
    for (String id : runIds) {
      try {
        HttpResponse<String> r = send(get("/api/v1/runs/" + id, token));
        if (r.statusCode() != 200) {
          continue;
        }
        Document run = Document.parse(r.body());
        if (run.get("pausedMs") instanceof Number) {
          takenOver++;
        }
        if (run.get("outageWaitMs") instanceof Number n) {
          waited++;
          longestWait = Math.max(longestWait, n.longValue());
        }
      } catch (Exception e) {
        // unreadable now: counted by awaitEnds
      }
    }
    String out = "%d taken over by recovery".formatted(takenOver);
    return waited == 0 ? out : out + "; %d waited for a sibling (longest %.1f s, not charged)".formatted(
        waited, longestWait / 1000.0);
  }

  interface Probe {
    int[] once() throws Exception;
  }

  /** How long the last fault was held (inject returned → restore began) and how long its restore command took. */
  private long heldMs;
  private long restoreMs;
  private Instant restoring = Instant.now();

  /**
   * Injects the fault, probes about once a second while it holds, restores it; returns the probes' 500s and 503s.
   * The probes run beside the hold, each round's requests in parallel, so slow answers during the fault (a store's
   * server-selection timeout per request) never stretch the fault beyond its stated hold; a round begun during the
   * hold may end after the restore began.
   */
  private int[] inject(Fault fault, Probe probe) throws Exception {
    int[] codes = new int[3];
    if (!fault.inject().isEmpty()) {
      run(fault.inject());
    }
    Instant injected = Instant.now();
    notReady.clear();
    readinessProbes = 0;
    AtomicBoolean holding = new AtomicBoolean(true);
    Thread prober = new Thread(() -> {
      while (holding.get()) {
        Instant round = Instant.now();
        try {
          probeReadiness();
          int[] seen = probe.once();
          synchronized (codes) {
            codes[0] += seen[0];
            codes[1] += seen[1];
          }
          long rest = 1000 - Duration.between(round, Instant.now()).toMillis();
          if (rest > 0) {
            Thread.sleep(rest);
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // a failed round counts nothing; the next one asks again
        }
      }
    }, "fault-prober");
    prober.start();
    Thread.sleep(fault.hold().toMillis());
    holding.set(false);
    heldMs = Duration.between(injected, Instant.now()).toMillis();
    restoring = Instant.now();
    if (!fault.restore().isEmpty()) {
      run(fault.restore());
    }
    restoreMs = Duration.between(restoring, Instant.now()).toMillis();
    prober.join();
    synchronized (codes) {
      return codes.clone();
    }
  }

  private static final List<String> SERVICES =
      List.of("api-gateway", "agent-service", "knowledge-service", "tool-service", "provider-gateway");
  private final Map<String, Integer> notReady = new TreeMap<>();
  private int readinessProbes;

  /** Each service's /q/health/ready once, in parallel; counts the answers that are not 200 (the faulted service too). */
  private void probeReadiness() {
    Map<String, CompletableFuture<HttpResponse<String>>> answers = new LinkedHashMap<>();
    for (String service : SERVICES) {
      String port = System.getenv(switch (service) {
        case "api-gateway" -> "DEVLOOP_GATEWAY_PORT";
        case "agent-service" -> "DEVLOOP_AGENT_SERVICE_PORT";
        case "knowledge-service" -> "DEVLOOP_KNOWLEDGE_SERVICE_PORT";
        case "tool-service" -> "DEVLOOP_TOOL_SERVICE_PORT";
        default -> "DEVLOOP_PROVIDER_GATEWAY_PORT";
      });
      answers.put(service, http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
    synchronized (notReady) {
      readinessProbes++;
      answers.forEach((service, answer) -> {
        int code;
        try {
          code = answer.join().statusCode();
        } catch (Exception e) {
          code = 0;
        }
        if (code != 200) {
          notReady.merge(service, 1, Integer::sum);
        }
      });
    }
  }

  private String notReady() {
    if (notReady.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    notReady.forEach((service, n) -> parts.add(service + " " + n + "/" + readinessProbes));
    return String.join(", ", parts);
  }

  /** One GET of every run through the gateway, all at once: counts answers 500 and 503. */
  private int[] probe(List<String> runIds, String token) {
    int[] codes = new int[3];
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (String id : runIds) {
      answers.add(http.sendAsync(get("/api/v1/runs/" + id, token), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      try {
        int code = answer.join().statusCode();
        if (code >= 500 && code != 503 && code != 504) {
          codes[0]++;
        } else if (code == 503) {
          codes[1]++;
        }
      } catch (Exception e) {
        codes[2]++; // the gateway itself unreachable: not an answer
      }
    }
    return codes;
  }

  private Map<String, String> awaitEnds(List<String> runIds, String token, Instant restored) throws Exception {
    Map<String, String> ends = new HashMap<>();
    Instant deadline = restored.plus(SETTLE);
    while (Instant.now().isBefore(deadline) && ends.size() < runIds.size()) {
      for (String id : runIds) {
        if (ends.containsKey(id)) {
          continue;
        }
        try {
          HttpResponse<String> r = send(get("/api/v1/runs/" + id, token));
          Matcher m = STATUS.matcher(r.body());
          if (r.statusCode() == 200 && m.find() && TERMINAL.contains(m.group(1))) {
            ends.put(id, m.group(1));
          }
        } catch (Exception e) {
          // the gateway or a sibling still coming back: ask again
        }
      }
      Thread.sleep(500);
    }
    return ends;
  }

  private Outcome count(Fault fault, String tenant, int runs, Map<String, String> ends, int[] codes, Instant restored,
      String note) {
    Map<String, Integer> statuses = new TreeMap<>();
    ends.values().forEach(s -> statuses.merge(s, 1, Integer::sum));
    long recovery = fault.inject().isEmpty() ? -1 : Duration.between(restored, Instant.now()).toMillis();
    // a tool call that really ran twice: two non-replayed successful audit records for one idempotency key
    MongoCollection<Document> audit = mongo.getDatabase("devloop_tools").getCollection("audit");
    Map<String, Integer> executions = new HashMap<>();
    for (Document e : audit.find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("outcome", "SUCCEEDED"),
        Filters.eq("replayed", false)))) {
      executions.merge(e.getString("runId") + "/" + e.getString("idempotencyKey"), 1, Integer::sum);
    }
    int duplicated = executions.values().stream().mapToInt(n -> n - 1).sum();
    int lost = runs - ends.size();
    String why = lost > 0 ? "lost after " + SETTLE.toSeconds() + " s" : "";
    return new Outcome(fault.name(), fault.description(), runs, statuses, lost, duplicated, codes[0], codes[1],
        recovery, notReady(), String.join("; ", List.of(note, why, codes[1] + " × 503 during fault").stream()
            .filter(s -> !s.isBlank()).toList()));
  }

  private HttpRequest get(String path, String token) {
    return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).GET().build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String token(String tenant) throws Exception {
    return token(tenant, "operator");
  }

  private String token(String tenant, String roles) throws Exception {
    Process p = new ProcessBuilder(devloop, "token", "--tenant", tenant, "--roles", roles)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException("deploy/devloop token failed");
    }
    return out;
  }

  /** deploy/devloop servers down|up NAME, restart SERVICE, or a kill of a service by its pid file. */
  private void run(List<String> action) throws Exception {
    List<String> command = new ArrayList<>();
    switch (action.get(0)) {
      case "kill9", "stop-service" -> {
        String signal = action.get(0).equals("kill9") ? "-9" : "-TERM";
        Path pidFile = Path.of(System.getenv("DEVLOOP_STATE_DIR"), "services", action.get(1) + ".pid");
        command.addAll(List.of("kill", signal, Files.readString(pidFile).strip()));
      }
      default -> {
        command.add(devloop);
        command.addAll(action);
      }
    }
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue());
    }
    if (action.get(0).equals("stop-service")) {
      Path pidFile = Path.of(System.getenv("DEVLOOP_STATE_DIR"), "services", action.get(1) + ".pid");
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().join()); // stopped for the whole hold, not while stopping
    }
  }
}
