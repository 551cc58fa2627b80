# shellcheck shell=bash
# deploy/devloop backup [DIR] and restore DIR (issue #20): a timestamped backup of the four local servers —
# Kafka consumer group offsets, every <prefix>devloop_* MongoDB database, Redis (RDB), Neo4j (database dump) —
# with a manifest.json (versions, migrations, sha256 of every file), and its restore. Ports, state dir and
# passwords come from the same DEVLOOP_* variables as deploy/lib/servers.sh. See deploy/README.md#backup-and-restore.

BACKUP_DIR_DEFAULT="${DEVLOOP_BACKUP_DIR:-$STATE_DIR/backups}"
# Backups kept in DIR after a new one (oldest removed first); 0 keeps every one.
BACKUP_KEEP="${DEVLOOP_BACKUP_KEEP:-0}"
DB_PREFIX="${DEVLOOP_DB_PREFIX:-}"

# Exit codes of restore besides 1 (any other failure).
BACKUP_EXIT_INVALID=2 # the manifest does not verify: missing file, checksum mismatch, not a backup
BACKUP_EXIT_NEWER=3   # made by newer code or servers than these

# BackupTool (deploy/servers/backup): compiled once per source against the MongoDB driver jars of the mongo
# launcher (never rebuilding the running server's own lib), like KafkaAdmin.
backup_tools() { printf '%s/tools/backup' "$STATE_DIR"; }
backup_compile_tool() {
  local src="$DEPLOY_DIR/servers/backup/BackupTool.java" stamp
  mongo_install
  stamp="$(hash_files "$src" "$(mongo_lib)/.devloop-stamp")"
  if [[ -f $(backup_tools)/.devloop-stamp && $(<"$(backup_tools)/.devloop-stamp") == "$stamp" ]]; then
    return 0
  fi
  require javac
  rm -rf "$(backup_tools)"
  mkdir -p "$(backup_tools)"
  javac -nowarn -d "$(backup_tools)" -cp "$(mongo_lib)/*" "$src" || die "backup: could not compile $(rel "$src")"
  printf '%s' "$stamp" >"$(backup_tools)/.devloop-stamp"
}
backup_tool() {
  java -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$(backup_tools):$(mongo_lib)/*" BackupTool "$@"
}

project_version() {
  sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n1
}

# Versions of what runs here: the jars the servers are started from, and the redis-server binary.
lib_version() { # <libdir> <jar-prefix>
  local f
  f=$(find "$1" -maxdepth 1 -name "$2-[0-9]*.jar" | head -n1)
  [[ -n $f ]] || return 1
  f=${f##*/}
  f=${f#"$2"-}
  printf '%s' "${f%.jar}"
}
code_neo4j_version() { lib_version "$(server_dir neo4j)/lib" neo4j-kernel; }
code_kafka_version() { lib_version "$(kafka_lib)" kafka-clients; }
code_redis_version() { redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2; }
running_redis_version() {
  timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server | tr -d '\r' | sed -n 's/^redis_version://p'
}

# One Cypher statement over HTTP returning one string; prints it.
neo4j_scalar() {
  local body stmt=$1
  body=$(curl -sS --max-time 15 -u "neo4j:$NEO4J_PASSWORD" -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -d "{\"statements\":[{\"statement\":\"$stmt\"}]}" \
    "http://127.0.0.1:$NEO4J_HTTP_PORT/db/neo4j/tx/commit") || return 1
  [[ $body == *'"errors":[]'* ]] || {
    printf 'devloop: error: neo4j: %s\n' "$body" >&2
    return 1
  }
  sed -n 's/.*"row":\["\([^"]*\)"\].*/\1/p' <<<"$body"
}

neo4j_running_version() {
  neo4j_scalar "CALL dbms.components() YIELD versions RETURN versions[0] AS v"
}

# Migration records Neo4j holds: knowledge-service's (:DevloopMigration {id}) and, once it is used,
# neo4j-migrations' (:__Neo4jMigration {version}) chain. Comma-separated; empty = none yet.
neo4j_migrations() {
  neo4j_scalar "OPTIONAL MATCH (m:DevloopMigration) WITH collect(m.id) AS a OPTIONAL MATCH (n:__Neo4jMigration) WHERE n.version IS NOT NULL AND n.version <> 'BASELINE' WITH a, collect('neo4j-migrations:' + n.version) AS b WITH a + b AS ids RETURN reduce(s = '', x IN ids | s + CASE WHEN s = '' THEN '' ELSE ',' END + x) AS v"
}

# The migration ids of a backup that this checkout's code knows (the rest make the backup "newer").
known_migrations() { # <comma-separated ids>
  local id out=() IFS=,
  for id in $1; do
    case $id in
      neo4j-migrations:*)
        # a Cypher script (resources) or a Java migration (V002__VectorIndexes.java) of that version
        find "$ROOT"/*/src/main -name "V${id#neo4j-migrations:}__*" -print -quit 2>/dev/null | grep -q . &&
          out+=("$id")
        ;;
      *devloop_*:V*)
        # MongoDB versions (<db>:V<NNN>): known when the owning service's MongoMigrator declares version N
        local svc n=${id##*:V}
        case $id in
          *devloop_agents:*) svc=agent-service ;;
          *devloop_knowledge:*) svc=knowledge-service ;;
          *devloop_tools:*) svc=tool-service ;;
          *devloop_providers:*) svc=provider-gateway ;;
          *devloop_gateway:*) svc=api-gateway ;;
          *) continue ;;
        esac
        n=$((10#$n))
        # (-z: the whole file is one record, so a formatter's line break after the parenthesis does not hide it)
        grep -rzqE -- "new MongoMigrations\.Migration\([[:space:]]*$n[[:space:]]*," "$ROOT/$svc/src/main/java" 2>/dev/null &&
          out+=("$id")
        ;;
      *)
        # knowledge-service's DevloopMigration ids: named in the code
        grep -rqF -- "\"${id#*:}\"" "$ROOT"/*/src/main 2>/dev/null && out+=("$id")
        ;;
    esac
  done
  printf '%s' "${out[*]}"
}

# A server that backup/restore stops and starts must be this checkout's own.
require_own_server() {
  local s=$1 why=$2 pid
  if pid=$(server_pid "$s"); then
    return 0
  fi
  if pid=$(shared_server_pid "$s"); then
    die "$s on $(server_where "$s") (pid $pid) belongs to another checkout (another DEVLOOP_STATE_DIR); $why only from there"
  fi
  die "$s is not running (deploy/devloop servers up $s first)"
}

neo4j_admin() {
  local h
  h=$(server_dir neo4j)
  NEO4J_HOME="$h" NEO4J_CONF="$h/conf" java -XX:TieredStopAtLevel=1 -cp "$h/lib/*" org.neo4j.cli.AdminTool "$@"
}

# Start Neo4j again after a dump or load, whatever happened in between.
neo4j_restart_after() {
  log "neo4j: starting again"
  neo4j_launch
  neo4j_await || die "neo4j did not come back after the $1; see $(rel "$(server_log neo4j)")"
  log "neo4j: back on $(server_where neo4j)"
}

redis_aof_rewritten() {
  local info
  info=$(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info persistence 2>/dev/null | tr -d '\r') || return 1
  [[ $info == *'aof_enabled:1'* && $info == *'aof_rewrite_in_progress:0'* && $info == *'aof_rewrite_scheduled:0'* &&
    $info == *'aof_last_bgrewrite_status:ok'* ]]
}

# deploy/devloop backup [DIR]
devloop_backup() {
  (($# <= 1)) || die "usage: deploy/devloop backup [DIR]   (default $(rel "$BACKUP_DIR_DEFAULT"))"
  local dir=${1:-$BACKUP_DIR_DEFAULT}
  [[ $BACKUP_KEEP =~ ^[0-9]+$ ]] || die "DEVLOOP_BACKUP_KEEP must be a number (0 keeps every backup)"
  require java curl redis-cli
  local s
  for s in redis mongo kafka; do
    server_pid "$s" >/dev/null || shared_server_pid "$s" >/dev/null ||
      die "$s is not running on $(server_where "$s") (deploy/devloop servers up first)"
  done
  require_own_server neo4j "its database can be dumped (Neo4j Community is stopped for it)"
  backup_compile_tool
  kafka_install
  if any_service_running; then
    warn "the Devloop services are running: each store is backed up consistently, but not all four at one instant; Neo4j is stopped for its dump (a restart, 10-60 s here), so graph calls fail meanwhile"
  fi

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local ts name work dest t0
  ts=$(date -u +%Y%m%dT%H%M%SZ)
  name="devloop-backup-$ts"
  dest="$dir/$name"
  work="$dir/.$name.partial"
  [[ ! -e $dest ]] || die "$(rel "$dest") already exists"
  rm -rf "$work"
  mkdir -p "$work"/{kafka,mongo,redis,neo4j}
  t0=$(now_ms)
  log "backup: writing $(rel "$dest")"

  # 1. Kafka offsets first: restored offsets are then at or before the restored data, so consumers
  #    re-read (idempotently) rather than skip what happened between the store copies.
  kafka_java KafkaAdmin "127.0.0.1:$KAFKA_PORT" offsets-export "$work/kafka/consumer-offsets.tsv" ||
    die "backup: the Kafka consumer offsets could not be read (partial backup left in $(rel "$work"))"
  # 2. MongoDB, every ${DB_PREFIX}devloop_* database, through the wire protocol
  local mongo_version mongo_migrations mongo_summary
  mongo_version=$(backup_tool mongo-version "mongodb://127.0.0.1:$MONGO_PORT") || die "backup: MongoDB does not answer buildInfo"
  mongo_migrations=$(backup_tool mongo-migrations "mongodb://127.0.0.1:$MONGO_PORT" "$DB_PREFIX") || die "backup: could not read MongoDB's migration records"
  mongo_summary=$(backup_tool mongo-dump "mongodb://127.0.0.1:$MONGO_PORT" "$work/mongo" "$DB_PREFIX") ||
    die "backup: the MongoDB dump failed (partial backup left in $(rel "$work"))"
  log "backup: $mongo_summary"
  # 3. Redis: a point-in-time RDB (the server forks and streams it, as to a replica)
  local redis_version
  redis_version=$(running_redis_version) || die "backup: redis does not answer INFO"
  timeout 300 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --rdb "$work/redis/dump.rdb" >"$work/redis.log" 2>&1 || {
    cat "$work/redis.log" >&2
    die "backup: redis-cli --rdb failed"
  }
  rm -f "$work/redis.log"
  log "backup: redis: RDB of $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" dbsize) key(s), $(stat -c %s "$work/redis/dump.rdb") bytes"
  # 4. Neo4j: neo4j-admin database dump needs the database offline on Community (no online backup
  #    there): stop, dump, start.
  local neo4j_version neo4j_migrations_ids
  neo4j_version=$(neo4j_running_version) || die "backup: neo4j does not answer Cypher over HTTP"
  neo4j_migrations_ids=$(neo4j_migrations) || die "backup: could not read Neo4j's migration records"
  with_lock
  log "neo4j: stopping for the dump (Community cannot dump a running database)"
  server_stop neo4j >/dev/null || die "neo4j: could not stop it for the dump"
  local rc=0
  neo4j_admin database dump neo4j --to-path="$work/neo4j" >"$work/neo4j-admin.log" 2>&1 || rc=$?
  neo4j_restart_after dump
  release_lock
  if ((rc != 0)); then
    cat "$work/neo4j-admin.log" >&2
    die "backup: neo4j-admin database dump failed (exit $rc)"
  fi
  rm -f "$work/neo4j-admin.log"
  log "backup: neo4j: $(stat -c %s "$work/neo4j/neo4j.dump") bytes dumped"

  backup_tool manifest-write "$work" \
    "project.version=$(project_version)" \
    "servers.neo4j=$neo4j_version" "servers.redis=$redis_version" \
    "servers.kafka=$(code_kafka_version)" "servers.mongo=$mongo_version" \
    "migrations.neo4j=$neo4j_migrations_ids" "migrations.mongo=$mongo_migrations" \
    "store.mongo=$mongo_summary" "store.mongoDatabasePrefix=${DB_PREFIX:-(none)}" \
    "store.neo4j=database neo4j, neo4j-admin database dump (offline)" \
    "store.redis=RDB (redis-cli --rdb)" \
    "store.kafka=committed offsets of every consumer group (not the topics' records)" >/dev/null ||
    die "backup: could not write the manifest"
  mv "$work" "$dest"
  log "backup: done in $(since "$t0"): $(rel "$dest") ($(du -sh "$dest" | cut -f1))"
  backup_prune "$dir"
  printf '%s\n' "$dest"
}

# Keep the newest BACKUP_KEEP backups in a directory (0 = all).
backup_prune() {
  local dir=$1 old
  ((BACKUP_KEEP > 0)) || return 0
  while IFS= read -r old; do
    [[ -n $old ]] || continue
    rm -rf "${dir:?}/$old"
    log "backup: removed $old (DEVLOOP_BACKUP_KEEP=$BACKUP_KEEP)"
  done < <(find "$dir" -maxdepth 1 -mindepth 1 -type d -name 'devloop-backup-*' -printf '%f\n' | sort -r | tail -n +"$((BACKUP_KEEP + 1))")
}

# deploy/devloop restore DIR
devloop_restore() {
  (($# == 1)) || die "usage: deploy/devloop restore DIR   (DIR = a devloop-backup-<time> directory)"
  local src=$1
  [[ -d $src ]] || { printf 'devloop: error: %s is not a directory\n' "$src" >&2; exit "$BACKUP_EXIT_INVALID"; }
  src=$(cd "$src" && pwd)
  require java curl redis-cli redis-server
  if any_service_running; then
    die "the Devloop services are running: stop them first (deploy/devloop down; restore starts the servers it needs, 'up' the services afterwards)"
  fi
  servers_up
  backup_compile_tool
  kafka_install
  # never into another checkout's servers (servers up reuses those when they hold the same ports)
  local s
  for s in "${SERVERS[@]}"; do require_own_server "$s" "restore into it"; done

  local t0 rc=0 ids known_neo4j known_mongo
  t0=$(now_ms)
  ids=$(backup_tool manifest-get "$src" migrations.neo4j 2>/dev/null || true)
  known_neo4j=$(known_migrations "$([[ $ids == "none yet" ]] || printf '%s' "$ids")")
  ids=$(backup_tool manifest-get "$src" migrations.mongo 2>/dev/null || true)
  known_mongo=$(known_migrations "$([[ $ids == "none yet" ]] || printf '%s' "$ids")")
  backup_tool manifest-verify "$src" "code.project=$(project_version)" \
    "code.neo4j=$(code_neo4j_version)" "code.redis=$(code_redis_version)" \
    "knownMigrations.neo4j=$known_neo4j" "knownMigrations.mongo=$known_mongo" || rc=$?
  case $rc in
    0) ;;
    "$BACKUP_EXIT_INVALID") printf 'devloop: error: restore refused: the backup does not verify; nothing was changed\n' >&2; exit "$BACKUP_EXIT_INVALID" ;;
    "$BACKUP_EXIT_NEWER") printf 'devloop: error: restore refused: the backup is newer than this code; nothing was changed\n' >&2; exit "$BACKUP_EXIT_NEWER" ;;
    *) die "restore: the manifest could not be checked (BackupTool exit $rc)" ;;
  esac
  log "restore: from $(rel "$src") into redis :$REDIS_PORT, mongo :$MONGO_PORT, neo4j :$NEO4J_BOLT_PORT, kafka :$KAFKA_PORT"

  with_lock
  # Neo4j: offline load over the current database, then start
  log "neo4j: stopping to load the dump"
  server_stop neo4j >/dev/null || die "neo4j: could not stop it"
  rc=0
  neo4j_admin database load neo4j --from-path="$src/neo4j" --overwrite-destination=true >"$STATE_DIR/restore-neo4j.log" 2>&1 || rc=$?
  neo4j_restart_after load
  ((rc == 0)) || { cat "$STATE_DIR/restore-neo4j.log" >&2; die "restore: neo4j-admin database load failed (exit $rc); Neo4j runs on its previous data"; }
  log "restore: neo4j: database neo4j loaded"

  # Redis: start once from the restored dump.rdb with the AOF off (Redis loads the AOF, not the RDB, when
  # the AOF is on), then switch the AOF on: Redis rewrites it from the loaded data.
  local d
  d=$(server_dir redis)/data
  log "redis: stopping to load the RDB"
  server_stop redis >/dev/null || die "redis: could not stop it"
  rm -rf "$d/appendonlydir" "$d/dump.rdb"
  cp "$src/redis/dump.rdb" "$d/dump.rdb"
  redis_launch no-aof
  redis_await || die "redis did not start from the restored dump.rdb; see $(rel "$(server_log redis)")"
  timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config set appendonly yes >/dev/null || die "redis: CONFIG SET appendonly yes failed"
  wait_for "redis (AOF rewrite after restore)" "$SERVER_TIMEOUT" "$(server_log redis)" "" redis_aof_rewritten ||
    die "redis: the append-only file was not rewritten after the restore"
  release_lock
  log "restore: redis: $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" dbsize) key(s) loaded, AOF on"

  # (pipefail: a failing tool fails the pipeline)
  backup_tool mongo-restore "mongodb://127.0.0.1:$MONGO_PORT" "$src/mongo" "$DB_PREFIX" | sed 's/^/devloop: restore: /' ||
    die "restore: the MongoDB restore failed"
  kafka_java KafkaAdmin "127.0.0.1:$KAFKA_PORT" offsets-import "$src/kafka/consumer-offsets.tsv" | sed 's/^/devloop: restore: /' ||
    die "restore: the Kafka consumer offsets could not be set (are the services' consumers stopped?)"
  log "restore: done in $(since "$t0"); start the services with deploy/devloop up"
}
