#!/usr/bin/env bash
# Kafka with SASL/SCRAM and the chart's ACLs, end to end (issue #17): the five services on private servers and ports
# (deploy/test/stack.sh) with DEVLOOP_KAFKA_SASL=1 — a broker that authenticates every client (SCRAM-SHA-512 on
# SASL_PLAINTEXT) and authorizes with StandardAuthorizer (no ACL = no access), whose users and ACLs come from the
# chart's own ACL Job script rendered from k8s/devloop/ci/kafka-sasl-values.yaml (deploy/lib/kafka-sasl.sh), each
# service with exactly the SASL env the chart renders for its pod and its own generated password — then:
#   - the stack becomes ready and no service log holds an authentication or authorization error;
#   - a run through the gateway completes and its dev.devloop.agent.run.finished (agent-service -> results topic ->
#     api-gateway) reaches the gateway's live events stream;
#   - a task sent by the values' external producer (User:ci-bot) with a producer grant is consumed and runs;
#   - denials, with a small Kafka client as the pods' principals: tool-service writing devloop.agent.results,
#     provider-gateway reading devloop.agent.tasks, a wrong password, no credentials at all.
# Usage: deploy/test/kafka-sasl-stack.sh   (services built first; KEEP_STACK=1 leaves everything running)
set -euo pipefail
export DEVLOOP_STATE_DIR="${DEVLOOP_STATE_DIR:-${TMPDIR:-/tmp}/devloop-kafka-sasl}"
export DEVLOOP_KAFKA_SASL=1
# shellcheck source=deploy/test/stack.sh
source "$(dirname "$0")/stack.sh"
# the helpers `servers up` uses (rendered chart, passwords, the mapped kafka-*.sh)
DEPLOY_DIR="$ROOT/deploy"
STATE_DIR=$DEVLOOP_STATE_DIR
# shellcheck source=deploy/lib/common.sh
source "$DEPLOY_DIR/lib/common.sh"
# shellcheck source=deploy/lib/chart.sh
source "$DEPLOY_DIR/lib/chart.sh"
# shellcheck source=deploy/lib/servers.sh
source "$DEPLOY_DIR/lib/servers.sh"
# the helm the Maven run's chart check fetched, when there is one (else chart.sh fetches its own)
if [[ -z ${DEVLOOP_HELM:-} ]]; then
  for h in "$ROOT"/.devloop/tools/helm-*/helm; do [[ -x $h ]] && export DEVLOOP_HELM=$h && break; done
fi
SERVICES=(api-gateway agent-service knowledge-service tool-service provider-gateway)
SSE_PID=
cleanup() {
  [[ -n $SSE_PID ]] && kill "$SSE_PID" 2>/dev/null || true
  stack_teardown
}
trap cleanup EXIT
# a fresh broker (users and ACLs from nothing) for every run; the passwords are made again too
"$DEVLOOP" down >/dev/null 2>&1 || true
rm -rf "$STATE/servers/kafka/data" "$STATE/servers/kafka/sasl/passwords" "$STATE/servers/kafka/sasl/acl-job"
STUB_DELAY_MS=${STUB_DELAY_MS:-20} stack_up
BOOT=127.0.0.1:$DEVLOOP_KAFKA_PORT
SASL="$STATE/servers/kafka/sasl"
body() { sed '$d' <<<"$1"; }
code() { tail -n1 <<<"$1"; }
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n1 | cut -d: -f2- | tr -d '"'; }

# ---- 1. the chart's users and ACLs, the stack up on them ----------------------------------------------------------
acl_log="$SASL/acl-job/acl-job.log"
check "the chart's ACL Job script ran against the broker" "kafka-acls: done" "$(tail -n1 "$acl_log" 2>/dev/null)"
check "it set the five services' SCRAM users (values' usernamePrefix dev-)" 5 \
  "$(grep -c '^kafka-acls: SCRAM credential of dev-' "$acl_log" 2>/dev/null)"
grep -q '^super.users=User:admin;' "$STATE/servers/kafka/config/server.properties" &&
  grep -q '^allow.everyone.if.no.acl.found=false' "$STATE/servers/kafka/config/server.properties" &&
  grep -q '^auto.create.topics.enable=false' "$STATE/servers/kafka/config/server.properties" &&
  ok "broker: SASL_PLAINTEXT + SCRAM-SHA-512, StandardAuthorizer, no ACL = denied, no auto topic creation" ||
  fail "broker config lacks the SASL/authorizer settings"
not_ready=()
for pair in api-gateway:$DEVLOOP_GATEWAY_PORT agent-service:$DEVLOOP_AGENT_SERVICE_PORT \
  knowledge-service:$DEVLOOP_KNOWLEDGE_SERVICE_PORT tool-service:$DEVLOOP_TOOL_SERVICE_PORT \
  provider-gateway:$DEVLOOP_PROVIDER_GATEWAY_PORT; do
  svc=${pair%%:*} port=${pair##*:}
  curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null || not_ready+=("$svc")
done
check "all five services ready (their Kafka clients authenticated as their own principals)" "" "${not_ready[*]}"
# the gateway's own Kafka probe (an Admin client it builds) takes the default-kafka-broker SASL settings too
deps=$(curl -sS --max-time 10 "http://127.0.0.1:$DEVLOOP_GATEWAY_PORT/q/health/group/dependencies" 2>/dev/null || true)
[[ $(tr -d ' \n' <<<"$deps") == *'"kafka":"UP'* ]] && ok "the gateway's Kafka probe authenticates (dependencies: kafka UP)" ||
  fail "the gateway's Kafka probe does not report kafka UP: $(tr -d '\n' <<<"$deps" | cut -c1-400)"
# pod_env <service> <NAME>: that variable of the running service's process
pod_env() { tr '\0' '\n' <"/proc/$(read_pid "$STATE/services/$1.pid")/environ" 2>/dev/null | sed -n "s/^$2=//p"; }
for svc in "${SERVICES[@]}"; do
  check "$svc started with the chart's SASL env (its own principal dev-$svc)" "SASL_PLAINTEXT SCRAM-SHA-512 dev-$svc" \
    "$(pod_env "$svc" KAFKA_SECURITY_PROTOCOL) $(pod_env "$svc" KAFKA_SASL_MECHANISM) $(pod_env "$svc" KAFKA_SASL_JAAS_CONFIG |
      sed -n 's/.*username="\([^"]*\)".*/\1/p')"
done

# ---- 2. a run: produce and consume across principals -----------------------------------------------------------
TENANT=sasl-$RANDOM
TOKEN=$("$DEVLOOP" token --tenant "$TENANT" --roles operator,admin)
curl -sS -N --max-time 240 -H "Authorization: Bearer $TOKEN" "$GW/api/v1/events?channels=results" \
  >"$STATE/events.sse" 2>/dev/null &
SSE_PID=$!
sleep 3
r=$(gw POST '/api/v1/agents/assistant/runs?wait=true' "$TOKEN" -H 'Content-Type: application/json' \
  -d '{"input":"Remember fact sasl-1"}')
check "a run through the gateway completes" "200 COMPLETED" "$(code "$r") $(field status "$(body "$r")")"
RUN_ID=$(field id "$(body "$r")")
if [[ $(field status "$(body "$r")") != COMPLETED ]]; then
  # it failed once in a CI-like run (2 of 26) and passed alone: what the next occurrence needs to be explained
  say "the run's answer: $(body "$r" | tr -d '\n' | cut -c1-600)"
  pid_alive "$STUB_PID" && say "the OpenAI stub (pid $STUB_PID) is alive" || say "the OpenAI stub (pid $STUB_PID) is GONE"
  say "the stub's log: $(tail -n 5 "$STATE/stub.log" 2>/dev/null | tr '\n' ' ')"
  for svc in provider-gateway agent-service; do
    say "$svc's last errors: $(grep -E 'ERROR|WARN' "$STATE/services/$svc.log" 2>/dev/null | tail -n 5 | cut -c1-400)"
  done
fi
# sse_has <file> <event type> <text>: one SSE event of that type whose data holds the text
sse_has() { awk -v RS= -v t="$2" -v x="$3" 'index($0, t) && index($0, x) { f = 1 } END { exit !f }' "$1"; }
seen=0
for _ in $(seq 60); do
  sse_has "$STATE/events.sse" dev.devloop.agent.run.finished "$RUN_ID" && seen=1 && break
  sleep 0.5
done
check "its run.finished reached the gateway's live events (agent-service -> devloop.agent.results -> api-gateway)" 1 "$seen"
r=$(gw GET /api/v1/facts/sasl-1/status "$TOKEN")
check "its tool call wrote the fact" 200 "$(code "$r")"

# ---- 3. an external producer's task, and the denials (one JVM) ------------------------------------------------------
# the values' first externalProducers principal; its user is "yours to create" (k8s/README.md): made with the admin
EXT=$(sed -n 's/^ *externalProducers: *\[User:\([^],]*\).*/\1/p' "$ROOT/k8s/devloop/ci/kafka-sasl-values.yaml")
EXT_PASSWORD=$(openssl rand -hex 32)
"$SASL/bin/kafka-configs.sh" --bootstrap-server "$BOOT" --command-config "$SASL/admin.properties" --alter \
  --entity-type users --entity-name "$EXT" --add-config "SCRAM-SHA-512=[password=$EXT_PASSWORD]" >/dev/null 2>&1 ||
  fail "could not create the external producer's user $EXT"
mkdir -p "$STATE/clients"
chmod 700 "$STATE/clients"
kafka_sasl_client_properties "$EXT" "$EXT_PASSWORD" "$STATE/clients/$EXT.properties"
# a client as a service's pod: its own rendered env, turned into client properties
pod_client() {
  local svc=$1 line
  (
    umask 077
    while IFS= read -r line; do
      case $line in
        KAFKA_SECURITY_PROTOCOL=*) printf 'security.protocol=%s\n' "${line#*=}" ;;
        KAFKA_SASL_MECHANISM=*) printf 'sasl.mechanism=%s\n' "${line#*=}" ;;
        KAFKA_SASL_JAAS_CONFIG=*) printf 'sasl.jaas.config=%s\n' "${line#*=}" ;;
      esac
    done < <(kafka_sasl_service_env "$svc") >"$STATE/clients/$svc.properties"
  )
}
for svc in tool-service provider-gateway agent-service; do pod_client "$svc"; done
sed 's/password="[^"]*"/password="not-the-password-0000"/' "$STATE/clients/tool-service.properties" \
  >"$STATE/clients/wrong-password.properties"
: >"$STATE/clients/none.properties"

TASK_TENANT=sasl-ext-$RANDOM
ADMIN=$("$DEVLOOP" token --tenant "$TASK_TENANT" --roles operator,admin)
g=$(gw POST /api/v1/event-grants "$ADMIN" -H 'Content-Type: application/json' -d '{"ttlSeconds":3600}')
check "an admin gets a producer grant (POST /api/v1/event-grants)" 201 "$(code "$g")"
GRANT=$(field grant "$(body "$g")")
GRANT_HEADER=$(field header "$(body "$g")")
TASK_ID=$(cat /proc/sys/kernel/random/uuid)
kill "$SSE_PID" 2>/dev/null || true
curl -sS -N --max-time 240 -H "Authorization: Bearer $ADMIN" "$GW/api/v1/events?channels=results" \
  >"$STATE/events-ext.sse" 2>/dev/null &
SSE_PID=$!
sleep 3

cat >"$STATE/clients/KafkaSaslProbe.java" <<'JAVA'
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

/** KafkaSaslProbe <bootstrap> <clients dir> <ext user> <tenant> <grant header> <grant> <task id>: one line per probe. */
public class KafkaSaslProbe {
  static String bootstrap;
  static Path dir;

  static Properties props(String who) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(dir.resolve(who + ".properties"))) { p.load(in); }
    p.put("bootstrap.servers", bootstrap);
    p.put("max.block.ms", "15000");
    p.put("request.timeout.ms", "10000");
    p.put("delivery.timeout.ms", "20000");
    p.put("default.api.timeout.ms", "15000");
    return p;
  }

  static String outcome(Throwable t) {
    Throwable c = t;
    while (c instanceof ExecutionException && c.getCause() != null) c = c.getCause();
    return c.getClass().getSimpleName();
  }

  static String produce(String who, ProducerRecord<String, String> record) {
    try (var producer = new KafkaProducer<>(props(who), new StringSerializer(), new StringSerializer())) {
      producer.send(record).get(25, TimeUnit.SECONDS);
      return "ok";
    } catch (Exception e) {
      return outcome(e);
    }
  }

  static String read(String who, String topic) {
    Properties p;
    try { p = props(who); } catch (Exception e) { return outcome(e); }
    try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      consumer.poll(Duration.ofSeconds(10));
      consumer.position(tp, Duration.ofSeconds(10));
      return "ok";
    } catch (Exception e) {
      return outcome(e);
    }
  }

  public static void main(String[] a) throws Exception {
    bootstrap = a[0];
    dir = Path.of(a[1]);
    String tenant = a[3];
    String task = """
        {"specversion":"1.0","id":"%s","source":"urn:devloop:kafka-sasl-stack","type":"dev.devloop.agent.task",\
        "time":"%s","tenant":"%s","datacontenttype":"application/json",\
        "data":{"agentType":"assistant","input":"Remember fact sasl-ext"}}""".formatted(a[6], Instant.now(), tenant);
    var record = new ProducerRecord<String, String>("devloop.agent.tasks", tenant, task);
    record.headers().add(a[4], a[5].getBytes(java.nio.charset.StandardCharsets.UTF_8));
    System.out.println("external-task " + produce(a[2], record));
    System.out.println("tool-writes-results "
        + produce("tool-service", new ProducerRecord<>("devloop.agent.results", tenant, "{}")));
    System.out.println("provider-reads-tasks " + read("provider-gateway", "devloop.agent.tasks"));
    System.out.println("agent-reads-tasks " + read("agent-service", "devloop.agent.tasks"));
    System.out.println("wrong-password " + read("wrong-password", "devloop.agent.tasks"));
    System.out.println("no-credentials " + read("none", "devloop.agent.tasks"));
  }
}
JAVA
handshake_errors() { grep -c 'Unexpected Kafka request of type METADATA during SASL handshake' "$STATE/servers/kafka/logs/kafka.log" || true; }
before=$(handshake_errors)
probe=$(java -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$STATE/servers/kafka/config/log4j2-tools.properties" \
  -cp "$(kafka_lib)/*" "$STATE/clients/KafkaSaslProbe.java" "$BOOT" "$STATE/clients" "$EXT" "$TASK_TENANT" \
  "$GRANT_HEADER" "$GRANT" "$TASK_ID" 2>"$STATE/clients/probe.err")
say "probe: $(paste -sd' ' - <<<"$probe")"
result() { sed -n "s/^$1 //p" <<<"$probe"; }
check "external producer User:$EXT writes a granted task to devloop.agent.tasks" ok "$(result external-task)"
seen=0
for _ in $(seq 120); do
  sse_has "$STATE/events-ext.sse" dev.devloop.agent.run.finished "$TASK_TENANT" && seen=1 && break
  sleep 0.5
done
check "agent-service consumed it and ran it (run.finished in the tenant's live events)" 1 "$seen"
check "tool-service's principal writing devloop.agent.results: denied" TopicAuthorizationException "$(result tool-writes-results)"
check "provider-gateway's principal reading devloop.agent.tasks: denied" TopicAuthorizationException \
  "$(result provider-reads-tasks)"
check "agent-service's principal reading devloop.agent.tasks (same client): allowed" ok "$(result agent-reads-tasks)"
check "a wrong password: authentication fails" SaslAuthenticationException "$(result wrong-password)"
r=$(result no-credentials)
# the broker drops a client that skips the SASL handshake; the client itself only sees its requests time out
if [[ -n $r && $r != ok ]] && (($(handshake_errors) > before)); then
  ok "no credentials (PLAINTEXT) on the SASL listener: refused ($r; broker: METADATA during SASL handshake)"
else
  fail "no credentials: expected a refusal logged by the broker, got [$r]"
fi

# ---- 4. nothing was refused to the services themselves -----------------------------------------------------------
for svc in "${SERVICES[@]}"; do
  n=$(grep -cE 'SaslAuthenticationException|TopicAuthorizationException|GroupAuthorizationException|ClusterAuthorizationException|Not authorized' \
    "$STATE/services/$svc.log" 2>/dev/null || true)
  check "$svc's log: no Kafka authentication or authorization error" 0 "${n:-0}"
done

finish
