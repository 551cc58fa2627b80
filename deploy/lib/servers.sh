# shellcheck shell=bash
# Local servers for Devloop (docs/design.md §8): Redis, Kafka (KRaft), Neo4j Community, MongoDB
# (mongo-java-server + H2). Each runs as a plain process on 127.0.0.1 with its state under
# $STATE_DIR/servers/<name>/, is installed when missing, and is stopped by pid file only.

SERVERS=(redis mongo kafka neo4j) # fastest first: each is awaited in turn

# shellcheck source=deploy/lib/kafka-sasl.sh
source "$DEPLOY_DIR/lib/kafka-sasl.sh" # DEVLOOP_KAFKA_SASL=1: the local Kafka with SCRAM and the chart's ACLs

REDIS_PORT="${DEVLOOP_REDIS_PORT:-6379}"
KAFKA_PORT="${DEVLOOP_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${DEVLOOP_KAFKA_CONTROLLER_PORT:-9093}"
NEO4J_BOLT_PORT="${DEVLOOP_NEO4J_BOLT_PORT:-7687}"
NEO4J_HTTP_PORT="${DEVLOOP_NEO4J_HTTP_PORT:-7474}"
NEO4J_PASSWORD="${DEVLOOP_NEO4J_PASSWORD:-devloop-dev}"
MONGO_PORT="${DEVLOOP_MONGO_PORT:-27017}"
# Redis persistence besides --appendonly yes (word-split on purpose): AOF fsync once a second, RDB snapshots
# after 3600 s/1 change, 300 s/100, 60 s/10000 (Redis' defaults), AOF with an RDB preamble.
REDIS_PERSISTENCE_OPTS="${DEVLOOP_REDIS_PERSISTENCE_OPTS:---appendfsync everysec --save 3600 1 300 100 60 10000 --aof-use-rdb-preamble yes --dbfilename dump.rdb}"
SERVER_TIMEOUT="${DEVLOOP_SERVER_TIMEOUT:-90}"
# JVM options of the Java servers (word-split on purpose).
KAFKA_JAVA_OPTS="${DEVLOOP_KAFKA_JAVA_OPTS:--Xmx384m -Xms128m}"
NEO4J_JAVA_OPTS="${DEVLOOP_NEO4J_JAVA_OPTS:--Xmx512m -Xms256m}"
MONGO_JAVA_OPTS="${DEVLOOP_MONGO_JAVA_OPTS:--Xmx384m}"
# Class archives of the Java servers (dynamic AppCDS, JDK 13+): a start without one records the classes it loads
# (written when the server stops), later starts map them: Neo4j and Kafka need ~0.55-0.75x the CPU seconds to be ready
# (docs/scaling.md, stop 34). Each server runs from its own directory with the class path `lib/*`: an archive made
# with a relative class path fits every copy of the same jars (the deploy tests' state dirs copy them with their
# times), so the archives live with the services' (cds_dir), keyed by the jars, the JVM and its options.
# DEVLOOP_SERVER_CDS=0 turns them off, =map maps an archive there is but records none.
SERVER_CDS="${DEVLOOP_SERVER_CDS:-1}"
server_cds_archive() { # server its-java-options
  local java key
  java=$(readlink -f "$(command -v java)")
  key=$({
    printf '%s\n' "$1" "$2" "$java"
    cat "$(dirname "$(dirname "$java")")/release" 2>/dev/null
    find "$(server_dir "$1")/lib" -type f -printf '%P %s %T@\n' | LC_ALL=C sort
  } | sha256sum | cut -c1-16)
  printf '%s/server-%s-%s.jsa' "$(cds_dir)" "$1" "$key"
}
server_cds_opts() { # server its-java-options → the archive's JVM options (mapped, or recorded at exit)
  [[ $SERVER_CDS == 1 || $SERVER_CDS == map ]] || return 0
  local jsa
  jsa=$(server_cds_archive "$1" "$2")
  cds_promote java "$jsa"
  if [[ -s $jsa ]]; then
    printf -- '-XX:SharedArchiveFile=%s -Xlog:cds=off -Xlog:cds+dynamic=off' "$jsa"
  elif [[ $SERVER_CDS == 1 ]]; then
    mkdir -p "$(cds_dir)"
    rm -f "$(cds_dir)/server-$1-"*.jsa "$(cds_dir)/server-$1-"*.jsa.rec
    printf -- '-XX:ArchiveClassesAtExit=%s.rec -Xlog:cds=off -Xlog:cds+dynamic=off' "$jsa"
  fi
}

# Topics of docs/design.md §3 (3 partitions) and their dead-letter twins (1 partition).
KAFKA_TOPICS=(
  devloop.agent.tasks devloop.agent.results devloop.agent.lifecycle devloop.tool.invocations
  devloop.knowledge.facts devloop.system.health devloop.provider.usage devloop.cache.invalidation
  devloop.webhook.deliveries
  devloop.roadmap.events devloop.forge.events devloop.grants.revocations
)

# Servers started by this invocation (deploy/devloop test stops exactly these).
STARTED_SERVERS=()

server_dir() { printf '%s' "$STATE_DIR/servers/$1"; }
server_pidfile() { printf '%s/%s.pid' "$(server_dir "$1")" "$1"; }
server_portsfile() { printf '%s/ports' "$(server_dir "$1")"; }

# The marker that must appear in a server's command line for its pid file to count as ours.
server_marker() {
  case $1 in
    redis) printf 'redis-server' ;;
    *) printf -- '-Ddevloop.server=%s' "$1" ;;
  esac
}

server_log() {
  local d
  d=$(server_dir "$1")
  case $1 in
    neo4j) printf '%s/logs/neo4j.log' "$d" ;;
    *) printf '%s/logs/%s.log' "$d" "$1" ;;
  esac
}

# "port envvar" pairs each server listens on.
server_ports() {
  case $1 in
    redis) printf '%s DEVLOOP_REDIS_PORT\n' "$REDIS_PORT" ;;
    kafka) printf '%s DEVLOOP_KAFKA_PORT\n%s DEVLOOP_KAFKA_CONTROLLER_PORT\n' "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" ;;
    neo4j) printf '%s DEVLOOP_NEO4J_BOLT_PORT\n%s DEVLOOP_NEO4J_HTTP_PORT\n' "$NEO4J_BOLT_PORT" "$NEO4J_HTTP_PORT" ;;
    mongo) printf '%s DEVLOOP_MONGO_PORT\n' "$MONGO_PORT" ;;
  esac
}
server_port_list() { server_ports "$1" | cut -d' ' -f1 | paste -sd' ' -; }
server_main_port() { server_ports "$1" | head -n1 | cut -d' ' -f1; }

server_pid() { live_pid "$(server_pidfile "$1")" "$(server_marker "$1")"; }

# pid of the same Devloop server started from another checkout (another state dir) that already
# holds every port this one wants, e.g. a fresh clone running deploy/devloop test next to a working
# copy whose servers are up. Such a server is used as is and never stopped from here.
shared_server_pid() {
  local s=$1 port pid="" p cmd
  for port in $(server_port_list "$s"); do
    p=$(port_pid "$port")
    [[ -n $p && ( -z $pid || $p == "$pid" ) ]] || return 1
    pid=$p
  done
  cmd=$(pid_cmdline "$pid")
  case $s in
    redis)
      [[ $cmd == redis-server* ]] || return 1
      [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get dir 2>/dev/null | tail -n1) == */.devloop/servers/redis/data ]] ||
        return 1
      ;;
    *) [[ $cmd == *"$(server_marker "$s") "* ]] || return 1 ;;
  esac
  printf '%s' "$pid"
}

# Is that server in fact ours (same state dir), only its pid file lost?
server_in_own_state() {
  local s=$1 pid=$2
  case $s in
    redis) [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get dir 2>/dev/null | tail -n1) == "$(server_dir redis)/data" ]] ;;
    *) [[ $(pid_cmdline "$pid") == *"-Ddevloop.state=$STATE_DIR "* ]] ;;
  esac
}

is_server() {
  local s
  for s in "${SERVERS[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

# Names given on the command line (checked), or all servers, into the array SELECTED.
SELECTED=()
select_servers() {
  local n
  for n in "$@"; do
    is_server "$n" || die "unknown server '$n' (servers: ${SERVERS[*]})"
  done
  if (($# == 0)); then SELECTED=("${SERVERS[@]}"); else SELECTED=("$@"); fi
}

# ---------------------------------------------------------------------------------------------
# Maven-provided runtimes, cached under $STATE_DIR keyed by the pom's content (which pins versions)

# copy_maven_libs <name> <pom> <libdir>
copy_maven_libs() {
  local name=$1 pom=$2 libdir=$3 stamp
  stamp="$(hash_files "$pom")"
  if [[ -f $libdir/.devloop-stamp && $(<"$libdir/.devloop-stamp") == "$stamp" ]]; then
    return 0
  fi
  require java
  local mvn t0
  mvn=$(mvn_cmd)
  t0=$(now_ms)
  log "$name: copying runtime jars from Maven ($(rel "$pom") -> $(rel "$libdir")); the first time downloads them"
  rm -rf "$libdir.tmp"
  mkdir -p "$(dirname "$libdir")"
  if ! "$mvn" -q -B -ntp -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libdir.tmp" >"$libdir.mvn.log" 2>&1; then
    log_tail "$libdir.mvn.log" 30
    die "$name: could not copy its jars with Maven (full output: $(rel "$libdir.mvn.log"))"
  fi
  rm -rf "$libdir"
  mv "$libdir.tmp" "$libdir"
  printf '%s' "$stamp" >"$libdir/.devloop-stamp"
  log "$name: $(find "$libdir" -name '*.jar' | wc -l) jars ready in $(since "$t0")"
}

# ---------------------------------------------------------------------------------------------
# Redis (Debian redis-server)

redis_install() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
  apt_install redis-server
  command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after apt-get install"
}

# apt-get install without letting the package start a system-wide service on the default port.
apt_install() {
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      die "$* is missing and installing it needs root: run 'sudo apt-get install -y $*'"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "$* is missing and apt-get is not available: install it by hand"
  log "installing $* with apt-get (apt-get update first)"
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    # shellcheck disable=SC2016
    "${sudo[@]}" sh -c 'printf "#!/bin/sh\nexit 101\n" >"$1" && chmod 755 "$1"' sh "$policy"
    created_policy=1
  fi
  local rc=0
  {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  } >"$STATE_DIR/apt.log" 2>&1 || rc=$?
  ((created_policy == 1)) && "${sudo[@]}" rm -f "$policy"
  if ((rc != 0)); then
    log_tail "$STATE_DIR/apt.log" 20
    die "apt-get install $* failed (full output: $(rel "$STATE_DIR/apt.log"))"
  fi
}

redis_launch() {
  local d
  d=$(server_dir redis)
  mkdir -p "$d/data" "$d/logs"
  rm -f "$(server_pidfile redis)"
  # Persistent (docs/design.md §5, §8): the append-only file fsynced every second plus RDB snapshots
  # (Redis' default schedule), so the gateway's idempotency records, provider settings and spend survive
  # a restart or a kill -9 (at most ~1 s of writes lost). $1 = "no-aof" only for deploy/devloop restore,
  # which starts once from a restored dump.rdb and then switches the AOF on (redis_enable_aof).
  local aof=yes
  [[ ${1:-} == no-aof ]] && aof=no
  # shellcheck disable=SC2086
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" $REDIS_PERSISTENCE_OPTS --appendonly "$aof" \
    --daemonize yes --pidfile "$(server_pidfile redis)" --dir "$d/data" \
    --logfile "$(server_log redis)" >/dev/null ||
    {
      log_tail "$(server_log redis)" 20
      die "redis: redis-server failed to start"
    }
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $(server_pidfile redis) ]] && return 0
    sleep 0.1
  done
  log_tail "$(server_log redis)" 20
  die "redis: no pid file after start"
}

redis_ready() {
  [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

redis_await() {
  wait_for "redis" "$SERVER_TIMEOUT" "$(server_log redis)" "$(read_pid "$(server_pidfile redis)")" redis_ready
}

# ---------------------------------------------------------------------------------------------
# Kafka 4.1 KRaft, one node as broker + controller

kafka_lib() { printf '%s/lib' "$(server_dir kafka)"; }
kafka_tools() { printf '%s/tools' "$(server_dir kafka)"; }

# The admin helper (metadata round-trip + topic creation in one JVM), compiled once per source.
kafka_compile_tools() {
  local src="$DEPLOY_DIR/servers/kafka/KafkaAdmin.java" stamp
  stamp="$(hash_files "$src" "$(kafka_lib)/.devloop-stamp")"
  if [[ -f $(kafka_tools)/.devloop-stamp && $(<"$(kafka_tools)/.devloop-stamp") == "$stamp" ]]; then
    return 0
  fi
  require javac
  rm -rf "$(kafka_tools)"
  mkdir -p "$(kafka_tools)"
  javac -nowarn -d "$(kafka_tools)" -cp "$(kafka_lib)/*" "$src" || die "kafka: could not compile $(rel "$src")"
  printf '%s' "$stamp" >"$(kafka_tools)/.devloop-stamp"
}

kafka_install() {
  local d
  d=$(server_dir kafka)
  copy_maven_libs kafka "$DEPLOY_DIR/servers/kafka/pom.xml" "$(kafka_lib)"
  kafka_compile_tools
  mkdir -p "$d/config"
  cat >"$d/config/log4j2-tools.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = STDERR
EOF
  cat >"$d/config/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.state.name = state.change.logger
logger.state.level = warn
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = warn
EOF
}

kafka_write_config() {
  local d
  d=$(server_dir kafka)
  cat >"$d/config/server.properties" <<EOF
# Written by deploy/devloop on every start; edit deploy/lib/servers.sh instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
$(kafka_sasl_server_properties)
log.dirs=$d/data/kraft
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=$(if kafka_sasl_on; then printf false; else printf true; fi)
log.retention.hours=72
EOF
  if kafka_sasl_on; then chmod 600 "$d/config/server.properties"; fi # it holds the admin's password
}

kafka_java() {
  local d
  d=$(server_dir kafka)
  kafka_compile_tools
  kafka_sasl_client_env # DEVLOOP_KAFKA_CLIENT_CONFIG: the admin's SASL settings, or none
  java -Dlog4j2.configurationFile="$d/config/log4j2-tools.properties" -XX:TieredStopAtLevel=1 \
    -cp "$(kafka_tools):$(kafka_lib)/*" "$@"
}

kafka_launch() {
  local d id
  d=$(server_dir kafka)
  mkdir -p "$d/data" "$d/logs"
  kafka_sasl_check_storage
  kafka_write_config
  if [[ ! -f $d/data/kraft/meta.properties ]]; then
    # A cluster id as kafka.tools.StorageTool random-uuid makes it (16 random bytes, base64url),
    # without paying for one more JVM start.
    id=-
    while [[ $id == -* ]]; do
      id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    done
    log "kafka: formatting storage (cluster id $id)"
    local scram=()
    mapfile -t scram < <(kafka_sasl_format_args)
    kafka_java kafka.tools.StorageTool format -t "$id" -c "$d/config/server.properties" "${scram[@]}" \
      >"$d/logs/format.log" 2>&1 || {
      log_tail "$d/logs/format.log" 20
      die "kafka: storage format failed"
    }
    kafka_sasl_mark_storage
  fi
  rotate_log "$(server_log kafka)"
  # shellcheck disable=SC2086,SC2046 # the options are words
  spawn "$(server_pidfile kafka)" "$(server_log kafka)" env -C "$d" \
    java $KAFKA_JAVA_OPTS $(server_cds_opts kafka "$KAFKA_JAVA_OPTS") -XX:+ExitOnOutOfMemoryError \
    "$(server_marker kafka)" -Ddevloop.state="$STATE_DIR" -Dlog4j2.configurationFile="$d/config/log4j2.properties" \
    -cp 'lib/*' kafka.Kafka "$d/config/server.properties"
}

kafka_topic_specs() {
  local t
  for t in "${KAFKA_TOPICS[@]}"; do printf '%s:3\n%s.dlq:1\n' "$t" "$t"; done
}

# Real metadata round-trip, then create the missing topics; one JVM.
kafka_ensure_topics() {
  local timeout=${1:-30} out
  # shellcheck disable=SC2046
  if out=$(kafka_java KafkaAdmin "127.0.0.1:$KAFKA_PORT" ensure-topics "$timeout" $(kafka_topic_specs) 2>&1); then
    log "kafka: ${out##*$'\n'}"
    return 0
  fi
  printf '%s\n' "$out" >&2
  return 1
}

kafka_ready() { kafka_java KafkaAdmin "127.0.0.1:$KAFKA_PORT" ping 5; }

kafka_started_line() { grep -q 'Kafka Server started' "$(server_log kafka)"; }

kafka_await() {
  local start=$SECONDS
  wait_for "kafka" "$SERVER_TIMEOUT" "$(server_log kafka)" "$(read_pid "$(server_pidfile kafka)")" kafka_started_line || return 1
  local left=$((SERVER_TIMEOUT - (SECONDS - start)))
  ((left < 30)) && left=30 # the first Cypher query after "Started" plans and compiles: slow on a busy box
  kafka_ensure_topics "$left" || {
    log_tail "$(server_log kafka)" 30
    return 1
  }
  kafka_sasl_apply_acls || {
    log_tail "$(server_log kafka)" 10
    return 1
  }
}

# ---------------------------------------------------------------------------------------------
# Neo4j 5 Community from Maven jars (org.neo4j.server.CommunityEntryPoint)

neo4j_install() {
  local h
  h=$(server_dir neo4j)
  copy_maven_libs neo4j "$DEPLOY_DIR/servers/neo4j/pom.xml" "$h/lib"
}

neo4j_write_config() {
  local h
  h=$(server_dir neo4j)
  mkdir -p "$h/conf" "$h/data" "$h/logs"
  cat >"$h/conf/neo4j.conf" <<EOF
# Written by deploy/devloop on every start; edit deploy/lib/servers.sh instead.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$NEO4J_BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$NEO4J_BOLT_PORT
server.http.enabled=true
server.http.listen_address=127.0.0.1:$NEO4J_HTTP_PORT
server.http.advertised_address=127.0.0.1:$NEO4J_HTTP_PORT
server.https.enabled=false
server.memory.pagecache.size=256m
server.directories.data=$h/data
server.directories.logs=$h/logs
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
# SIGTERM stop drops from ~12 s to ~3.5 s
internal.server.bolt.connection_shutdown_wait_time=1s
internal.server.bolt.thread_pool_shutdown_wait_time=1s
EOF
}

neo4j_launch() {
  local h
  h=$(server_dir neo4j)
  neo4j_write_config
  if [[ ! -e $h/data/dbms/auth.ini && ! -d $h/data/databases/system ]]; then
    log "neo4j: setting the initial password for user neo4j"
    NEO4J_HOME="$h" NEO4J_CONF="$h/conf" java -XX:TieredStopAtLevel=1 -cp "$h/lib/*" \
      org.neo4j.cli.AdminTool dbms set-initial-password "$NEO4J_PASSWORD" >"$h/logs/admin.log" 2>&1 || {
      log_tail "$h/logs/admin.log" 20
      die "neo4j: set-initial-password failed"
    }
  fi
  # Readiness looks only at what this start appends to neo4j.log.
  local size=0
  [[ -f $h/logs/neo4j.log ]] && size=$(stat -c %s "$h/logs/neo4j.log")
  printf '%s' "$size" >"$h/logs/.start-offset"
  rotate_log "$h/logs/console.log"
  # shellcheck disable=SC2086,SC2046 # the options are words
  spawn "$(server_pidfile neo4j)" "$h/logs/console.log" env -C "$h" \
    java $NEO4J_JAVA_OPTS $(server_cds_opts neo4j "$NEO4J_JAVA_OPTS") -XX:+ExitOnOutOfMemoryError \
    "$(server_marker neo4j)" -Ddevloop.state="$STATE_DIR" \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -cp 'lib/*' org.neo4j.server.CommunityEntryPoint --home-dir="$h" --config-dir="$h/conf"
}

neo4j_started_line() {
  local h off
  h=$(server_dir neo4j)
  off=$(cat "$h/logs/.start-offset" 2>/dev/null || echo 0)
  tail -c +"$((off + 1))" "$h/logs/neo4j.log" 2>/dev/null | grep -q 'Started\.'
}

# A real Cypher round-trip over HTTP (RETURN 1); sets NEO4J_HTTP_STATUS.
NEO4J_HTTP_STATUS=
neo4j_query() {
  local body
  body=$(curl -sS --max-time 5 -o - -w '\n%{http_code}' -u "neo4j:$NEO4J_PASSWORD" \
    -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -d '{"statements":[{"statement":"RETURN 1 AS ok"}]}' \
    "http://127.0.0.1:$NEO4J_HTTP_PORT/db/neo4j/tx/commit" 2>/dev/null) || {
    NEO4J_HTTP_STATUS=000
    return 1
  }
  NEO4J_HTTP_STATUS=${body##*$'\n'}
  [[ $NEO4J_HTTP_STATUS == 200 && $body == *'"errors":[]'* && $body == *'"row":[1]'* ]]
}

neo4j_ready() { port_in_use "$NEO4J_BOLT_PORT" && neo4j_query; }

neo4j_await() {
  local pid start=$SECONDS
  pid=$(read_pid "$(server_pidfile neo4j)")
  wait_for "neo4j" "$SERVER_TIMEOUT" "$(server_log neo4j)" "$pid" neo4j_started_line || return 1
  local left=$((SERVER_TIMEOUT - (SECONDS - start)))
  ((left < 30)) && left=30 # the first Cypher query after "Started" plans and compiles: slow on a busy box
  if ! wait_for "neo4j (Cypher RETURN 1 over HTTP)" "$left" "$(server_log neo4j)" "$pid" neo4j_ready; then
    if [[ $NEO4J_HTTP_STATUS == 401 ]]; then
      printf 'devloop: error: neo4j rejects the password: its data was initialised with another one; set DEVLOOP_NEO4J_PASSWORD to it, or stop the servers and delete %s\n' "$(rel "$(server_dir neo4j)/data")" >&2
    fi
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# MongoDB stand-in: mongo-java-server with the H2 backend, via our small launcher

mongo_lib() { printf '%s/lib' "$(server_dir mongo)"; }

mongo_install() {
  local d src=$DEPLOY_DIR/servers/mongo stamp lib
  d=$(server_dir mongo)
  lib=$(mongo_lib)
  # shellcheck disable=SC2046
  stamp="$(hash_files "$src/pom.xml" $(find "$src/src" -type f -name '*.java' | sort))"
  if [[ -f $lib/.devloop-stamp && $(<"$lib/.devloop-stamp") == "$stamp" ]]; then
    return 0
  fi
  require java javac
  local mvn t0
  mvn=$(mvn_cmd)
  t0=$(now_ms)
  log "mongo: building the mongo-java-server launcher ($(rel "$src") -> $(rel "$lib"))"
  rm -rf "$lib.tmp" "$d/build"
  mkdir -p "$d"
  if ! "$mvn" -q -B -ntp -f "$src/pom.xml" package dependency:copy-dependencies \
    -Ddevloop.buildDir="$d/build" -DoutputDirectory="$lib.tmp" >"$d/build.log" 2>&1; then
    log_tail "$d/build.log" 30
    die "mongo: could not build the launcher (full output: $(rel "$d/build.log"))"
  fi
  cp "$d/build"/devloop-mongo-launcher-*.jar "$lib.tmp/"
  rm -rf "$lib" "$d/build"
  mv "$lib.tmp" "$lib"
  printf '%s' "$stamp" >"$lib/.devloop-stamp"
  log "mongo: launcher ready in $(since "$t0")"
}

mongo_launch() {
  local d
  d=$(server_dir mongo)
  mkdir -p "$d/data" "$d/logs"
  rotate_log "$(server_log mongo)"
  # shellcheck disable=SC2086,SC2046 # the options are words
  spawn "$(server_pidfile mongo)" "$(server_log mongo)" env -C "$d" \
    java $MONGO_JAVA_OPTS $(server_cds_opts mongo "$MONGO_JAVA_OPTS") -XX:+ExitOnOutOfMemoryError \
    "$(server_marker mongo)" -Ddevloop.state="$STATE_DIR" \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS" \
    -cp 'lib/*' dev.devloop.deploy.mongo.MongoLauncher 127.0.0.1 "$MONGO_PORT" "$d/data/devloop.mv.db"
}

# A real ping round-trip with the MongoDB Java driver.
mongo_ready() {
  java -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(mongo_lib)/*" \
    dev.devloop.deploy.mongo.MongoPing "mongodb://127.0.0.1:$MONGO_PORT" 3
}

mongo_listening_line() { grep -q 'listening on' "$(server_log mongo)"; }

mongo_await() {
  local pid store
  pid=$(read_pid "$(server_pidfile mongo)")
  if ! wait_for "mongo" "$SERVER_TIMEOUT" "$(server_log mongo)" "$pid" mongo_listening_line; then
    # H2's MVStore can refuse to open a store whose last chunks were not all written ("Chunk N not found", seen
    # after a stop at the end of a busy day). H2's own tool rolls it back to its newest complete version and keeps
    # the file as it was beside it (devloop.mv.db.back); only that error is repaired, once.
    pid_alive "$pid" || ! grep -q 'MVStoreException' "$(server_log mongo)" && return 1
    store="$(server_dir mongo)/data/devloop.mv.db"
    warn "mongo: the H2 store failed to open (log: $(rel "$(server_log mongo)")); repairing it with H2's MVStoreTool (the file as it was: $(rel "$store.back"))"
    timeout "$SERVER_TIMEOUT" java -Xmx1g -cp "$(mongo_lib)/*" org.h2.mvstore.MVStoreTool -repair "$store" \
      >"$(server_dir mongo)/logs/repair.log" 2>&1 ||
      { warn "mongo: the repair failed (log: $(rel "$(server_dir mongo)/logs/repair.log")); restore a backup: deploy/devloop restore"; return 1; }
    log "mongo: $(tail -n 2 "$(server_dir mongo)/logs/repair.log" | paste -sd' ')"
    mongo_launch
    pid=$(read_pid "$(server_pidfile mongo)")
    wait_for "mongo" "$SERVER_TIMEOUT" "$(server_log mongo)" "$pid" mongo_listening_line || return 1
  fi
  wait_for "mongo (ping)" 30 "$(server_log mongo)" "$pid" mongo_ready
}

# Readiness check used when a server is already running (Kafka also creates missing topics).
server_check() {
  case $1 in
    kafka) kafka_ensure_topics 30 && kafka_sasl_apply_acls ;;
    *) "${1}_ready" >/dev/null 2>&1 ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# commands

server_where() {
  printf '127.0.0.1:%s' "$(server_main_port "$1")"
  case $1 in
    kafka) printf ' (controller %s)' "$KAFKA_CONTROLLER_PORT" ;;
    neo4j) printf ' (bolt; http %s)' "$NEO4J_HTTP_PORT" ;;
  esac
}

# servers up [name...]: reuse what runs, check ports, install, launch, wait for round-trips.
servers_up() {
  local names s pid port envvar t0 rc=0
  select_servers "$@"
  names=("${SELECTED[@]}")
  require java curl
  mkdir -p "$STATE_DIR/servers"
  with_lock

  local reuse=() start=() shared=()
  for s in "${names[@]}"; do
    if [[ ! -e $(server_pidfile "$s") ]] && pid=$(shared_server_pid "$s"); then
      if server_in_own_state "$s" "$pid"; then
        log "$s: found running without its pid file (pid $pid); adopting it"
        printf '%s\n' "$pid" >"$(server_pidfile "$s")"
        reuse+=("$s")
      else
        shared+=("$s")
      fi
    elif pid=$(server_pid "$s"); then
      local want have
      want=$(server_port_list "$s")
      have=$(cat "$(server_portsfile "$s")" 2>/dev/null || true)
      if [[ -n $have && $have != "$want" ]]; then
        die "$s is already running (pid $pid) on port(s) $have, not $want; run 'deploy/devloop servers down' first or unset the port variable"
      fi
      reuse+=("$s")
    else
      rm -f "$(server_pidfile "$s")"
      start+=("$s")
    fi
  done
  # Every port of every server to start is checked before anything is installed or launched.
  for s in "${start[@]}"; do
    while read -r port envvar; do ensure_port_free "$port" "$envvar"; done < <(server_ports "$s")
  done
  # (shared servers too: the round-trip checks use their client jars)
  for s in "${start[@]}" "${shared[@]}"; do "${s}_install"; done

  local t_start=()
  for s in "${start[@]}"; do
    t_start+=("$(now_ms)")
    "${s}_launch"
    server_port_list "$s" >"$(server_portsfile "$s")"
    STARTED_SERVERS+=("$s")
  done

  for s in "${shared[@]}"; do
    pid=$(shared_server_pid "$s")
    server_check "$s" || die "$s: the Devloop $s of another checkout (pid $pid) holds its port(s) but does not answer; stop it or set other ports"
    log "$s: reusing the Devloop $s started from another checkout (pid $pid) on $(server_where "$s"); it is not stopped from here"
  done
  for s in "${reuse[@]}"; do
    pid=$(server_pid "$s")
    if server_check "$s"; then
      log "$s: already running (pid $pid) on $(server_where "$s"), reusing"
      if [[ $s == redis && $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get appendonly 2>/dev/null | tail -n1) == no ]]; then
        warn "redis was started without persistence (before deploy/ turned the AOF on): restart it to persist (deploy/devloop servers down redis && deploy/devloop servers up redis)"
      fi
    else
      # Running but not answering yet (maybe still starting): give it the usual time.
      if "${s}_await"; then
        log "$s: already running (pid $pid) on $(server_where "$s"), now answering, reusing"
      else
        die "$s: running (pid $pid) but not answering; see $(rel "$(server_log "$s")")"
      fi
    fi
  done
  local i
  for i in "${!start[@]}"; do
    s=${start[$i]}
    if "${s}_await"; then
      log "$s: started (pid $(read_pid "$(server_pidfile "$s")")) on $(server_where "$s"), ready in $(since "${t_start[$i]}"); log: $(rel "$(server_log "$s")")"
    else
      rc=1
      printf 'devloop: error: %s did not become ready; other servers are left running (deploy/devloop servers down stops them)\n' "$s" >&2
      break
    fi
  done
  release_lock
  ((rc == 0)) || exit 1
}

server_stop() {
  local s=$1 timeout=60 pid
  # a JVM recording its class archive writes it at exit (Neo4j: ~115 MB, 20-30 s on a loaded box)
  pid=$(server_pid "$s") && [[ $(pid_cmdline "$pid") == *ArchiveClassesAtExit* ]] && timeout=180
  stop_pid "$s" "$(server_pidfile "$s")" "$(server_marker "$s")" "$timeout"
}

# servers down [name...]: stop by pid file only.
servers_down() {
  local names s stopped=0 i
  select_servers "$@"
  names=("${SELECTED[@]}")
  with_lock
  for ((i = ${#names[@]} - 1; i >= 0; i--)); do
    s=${names[$i]}
    if server_pid "$s" >/dev/null; then
      server_stop "$s" && stopped=$((stopped + 1))
    elif [[ -e $(server_pidfile "$s") ]]; then
      rm -f "$(server_pidfile "$s")"
      log "$s: was not running (stale pid file removed)"
    fi
  done
  release_lock
  ((stopped > 0)) || log "no server is running"
}

# Stop exactly the servers this invocation started (deploy/devloop test).
stop_started_servers() {
  local i s
  ((${#STARTED_SERVERS[@]} > 0)) || return 0
  log "stopping the servers this run started: ${STARTED_SERVERS[*]}"
  for ((i = ${#STARTED_SERVERS[@]} - 1; i >= 0; i--)); do
    s=${STARTED_SERVERS[$i]}
    server_stop "$s" || true
  done
  STARTED_SERVERS=()
}

servers_status() {
  local names s pid state ready ports
  select_servers "$@"
  names=("${SELECTED[@]}")
  for s in "${names[@]}"; do
    if pid=$(server_pid "$s"); then
      ports=$(cat "$(server_portsfile "$s")" 2>/dev/null || server_port_list "$s")
      if server_status_ready "$s"; then ready=ready; else ready="NOT answering"; fi
      state=running
    elif pid=$(shared_server_pid "$s"); then
      ports=$(server_port_list "$s")
      if server_status_ready "$s"; then ready=ready; else ready="NOT answering"; fi
      state=shared
      ready="$ready (another checkout's)"
    else
      pid=-
      ports=$(server_port_list "$s")
      state=stopped
      ready=-
    fi
    printf '%-18s %-8s pid %-8s port %-12s %-14s log %s\n' "server $s" "$state" "$pid" "${ports// /,}" \
      "$ready" "$(rel "$(server_log "$s")")"
  done
}

server_status_ready() {
  case $1 in
    kafka) kafka_ready >/dev/null 2>&1 ;;
    *) "${1}_ready" >/dev/null 2>&1 ;;
  esac
}

# Any server of ours running?
any_server_running() {
  local s
  for s in "${SERVERS[@]}"; do server_pid "$s" >/dev/null && return 0; done
  return 1
}

# The log of a server (for deploy/devloop logs).
server_log_file() { server_log "$1"; }
