# shellcheck shell=bash
# Shared by the deploy/test scripts that need the WHOLE stack (fault-suite.sh, stack-backup-restore.sh): the five
# packaged services on private ports over private servers (own state dir; never the stack on the default ports),
# and an OpenAI stub (openai-stub.mjs) as their model. Sources lib.sh.
# what `deploy/devloop test` exported for the Maven build points at ITS stack (services on the default ports, its
# keys, its service-identity key set): derived again from this private state by `up`
unset DEVLOOP_IDENTITY_DIR DEVLOOP_AGENT_SERVICE_URL DEVLOOP_API_GATEWAY_URL DEVLOOP_GATEWAY_URL DEVLOOP_KNOWLEDGE_SERVICE_URL \
  DEVLOOP_PROVIDER_GATEWAY_URL DEVLOOP_TOOL_SERVICE_URL DEVLOOP_JWT_PUBLIC_KEY_LOCATION \
  DEVLOOP_JWT_PRIVATE_KEY_LOCATION DEVLOOP_REDIS_URL DEVLOOP_MONGO_URL DEVLOOP_NEO4J_URI DEVLOOP_KAFKA_BOOTSTRAP \
  DEVLOOP_RUNNER_COMMAND
export DEVLOOP_STATE_DIR="${DEVLOOP_STATE_DIR:-${TMPDIR:-/tmp}/devloop-stack-test}"
export DEVLOOP_REDIS_PORT="${DEVLOOP_REDIS_PORT:-26379}"
export DEVLOOP_KAFKA_PORT="${DEVLOOP_KAFKA_PORT:-29092}"
export DEVLOOP_KAFKA_CONTROLLER_PORT="${DEVLOOP_KAFKA_CONTROLLER_PORT:-29093}"
export DEVLOOP_NEO4J_BOLT_PORT="${DEVLOOP_NEO4J_BOLT_PORT:-27687}"
export DEVLOOP_NEO4J_HTTP_PORT="${DEVLOOP_NEO4J_HTTP_PORT:-27474}"
export DEVLOOP_MONGO_PORT="${DEVLOOP_MONGO_PORT:-27019}"
export DEVLOOP_GATEWAY_PORT="${DEVLOOP_GATEWAY_PORT:-18080}"
export DEVLOOP_AGENT_SERVICE_PORT="${DEVLOOP_AGENT_SERVICE_PORT:-18081}"
export DEVLOOP_KNOWLEDGE_SERVICE_PORT="${DEVLOOP_KNOWLEDGE_SERVICE_PORT:-18082}"
export DEVLOOP_TOOL_SERVICE_PORT="${DEVLOOP_TOOL_SERVICE_PORT:-18083}"
export DEVLOOP_PROVIDER_GATEWAY_PORT="${DEVLOOP_PROVIDER_GATEWAY_PORT:-18084}"
# these short-lived stacks never record a class archive (a recording stop writes ~100 MB per service), but map one
# an earlier stack recorded in DEVLOOP_CDS_DIR (deploy/devloop test shares one across its deploy tests)
export DEVLOOP_SERVICE_CDS="${DEVLOOP_SERVICE_CDS:-map}"
# shellcheck source=deploy/test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=$DEVLOOP_STATE_DIR
GW="http://127.0.0.1:$DEVLOOP_GATEWAY_PORT"
STUB_PID=

# DEVLOOP_TEST_SHARED_SERVERS=1: the servers outlive this test (deploy/devloop test runs several stack tests on one
# set of servers, each with its own tenants, and stops them after the last)
stack_down_args=()
[[ ${DEVLOOP_TEST_SHARED_SERVERS:-0} == 1 ]] && stack_down_args=(--services)

stack_teardown() {
  [[ -n $STUB_PID ]] && kill "$STUB_PID" 2>/dev/null || true
  if [[ ${KEEP_STACK:-0} != 1 ]]; then
    "$DEVLOOP" down "${stack_down_args[@]}" >/dev/null 2>&1 || true
  fi
}

# Servers, the stub (STUB_DELAY_MS per answer) and the five services from their packaged jars.
stack_up() {
  local svc
  for svc in api-gateway agent-service knowledge-service tool-service provider-gateway; do
    [[ -f $ROOT/$svc/target/quarkus-app/quarkus-run.jar ]] ||
      { say "$svc is not built (./mvnw package -DskipTests first)"; exit 1; }
  done
  command -v node >/dev/null || { say "node is needed for the OpenAI stub"; exit 1; }
  "$DEVLOOP" down "${stack_down_args[@]}" >/dev/null 2>&1 || true # what an interrupted earlier run left
  private_servers_up redis mongo kafka neo4j
  mkdir -p "$STATE"
  # an earlier stack test's port file (the lane's stack tests share one state dir): read before this stub's shell
  # truncated it, it gave the stack an empty port, and its model calls failed (the kafka-sasl flake of stops 29-30)
  rm -f "$STATE/stub.port"
  STUB_DELAY_MS=${STUB_DELAY_MS:-1500} node "$TEST_DIR/openai-stub.mjs" >"$STATE/stub.port" 2>"$STATE/stub.log" &
  STUB_PID=$!
  local _
  # up to 30 s: on a loaded box node may take more than the 5 s this waited, and the stack then had no model
  for _ in $(seq 300); do [[ -s $STATE/stub.port ]] && break; sleep 0.1; done
  [[ -s $STATE/stub.port ]] || { say "the OpenAI stub did not start (see $STATE/stub.log)"; exit 1; }
  say "OpenAI stub on 127.0.0.1:$(head -n1 "$STATE/stub.port") (pid $STUB_PID, ${STUB_DELAY_MS:-1500} ms per answer)"
  export DEVLOOP_OPENAI_BASE_URL="http://127.0.0.1:$(head -n1 "$STATE/stub.port")/v1" DEVLOOP_OPENAI_API_KEY=stub-key \
    DEVLOOP_OPENAI_MODEL=gpt-4o-mini
  stack_services_up
}

stack_services_up() {
  DEVLOOP_SKIP_BUILD=1 "$DEVLOOP" up | grep -E '^devloop: .*(ready|error)|is up' || { say "the stack did not start"; exit 1; }
}

# gw METHOD PATH TOKEN [curl args...]: prints the body, then the status code on the last line
gw() {
  local method=$1 path=$2 token=$3
  shift 3
  curl -sS --max-time 60 -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}' "$@" "$GW$path"
}
