#!/usr/bin/env bash
# deploy/devloop backup / restore end to end on a PRIVATE set of the four servers (DEVLOOP_STATE_DIR and
# ports from deploy/test/lib.sh; never the stack on the default ports):
#   write data into every store -> backup -> wipe every store -> restore -> the data is back
#   (values, TTLs, documents with their types, unique indexes, graph nodes/relationships, consumer offsets),
#   what is not Devloop's is left alone, Redis persists the restored data across a restart;
#   then a corrupted, an incomplete and a "newer" backup are refused with exit 2 / 2 / 3 and change nothing.
# Usage: deploy/test/backup-restore.sh   (KEEP_SERVERS=1 leaves the private servers running)
set -euo pipefail
# shellcheck source=deploy/test/lib.sh
source "$(dirname "$0")/lib.sh"
trap private_servers_down EXIT

private_servers_up redis mongo kafka neo4j
STATE=$DEVLOOP_STATE_DIR
MONGO_URI="mongodb://127.0.0.1:$DEVLOOP_MONGO_PORT"
BOOTSTRAP="127.0.0.1:$DEVLOOP_KAFKA_PORT"
TOPIC=devloop.agent.tasks
GROUP=devloop-backup-test
mongo_data() {
  test_tool "$TEST_DIR/MongoData.java" "$STATE/servers/mongo/lib/*" -XX:TieredStopAtLevel=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -- "$MONGO_URI" "$@"
}
kafka_data() {
  test_tool "$TEST_DIR/KafkaData.java" "$STATE/servers/kafka/lib/*" -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$STATE/servers/kafka/config/log4j2-tools.properties" -- "$BOOTSTRAP" "$@"
}
graph_state() {
  cypher "MATCH (t:RoadmapNode {tenant:'acme'}) OPTIONAL MATCH (t)-[:DEPENDS_ON]->(d) RETURN t.id + '->' + coalesce(d.id, '-') + ' ' + t.name ORDER BY t.id"
  cypher "MATCH (m:DevloopMigration) RETURN m.id"
}

# ---- 1. data in every store ---------------------------------------------------------------------------
say "writing data into redis, mongo, neo4j and kafka"
rcli flushall >/dev/null
rcli set "gw:idem:{acme}:{ci}:abc" '{"status":201}' EX 86400 >/dev/null
rcli hset "devloop:provider:settings:{acme}:cache" enabled false >/dev/null
rcli rpush "devloop:test:list" a b c >/dev/null
mongo_data clean
mongo_data write
cypher "MATCH (n) DETACH DELETE n" >/dev/null
cypher "CREATE (:RoadmapNode:Task {tenant:'acme', id:'t1', name:'Login form'})<-[:DEPENDS_ON]-(:RoadmapNode:Task {tenant:'acme', id:'t2', name:'Login API'}) CREATE (:DevloopMigration {id:'tenant-vectors-v1'})" >/dev/null
kafka_data write "$TOPIC" "$GROUP"

redis_before="$(rcli get "gw:idem:{acme}:{ci}:abc") $(rcli hget "devloop:provider:settings:{acme}:cache" enabled) $(rcli lrange devloop:test:list 0 -1 | paste -sd,)"
mongo_before=$(mongo_data describe)
graph_before=$(graph_state)
offset_before=$(kafka_data offset "$TOPIC" "$GROUP")
say "redis: $redis_before"
say "mongo: $(wc -l <<<"$mongo_before") collections"
say "neo4j: $(paste -sd' ' <<<"$graph_before")"
say "kafka: $GROUP committed $offset_before"

# ---- 2. backup ----------------------------------------------------------------------------------------
BACKUPS="$STATE/test-backups"
rm -rf "$BACKUPS"
"$DEVLOOP" backup "$BACKUPS" | tee "$STATE/backup.out"
B=$(tail -n1 "$STATE/backup.out")
[[ -f $B/manifest.json ]] && ok "backup written: $(basename "$B")" || { fail "no manifest in [$B]"; finish; }
for f in neo4j/neo4j.dump redis/dump.rdb kafka/consumer-offsets.tsv mongo/devloop_agents/runs.jsonl \
  mongo/devloop_agents/runs.indexes.jsonl mongo/devloop_tools/invocations.jsonl; do
  if grep -q "\"path\": \"$f\"" "$B/manifest.json"; then ok "manifest lists $f with its sha256"; else fail "manifest misses $f"; fi
done
if grep -q '"other_db' "$B/manifest.json"; then fail "other_db (not devloop_*) was backed up"; else ok "other_db is not in the backup"; fi
grep -q '"tenant-vectors-v1"' "$B/manifest.json" && ok "manifest records the Neo4j migration tenant-vectors-v1" || fail "manifest misses the Neo4j migration"
grep -q '"mongo": "none yet"' "$B/manifest.json" && ok "manifest says MongoDB records no migrations yet" || fail "manifest: mongo migrations"
for k in '"neo4j": "5' '"redis": "7' '"kafka": "4' '"version": "0'; do
  grep -q "$k" "$B/manifest.json" && ok "manifest has $k…" || fail "manifest lacks $k…"
done
check "neo4j answers after the backup restarted it" "$(paste -sd' ' <<<"$graph_before")" "$(graph_state | paste -sd' ' -)"
# the Java servers' class archives (deploy/lib/servers.sh): the first start recorded one, the restart maps it
if [[ ${DEVLOOP_SERVER_CDS:-1} == 1 ]]; then
  neo4j_pid=$(cat "$STATE/servers/neo4j/neo4j.pid")
  if grep -qF "$(readlink -f "${DEVLOOP_CDS_DIR:-$STATE/cds}")/server-neo4j-" "/proc/$neo4j_pid/maps" 2>/dev/null; then
    ok "neo4j restarted from its class archive"
  else
    fail "the restarted neo4j (pid $neo4j_pid) maps no class archive from ${DEVLOOP_CDS_DIR:-$STATE/cds}"
  fi
fi

# ---- 3. wipe every store -----------------------------------------------------------------------------
say "wiping every store"
rcli flushall >/dev/null
rcli set "devloop:test:after-backup" 1 >/dev/null
mongo_data wipe >/dev/null
cypher "MATCH (n) DETACH DELETE n" >/dev/null
cypher "CREATE (:RoadmapNode:Task {tenant:'acme', id:'t9', name:'after the backup'})" >/dev/null
kafka_data delete-group "$GROUP"
check "kafka group gone after the wipe" none "$(kafka_data offset "$TOPIC" "$GROUP")"
check "redis wiped" 1 "$(rcli dbsize)"

# ---- 4. restore -------------------------------------------------------------------------------------
"$DEVLOOP" restore "$B"
check "redis values restored" "$redis_before" "$(rcli get "gw:idem:{acme}:{ci}:abc") $(rcli hget "devloop:provider:settings:{acme}:cache" enabled) $(rcli lrange devloop:test:list 0 -1 | paste -sd,)"
check "redis key written after the backup is gone" 0 "$(rcli exists devloop:test:after-backup)"
ttl=$(rcli ttl "gw:idem:{acme}:{ci}:abc")
if ((ttl > 0 && ttl <= 86400)); then ok "redis TTL restored ($ttl s)"; else fail "redis TTL after restore: $ttl"; fi
mongo_after=$(mongo_data describe)
check "mongo collections, counts, indexes and documents restored (devloop_extra dropped, other_db kept)" "$mongo_before" "$mongo_after"
mongo_data duplicate >/dev/null && ok "mongo unique index enforced after restore" || fail "mongo unique index missing after restore"
check "neo4j graph restored" "$(paste -sd' ' <<<"$graph_before")" "$(graph_state | paste -sd' ' -)"
check "kafka committed offset restored" "$offset_before" "$(kafka_data offset "$TOPIC" "$GROUP")"
check "redis AOF on after restore" yes "$(rcli config get appendonly | tail -n1)"
"$DEVLOOP" servers down redis >/dev/null
"$DEVLOOP" servers up redis >/dev/null
check "restored redis data survives a restart" "$redis_before" "$(rcli get "gw:idem:{acme}:{ci}:abc") $(rcli hget "devloop:provider:settings:{acme}:cache" enabled) $(rcli lrange devloop:test:list 0 -1 | paste -sd,)"

# ---- 5. refused backups change nothing ------------------------------------------------------------------
rcli set "devloop:test:canary" alive >/dev/null
cypher "CREATE (:Canary {id:'c1'})" >/dev/null
refused() { # <description> <expected exit> <backup dir> <message part>
  local rc=0 out
  out=$("$DEVLOOP" restore "$3" 2>&1) || rc=$?
  if [[ $rc == "$2" && $out == *"$4"* ]]; then ok "$1 refused (exit $rc: $(grep -m1 -- "$4" <<<"$out" | sed 's/^ *//'))"; else fail "$1: exit $rc, output: $out"; fi
}
bad="$STATE/test-backups/bad"
rm -rf "$bad" && cp -a "$B" "$bad"
printf 'X' | dd of="$bad/mongo/devloop_agents/runs.jsonl" bs=1 seek=10 conv=notrunc status=none
refused "a backup with a corrupted file" 2 "$bad" "checksum mismatch mongo/devloop_agents/runs.jsonl"
rm -rf "$bad" && cp -a "$B" "$bad" && rm "$bad/redis/dump.rdb"
refused "a backup with a missing file" 2 "$bad" "missing file redis/dump.rdb"
rm -rf "$bad" && cp -a "$B" "$bad" && rm "$bad/manifest.json"
refused "a backup without manifest" 2 "$bad" "no manifest.json"
rm -rf "$bad" && cp -a "$B" "$bad" && sed -i 's/"version": "0[^"]*"/"version": "99.0.0"/' "$bad/manifest.json"
refused "a backup of a newer project version" 3 "$bad" "project version 99.0.0"
rm -rf "$bad" && cp -a "$B" "$bad" && sed -i 's/"tenant-vectors-v1"/"tenant-vectors-v2"/' "$bad/manifest.json"
refused "a backup with a migration this code does not know" 3 "$bad" "migration tenant-vectors-v2"
rm -rf "$bad" && cp -a "$B" "$bad" && sed -i 's/"neo4j": "5[^"]*"/"neo4j": "2025.10.1"/' "$bad/manifest.json"
refused "a backup from a newer Neo4j" 3 "$bad" "neo4j 2025.10.1"
check "redis untouched by the refused restores" alive "$(rcli get devloop:test:canary)"
check "neo4j untouched by the refused restores" c1 "$(cypher "MATCH (c:Canary) RETURN c.id")"
rm -rf "$bad"
finish
