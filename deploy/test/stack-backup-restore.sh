#!/usr/bin/env bash
# Backup and restore of the WHOLE stack (issue #20): the five services on private servers and ports
# (deploy/test/stack.sh) create a run (with its fact and model usage), a roadmap and a document through the public
# gateway -> deploy/devloop backup -> every store wiped -> a corrupted copy of the backup is refused and changes
# nothing -> deploy/devloop restore -> the services started again serve the same run, fact, roadmap roll-up,
# document (found by search) and usage as before. It also runs `up`'s class archives (the only stack test that does):
# the first start records each service's archive (the JVM's AOT cache on JDK 25+, else AppCDS), written as the
# services stop for the backup, and the start after the restore maps it.
# Usage: deploy/test/stack-backup-restore.sh   (services built first; KEEP_STACK=1 leaves everything running)
set -euo pipefail
export DEVLOOP_STATE_DIR="${DEVLOOP_STATE_DIR:-${TMPDIR:-/tmp}/devloop-stack-restore}"
export DEVLOOP_SERVICE_CDS="${DEVLOOP_SERVICE_CDS:-1}"
SVCS=(api-gateway agent-service knowledge-service tool-service provider-gateway)
# shellcheck source=deploy/test/stack.sh
source "$(dirname "$0")/stack.sh"
CDS=${DEVLOOP_CDS_DIR:-$STATE/cds}
trap stack_teardown EXIT
STUB_DELAY_MS=${STUB_DELAY_MS:-20} stack_up

MONGO_URI="mongodb://127.0.0.1:$DEVLOOP_MONGO_PORT"
mongo_data() {
  test_tool "$TEST_DIR/MongoData.java" "$STATE/servers/mongo/lib/*" -XX:TieredStopAtLevel=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -- "$MONGO_URI" "$@"
}
body() { sed '$d' <<<"$1"; }
code() { tail -n1 <<<"$1"; }
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n1 | cut -d: -f2- | tr -d '"'; }

TENANT=restore-$RANDOM
TOKEN=$("$DEVLOOP" token --tenant "$TENANT" --roles operator)
TODAY=$(date -u +%F)

# ---- 1. data through the gateway ---------------------------------------------------------------------
r=$(gw POST '/api/v1/agents/assistant/runs?wait=true' "$TOKEN" -H 'Content-Type: application/json' \
  -d '{"input":"Remember fact restore-1"}')
check "run completes" "200 COMPLETED" "$(code "$r") $(field status "$(body "$r")")"
RUN=$(field id "$(body "$r")")
r=$(gw POST /api/v1/roadmap/import "$TOKEN" -H 'Content-Type: application/yaml' --data-binary @- <<'YAML'
milestones:
  - id: m1
    name: Public beta
    phases:
      - id: m1-build
        name: Build
        modules:
          - id: auth
            name: Authentication
            features:
              - id: login
                name: Login page
                estimate: 5
                tasks:
                  - {id: login-form, name: Form, estimate: 2, status: done}
                  - {id: login-api, name: API, estimate: 3, dependsOn: [login-form]}
YAML
)
check "roadmap imported" 200 "$(code "$r")"
r=$(gw POST /api/v1/documents "$TOKEN" -H 'Content-Type: application/json' \
  -d '{"id":"kafka-notes","title":"Kafka notes","text":"Partitions keep per-key order; consumers in one group share partitions."}')
check "document ingested" 200 "$(code "$r")"
# deploy/devloop service-token (README): a token for calling one service directly, from a shell without the stack's
# DEVLOOP_* environment (stack.sh unset DEVLOOP_IDENTITY_DIR)
SVC_TOKEN=$("$DEVLOOP" service-token tool-service "$TENANT")
check "service-token calls tool-service directly" 200 "$(curl -s -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $SVC_TOKEN" "http://127.0.0.1:$DEVLOOP_TOOL_SERVICE_PORT/tools?agentType=assistant")"

snapshot() {
  local run fact progress search usage
  run=$(gw GET "/api/v1/runs/$RUN" "$TOKEN")
  fact=$(gw GET /api/v1/facts/restore-1/status "$TOKEN")
  progress=$(gw GET /api/v1/roadmap/nodes/m1/progress "$TOKEN")
  search=$(gw POST /api/v1/search "$TOKEN" -H 'Content-Type: application/json' \
    -d '{"query":"which order do partitions keep?","mode":"hybrid","limit":1}')
  usage=$(gw GET "/api/v1/usage?from=$TODAY&to=$TODAY&groupBy=model" "$TOKEN")
  printf 'run %s %s steps=%s\n' "$(code "$run")" "$(field status "$(body "$run")")" \
    "$(grep -o '"kind"' <<<"$(body "$run")" | wc -l)"
  printf 'fact %s %s\n' "$(code "$fact")" "$(field value "$(body "$fact")")"
  printf 'roadmap %s %s\n' "$(code "$progress")" "$(body "$progress" | grep -o '"done[A-Za-z]*":[0-9.]*' | paste -sd' ')"
  printf 'search %s %s\n' "$(code "$search")" "$(grep -o '"documentId":"[^"]*"' <<<"$(body "$search")" | head -n1)"
  printf 'usage %s calls=%s\n' "$(code "$usage")" "$(grep -o '"calls":[0-9]*' <<<"$(body "$usage")" | head -n1 | cut -d: -f2)"
}
before=$(snapshot)
say "before: $(paste -sd'|' <<<"$before")"
[[ $before == *"run 200 COMPLETED"* && $before == *"fact 200 seen"* && $before == *"search 200 \"documentId\":\"kafka-notes\""* &&
  $before != *"calls="$'\n'* ]] && ok "every store holds the tenant's data" || fail "the data is not all there: $before"

# ---- 2. backup, wipe ---------------------------------------------------------------------------------
BACKUPS="$STATE/test-backups"
rm -rf "$BACKUPS"
"$DEVLOOP" backup "$BACKUPS" >"$STATE/backup.out" || { fail "backup failed: $(tail -n3 "$STATE/backup.out")"; finish; }
B=$(tail -n1 "$STATE/backup.out")
ok "backup written: $(basename "$B")"
"$DEVLOOP" down >/dev/null
if [[ $DEVLOOP_SERVICE_CDS == 1 ]]; then
  for svc in "${SVCS[@]}"; do
    archive=$(find "$CDS" -maxdepth 1 -name "$svc-*" \( -name '*.aot' -o -name '*.aot.rec' -o -name '*.jsa' -o -name '*.jsa.rec' \) -size +1M -print -quit 2>/dev/null)
    [[ -n $archive ]] && ok "$svc: class archive written ($(basename "$archive"))" || fail "$svc: no class archive in $CDS"
  done
fi
"$DEVLOOP" servers up >/dev/null
rcli flushall >/dev/null
mongo_data wipe
cypher "MATCH (n) DETACH DELETE n" >/dev/null
check "neo4j wiped" 0 "$(cypher 'MATCH (n) RETURN count(n)')"
check "mongo wiped" 0 "$(mongo_data describe | grep -c '^devloop_agents' || true)"
check "redis wiped" 0 "$(rcli dbsize)"

# ---- 3. a corrupted backup is refused and changes nothing --------------------------------------------
BAD="$STATE/test-backups/corrupted"
cp -r "$B" "$BAD"
printf 'x' >>"$BAD/mongo/devloop_agents/runs.jsonl"
rc=0
"$DEVLOOP" restore "$BAD" >/dev/null 2>"$STATE/restore-bad.err" || rc=$?
check "a corrupted backup is refused (exit 2)" 2 "$rc"
check "the refused restore changed nothing" 0 "$(cypher 'MATCH (n) RETURN count(n)')"

# ---- 4. restore, the services serve it ---------------------------------------------------------------
"$DEVLOOP" restore "$B" >"$STATE/restore.out" 2>&1 || { fail "restore failed: $(tail -n5 "$STATE/restore.out")"; finish; }
ok "restore of $(basename "$B")"
stack_services_up
if [[ $DEVLOOP_SERVICE_CDS == 1 ]]; then
  for svc in "${SVCS[@]}"; do
    pid=$(cat "$STATE/services/$svc.pid" 2>/dev/null || true)
    if [[ -n $pid ]] && grep -qF "$(readlink -f "$CDS")/$svc-" "/proc/$pid/maps" 2>/dev/null; then
      ok "$svc: started from its class archive"
    else
      fail "$svc: its process does not map a class archive from $CDS"
    fi
  done
fi
after=$(snapshot)
say "after:  $(paste -sd'|' <<<"$after")"
while IFS= read -r line; do
  check "restored: ${line%% *}" "$line" "$(grep "^${line%% *} " <<<"$after")"
done <<<"$before"
finish
