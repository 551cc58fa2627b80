#!/usr/bin/env bash
# The whole-stack scenarios (the `scenarios` Maven module: five packaged services as separate JVMs, an OpenAI
# stub in its wire format) on this script's PRIVATE servers (ports in deploy/test/lib.sh; state dir
# .devloop/scenario-servers of the tree, apart from the other deploy tests': no data of theirs, nor their SASL/TLS
# settings, reaches the scenarios).
# `deploy/devloop test` runs it beside Maven's module tests, from its packaged copy of the tree, so the two never
# share a broker, a database or a consumer group. The services must be packaged (their target/quarkus-app).
# Usage: deploy/test/scenarios.sh [maven args, e.g. -Dtest=RoadmapScenarioTest]   (KEEP_SERVERS=1 keeps the servers)
set -euo pipefail
DEVLOOP_STATE_DIR="${DEVLOOP_STATE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/.devloop/scenario-servers}"
export DEVLOOP_STATE_DIR
# shellcheck source=deploy/test/lib.sh
source "$(dirname "$0")/lib.sh"
trap private_servers_down EXIT

for s in knowledge-service tool-service provider-gateway agent-service api-gateway; do
  [[ -f $ROOT/$s/target/quarkus-app/quarkus-run.jar ]] || {
    say "$s is not packaged: ./mvnw package -DskipTests first" >&2
    exit 1
  }
done
private_servers_up redis kafka neo4j mongo
export DEVLOOP_REDIS_URL="redis://127.0.0.1:$DEVLOOP_REDIS_PORT"
export DEVLOOP_KAFKA_BOOTSTRAP="127.0.0.1:$DEVLOOP_KAFKA_PORT"
export DEVLOOP_NEO4J_URI="bolt://127.0.0.1:$DEVLOOP_NEO4J_BOLT_PORT"
export DEVLOOP_MONGO_URL="mongodb://127.0.0.1:$DEVLOOP_MONGO_PORT"
if [[ -n ${DEVLOOP_SCENARIOS_AOT_CACHES:-} ]]; then
  say "the services map the AOT caches the lane's stack tests recorded: ${DEVLOOP_SCENARIOS_AOT_CACHES//,/ }"
fi
# -am adds only the parent and contracts (the scenarios' one project dependency: seconds); contracts' own tests are
# Maven's (deploy/devloop test runs them beside this), not run twice here (~30 s of a test JVM on a loaded box)
printf 'dev/devloop/contracts/**\n' >"$DEVLOOP_STATE_DIR/contracts-tests.exclude"
(cd "$ROOT" && ./mvnw -B -pl scenarios -am verify -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.excludesFile="$DEVLOOP_STATE_DIR/contracts-tests.exclude" "$@")
say "the scenarios passed on private servers"
