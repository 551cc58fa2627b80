# shellcheck shell=bash
# The five Devloop services as local processes: java -jar <module>/target/quarkus-app/quarkus-run.jar,
# logs and pid files under $STATE_DIR/services/.

SERVICES=(api-gateway agent-service knowledge-service tool-service provider-gateway)
# Start order: the gateway last, so its downstream services are up first.
SERVICE_START_ORDER=(provider-gateway knowledge-service tool-service agent-service api-gateway)
SERVICE_TIMEOUT="${DEVLOOP_SERVICE_TIMEOUT:-180}"
# The JVM's own choices otherwise (G1 on 2 cores: SerialGC saved ~4 % of the start-up CPU, within the noise, and was
# not measured under load; docs/scaling.md#benchmarks); the class archive is added per service (service_cds_opts).
# CompileThresholdScaling=4: the JIT waits for 4x the calls before compiling, so the start's run-once code is not
# compiled (stop 32, bench/start.sh cds vs cdsb on a quiet box: 0.59-0.64x the CPU seconds to ready alone, the four
# services' stack ready in 15.1 s instead of 18.6); the request path is called often enough to compile soon after.
SERVICE_JAVA_OPTS="${DEVLOOP_SERVICE_JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError -XX:CompileThresholdScaling=4}"

# A service that sizes its own JVM for a 2-core pod (<module>/jvm.options, one flag per line, "#" comments; the bench
# and the service's Dockerfile.jvm read the same file) starts with those flags instead of the default above;
# DEVLOOP_SERVICE_JAVA_OPTS, when set, still decides for every service.
SERVICE_JVM_OPTIONS=$([[ -n ${DEVLOOP_SERVICE_JAVA_OPTS:-} ]] && echo 0 || echo 1)
service_java_opts() {
  local file="$ROOT/$1/jvm.options"
  if [[ $SERVICE_JVM_OPTIONS != 1 || ! -f $file ]]; then
    printf '%s' "$SERVICE_JAVA_OPTS"
    return 0
  fi
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$file" | tr '\n' ' '
}
# ... and, with those flags, two glibc malloc arenas instead of 8 per core (as its bench and Dockerfile.jvm run it)
service_malloc_env() { # svc → an env assignment, or nothing
  [[ $SERVICE_JVM_OPTIONS == 1 && -f $ROOT/$1/jvm.options ]] && printf 'MALLOC_ARENA_MAX=2\n'
  return 0
}

service_port_var() {
  case $1 in
    api-gateway) printf 'DEVLOOP_GATEWAY_PORT' ;;
    agent-service) printf 'DEVLOOP_AGENT_SERVICE_PORT' ;;
    knowledge-service) printf 'DEVLOOP_KNOWLEDGE_SERVICE_PORT' ;;
    tool-service) printf 'DEVLOOP_TOOL_SERVICE_PORT' ;;
    provider-gateway) printf 'DEVLOOP_PROVIDER_GATEWAY_PORT' ;;
  esac
}
service_default_port() {
  case $1 in
    api-gateway) printf 8080 ;;
    agent-service) printf 8081 ;;
    knowledge-service) printf 8082 ;;
    tool-service) printf 8083 ;;
    provider-gateway) printf 8084 ;;
  esac
}
service_port() {
  local var
  var=$(service_port_var "$1")
  printf '%s' "${!var:-$(service_default_port "$1")}"
}

service_dir() { printf '%s/services' "$STATE_DIR"; }
service_pidfile() { printf '%s/%s.pid' "$(service_dir)" "$1"; }
service_portfile() { printf '%s/%s.port' "$(service_dir)" "$1"; }
service_log() { printf '%s/%s.log' "$(service_dir)" "$1"; }
service_jar() { printf '%s/%s/target/quarkus-app/quarkus-run.jar' "$ROOT" "$1"; }
service_marker() { printf -- '-Ddevloop.service=%s' "$1"; }
service_pid() { live_pid "$(service_pidfile "$1")" "$(service_marker "$1")"; }

is_service() {
  local s
  for s in "${SERVICES[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

any_service_running() {
  local s
  for s in "${SERVICES[@]}"; do service_pid "$s" >/dev/null && return 0; done
  return 1
}

# The environment every service (and the test build) receives.
export_devloop_env() {
  export DEVLOOP_REDIS_URL="${DEVLOOP_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
  export DEVLOOP_MONGO_URL="${DEVLOOP_MONGO_URL:-mongodb://127.0.0.1:$MONGO_PORT}"
  export DEVLOOP_NEO4J_URI="${DEVLOOP_NEO4J_URI:-bolt://127.0.0.1:$NEO4J_BOLT_PORT}"
  export DEVLOOP_NEO4J_USER="${DEVLOOP_NEO4J_USER:-neo4j}"
  export DEVLOOP_NEO4J_PASSWORD="$NEO4J_PASSWORD"
  export DEVLOOP_KAFKA_BOOTSTRAP="${DEVLOOP_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}"
  export DEVLOOP_AGENT_SERVICE_URL="${DEVLOOP_AGENT_SERVICE_URL:-$(service_scheme)://127.0.0.1:$(service_port agent-service)}"
  export DEVLOOP_KNOWLEDGE_SERVICE_URL="${DEVLOOP_KNOWLEDGE_SERVICE_URL:-$(service_scheme)://127.0.0.1:$(service_port knowledge-service)}"
  export DEVLOOP_TOOL_SERVICE_URL="${DEVLOOP_TOOL_SERVICE_URL:-$(service_scheme)://127.0.0.1:$(service_port tool-service)}"
  export DEVLOOP_PROVIDER_GATEWAY_URL="${DEVLOOP_PROVIDER_GATEWAY_URL:-$(service_scheme)://127.0.0.1:$(service_port provider-gateway)}"
  export DEVLOOP_GATEWAY_URL="${DEVLOOP_GATEWAY_URL:-$(service_scheme)://127.0.0.1:$(service_port api-gateway)}"
  export DEVLOOP_API_GATEWAY_URL="${DEVLOOP_API_GATEWAY_URL:-$DEVLOOP_GATEWAY_URL}"
  if mtls_on; then
    # the System Health agent reads agent-service itself over the cell's TLS too (the chart sets the same)
    export DEVLOOP_AGENT_SYSTEM_HEALTH_COMPONENTS="agent-service=$DEVLOOP_AGENT_SERVICE_URL,knowledge-service=$DEVLOOP_KNOWLEDGE_SERVICE_URL,tool-service=$DEVLOOP_TOOL_SERVICE_URL,provider-gateway=$DEVLOOP_PROVIDER_GATEWAY_URL,api-gateway=$DEVLOOP_API_GATEWAY_URL"
  fi
  # tool-service's restart_service runs this (service name as the one argument, no shell)
  export DEVLOOP_RUNNER_COMMAND="${DEVLOOP_RUNNER_COMMAND:-$ROOT/deploy/devloop,restart}"
  [[ -n ${DEVLOOP_OPERATOR_TENANTS:-} ]] && export DEVLOOP_OPERATOR_TENANTS
  export DEVLOOP_JWT_PUBLIC_KEY_LOCATION="$KEYS_DIR/jwt-public.pem"
  export DEVLOOP_JWT_PRIVATE_KEY_LOCATION="$KEYS_DIR/jwt-private.pem"
  export DEVLOOP_JWT_ISSUER="$JWT_ISSUER"
  export DEVLOOP_JWT_AUDIENCE="$JWT_AUDIENCE"
  # service-to-service identity (deploy/README.md#service-identity-keys): one machine, one key set, the tests too
  export DEVLOOP_IDENTITY_DIR="${DEVLOOP_IDENTITY_DIR:-$STATE_DIR/identity}"
  # Model provider settings are the user's: passed through only when set.
  local v
  for v in DEVLOOP_OPENAI_BASE_URL DEVLOOP_OPENAI_API_KEY DEVLOOP_OPENAI_MODEL \
    DEVLOOP_ANTHROPIC_BASE_URL DEVLOOP_ANTHROPIC_API_KEY DEVLOOP_GEMINI_BASE_URL DEVLOOP_GEMINI_API_KEY \
    DEVLOOP_LOCAL_MODEL_PATH DEVLOOP_LOCAL_THREADS \
    DEVLOOP_VERTEX_PROJECT DEVLOOP_VERTEX_LOCATION DEVLOOP_VERTEX_ACCESS_TOKEN DEVLOOP_VERTEX_MODEL \
    DEVLOOP_ANTHROPIC_THINKING_BUDGET_TOKENS DEVLOOP_GEMINI_THINKING_INCLUDE_THOUGHTS \
    DEVLOOP_GEMINI_THINKING_BUDGET_TOKENS DEVLOOP_VERTEX_THINKING_INCLUDE_THOUGHTS DEVLOOP_VERTEX_THINKING_BUDGET_TOKENS \
    DEVLOOP_GIT_AUTHOR_EMAIL DEVLOOP_GITHUB_TOKEN GOOGLE_APPLICATION_CREDENTIALS; do
    [[ -n ${!v:-} ]] && export "${v?}"
  done
  return 0
}

print_devloop_env() {
  local v
  for v in DEVLOOP_REDIS_URL DEVLOOP_MONGO_URL DEVLOOP_NEO4J_URI DEVLOOP_NEO4J_USER DEVLOOP_KAFKA_BOOTSTRAP \
    DEVLOOP_AGENT_SERVICE_URL DEVLOOP_KNOWLEDGE_SERVICE_URL DEVLOOP_TOOL_SERVICE_URL \
    DEVLOOP_PROVIDER_GATEWAY_URL DEVLOOP_GATEWAY_URL DEVLOOP_JWT_PUBLIC_KEY_LOCATION \
    DEVLOOP_JWT_ISSUER DEVLOOP_JWT_AUDIENCE DEVLOOP_IDENTITY_DIR DEVLOOP_OPENAI_BASE_URL DEVLOOP_OPENAI_MODEL; do
    [[ -n ${!v:-} ]] && printf '  %s=%s\n' "$v" "${!v}"
  done
  return 0
}

# Class archives (docs/scaling.md#benchmarks): each service's classes, parsed, verified (and on JDK 25+ linked, with
# the method profiles of a training run) once, mapped on later starts: less CPU to start (bench/run.sh start). On a
# runtime of JDK 25 or later (deploy/lib/java.sh) it is the JVM's AOT cache (JEP 483/514/515: -XX:AOTCacheOutput
# records, -XX:AOTCache maps; it needs the classes on the class path, hence quarkus.package.jar.type=aot-jar in the
# root pom), before that a dynamic AppCDS archive (-XX:ArchiveClassesAtExit / -XX:SharedArchiveFile). The archive is
# keyed by the packaged application (quarkus-run.jar, app/, quarkus/ and the project's own jars in lib/ by content,
# every file by name and size), its path and the JVM, so a rebuilt service or another JDK records a new one. A start
# without an archive records one: the JVM writes <key>.<aot|jsa>.rec when the service stops (down, restart; not on
# kill -9), and the next start promotes it once it is known whole (an archive cut short would crash the JVM: SIGBUS).
# DEVLOOP_SERVICE_CDS=0 turns this off; =map maps an archive that is there and never records one (short-lived
# stacks: a recording stop writes ~100 MB per service). DEVLOOP_CDS_DIR keeps the archives elsewhere than the state
# dir, so that stacks with their own state share them (deploy/devloop test's deploy tests do).
SERVICE_CDS="${DEVLOOP_SERVICE_CDS:-1}"
service_cds_dir() { cds_dir; }
service_app_key() { # svc [its java options, when the caller has read them already]
  local app opts=${2-$(service_java_opts "$1")}
  app="$(dirname "$(service_jar "$1")")"
  (
    cd "$app" || exit 1
    printf '%s\n' "$app" "$opts" # an archive holds the GC and heap layout it was made with
    service_java_identity
    find . -type f -printf '%P %s\n' | LC_ALL=C sort
    find quarkus-run.jar app quarkus lib -type f \( -path 'lib/*/dev.devloop.*' -o ! -path 'lib/*' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
  ) | sha256sum | cut -c1-16
}
# Which JVM: its release file (vendor, version, build), read rather than a `java -version` (~0.15 CPU s a start).
service_java_identity() {
  local home
  home=$(service_java_home)
  if [[ -n $home && -s $home/release ]]; then
    printf '%s\n' "$(readlink -f "$home")"
    cat "$home/release"
  else
    "$(service_java)" -version 2>&1
  fi
}
# aot (the JVM's AOT cache) on JDK 25+, jsa (dynamic AppCDS) before
service_cds_kind() {
  local home
  home=$(service_java_home)
  if [[ -n $home ]] && (($(java_home_major "$home") >= 25)); then printf aot; else printf jsa; fi
}
service_cds_archive() { # svc [its java options]
  printf '%s/%s-%s.%s' "$(service_cds_dir)" "$1" "$(service_app_key "$@")" "$(service_cds_kind)"
}
# A recorded archive is kept once it is known whole: an AOT cache when its training JVM logged that the assembly
# completed, a dynamic archive once a JVM maps it (exit 0). One cut short (the service was killed while writing it)
# is deleted and recorded again.
service_cds_promote() {
  local svc=$1 jsa=$2 whole=
  [[ -s $jsa.rec ]] || return 0
  if [[ $jsa == *.aot ]]; then
    whole=0
    grep -qsF "AOTCache creation is complete: $jsa.rec" "$(service_log "$svc")" "$(service_log "$svc").1" && whole=1
  fi
  cds_promote "$(service_java)" "$jsa" "$whole"
}
# The JVM options of a start: map the archive when there is one, record it otherwise (older archives of the
# service are removed then).
service_cds_opts() { # svc [its java options]
  [[ $SERVICE_CDS == 1 || $SERVICE_CDS == map ]] || return 0
  local jsa
  jsa=$(service_cds_archive "$@") || return 0
  service_cds_promote "$1" "$jsa"
  if [[ -s $jsa && $jsa == *.aot ]]; then
    printf -- '-XX:AOTCache=%s' "$jsa"
  elif [[ -s $jsa ]]; then
    printf -- '-XX:SharedArchiveFile=%s' "$jsa"
  elif [[ $SERVICE_CDS == 1 ]]; then
    mkdir -p "$(service_cds_dir)"
    rm -f "$(service_cds_dir)/$1-"*.jsa "$(service_cds_dir)/$1-"*.aot "$(service_cds_dir)/$1-"*.rec
    # -Xlog:…=off: the JVM lists every class it cannot archive (about 2 000 lines) otherwise
    if [[ $jsa == *.aot ]]; then
      printf -- '-XX:AOTCacheOutput=%s.rec -Xlog:aot=off -Xlog:cds=off' "$jsa"
    else
      printf -- '-XX:ArchiveClassesAtExit=%s.rec -Xlog:cds=off' "$jsa"
    fi
  fi
}

service_cds_label() { if [[ $(service_cds_kind) == aot ]]; then printf 'AOT cache'; else printf 'AppCDS'; fi; }

# One line before the services start: which map an archive and which record one.
services_cds_note() {
  [[ $SERVICE_CDS == 1 || $SERVICE_CDS == map ]] || { log "class archives off (DEVLOOP_SERVICE_CDS=0)"; return 0; }
  local svc jsa mapped=() recording=()
  for svc in "${SERVICES[@]}"; do
    jsa=$(service_cds_archive "$svc")
    service_cds_promote "$svc" "$jsa"
    if [[ -s $jsa ]]; then mapped+=("$svc"); elif [[ $SERVICE_CDS == 1 ]]; then recording+=("$svc"); fi
  done
  ((${#mapped[@]} == 0)) || log "$(service_cds_label): mapping the class archive of ${mapped[*]} ($(rel "$(service_cds_dir)"))"
  ((${#recording[@]} == 0)) ||
    log "$(service_cds_label): recording the class archive of ${recording[*]}: written when they stop (deploy/devloop down), used by the next start"
  return 0
}

# knowledge-service holds the in-process embedding model on top of its heap
service_heap() {
  [[ $1 == knowledge-service ]] && printf -- '-Xmx%s' "${DEVLOOP_KNOWLEDGE_HEAP:-768m}"
  return 0
}

service_ready() {
  # no process substitution in this polling loop's probe: in bench/start.sh bash once stayed in wait4(-1) after one,
  # waiting for the service's JVM (its child) instead of polling
  if mtls_on; then
    curl -fsS --max-time 5 --cacert "$MTLS_DIR/ca/ca.crt" -o /dev/null \
      "$(service_scheme)://127.0.0.1:$1/q/health/ready" 2>/dev/null
  else
    http_get_ok "$1" /q/health/ready
  fi
}

# A service's start in two steps: service_prepare computes its command line (its options, the class archive: a
# key hashed over the packaged application, ~0.3 CPU s) into SERVICE_CMD; service_launch spawns it. `up` prepares
# all five before it spawns the first: prepared between spawns, on a 2-core box already busy with the first JVMs'
# starts, the later services were spawned 2-3 s apart (bench/start.sh, stop 29).
declare -A SERVICE_CMD
service_prepare() { # svc port
  local svc=$1 port=$2
  local mtls_env sasl_env warmup_env malloc_env java_opts cds_opts
  mapfile -t mtls_env < <(mtls_service_env "$svc" "$port")
  mapfile -t sasl_env < <(kafka_sasl_service_env "$svc") # DEVLOOP_KAFKA_SASL=1: the chart's SCRAM env for its pod
  java_opts=$(service_java_opts "$svc")
  cds_opts=$(service_cds_opts "$svc" "$java_opts")
  mapfile -t warmup_env < <(service_warmup_env "$svc" "$cds_opts")
  mapfile -t malloc_env < <(service_malloc_env "$svc")
  # each service creates its own key in the shared key set when it has none (a cluster mounts them instead)
  local cmd
  # shellcheck disable=SC2206,SC2207 # options are word-split on purpose
  cmd=(env QUARKUS_HTTP_PORT="$port" DEVLOOP_IDENTITY_GENERATE=true "${mtls_env[@]}" "${sasl_env[@]}" "${warmup_env[@]}"
    "${malloc_env[@]}"
    "$(service_java)" $(service_java_runtime_opts) $java_opts $(service_heap "$svc") $cds_opts "$(service_marker "$svc")"
    -Ddevloop.state="$STATE_DIR" $(service_config_opts "$svc") -jar "$(service_jar "$svc")")
  SERVICE_CMD[$svc]=$(printf '%q ' "${cmd[@]}")
}

service_launch() { # svc port: spawns the command service_prepare computed (prepares it first when it has not)
  local svc=$1 port=$2 cmd
  [[ -n ${SERVICE_CMD[$svc]:-} ]] || service_prepare "$svc" "$port"
  eval "cmd=(${SERVICE_CMD[$svc]})"
  unset "SERVICE_CMD[$svc]"
  rotate_log "$(service_log "$svc")"
  spawn "$(service_pidfile "$svc")" "$(service_log "$svc")" "${cmd[@]}"
  printf '%s' "$port" >"$(service_portfile "$svc")"
}

# provider-gateway's hot-path warm-up (HotPathWarmup: up to 4 000 calls to its own endpoint over 8 loopback
# connections, bounded by 15 s; readiness DOWN meanwhile) costs 10–20 CPU s, as much as the other four starts together
# (docs/scaling.md, stack start). A start that maps an AOT cache
# skips it: the cache was recorded by a start that ran the whole warm-up and holds its method profiles (JEP 515), so
# the JIT compiles the hot path at its first calls. A start that records (or runs on JDK < 25) warms up as before;
# DEVLOOP_PROVIDER_WARMUP, when set, decides instead.
service_warmup_env() { # svc cds-opts → env assignments, one per line
  [[ $1 == provider-gateway && -z ${DEVLOOP_PROVIDER_WARMUP:-} && $2 == *-XX:AOTCache=* ]] || return 0
  printf 'DEVLOOP_PROVIDER_WARMUP=false\n'
}

# tool-service reads the operator's repository configuration (deploy/lib/demo-repo.sh writes the demo's) from
# $STATE_DIR/tool-service.properties; DEVLOOP_TOOL_SERVICE_CONFIG names another file instead.
service_config_opts() {
  local file=${DEVLOOP_TOOL_SERVICE_CONFIG:-$STATE_DIR/tool-service.properties}
  if [[ $1 == tool-service && -f $file ]]; then
    printf -- '-Dquarkus.config.locations=%s' "$file"
  fi
}

service_await() {
  local svc=$1 port=$2 pid
  # Twice a second: each probe runs every health check (a wrong Neo4j password probed too often
  # makes Neo4j lock the user out for a while).
  # shellcheck disable=SC2034 # read by wait_for
  local WAIT_INTERVAL=0.5
  pid=$(read_pid "$(service_pidfile "$svc")")
  if ! wait_for "$svc ($(service_scheme)://127.0.0.1:$port/q/health/ready)" "$SERVICE_TIMEOUT" "$(service_log "$svc")" "$pid" \
    service_ready "$port"; then
    printf 'devloop: error: service %s did not become ready (log: %s)\n' "$svc" "$(rel "$(service_log "$svc")")" >&2
    return 1
  fi
}

service_stop() {
  local timeout=30 pid
  # a JVM recording its class archive writes it after the service has stopped (an AOT cache in a child JVM it
  # waits for): give it the time (a loaded machine took over 30 s for knowledge-service), since a JVM killed
  # meanwhile leaves no archive
  local cmdline
  pid=$(service_pid "$1") && cmdline=$(pid_cmdline "$pid") &&
    [[ $cmdline == *ArchiveClassesAtExit* || $cmdline == *AOTCacheOutput* ]] && timeout=120
  stop_pid "$1" "$(service_pidfile "$1")" "$(service_marker "$1")" "$timeout"
}

build_services() {
  if [[ ${DEVLOOP_SKIP_BUILD:-0} == 1 ]]; then
    log "DEVLOOP_SKIP_BUILD=1: not building"
    return 0
  fi
  local mvn t0
  mvn=$(mvn_cmd)
  t0=$(now_ms)
  log "building the services ($mvn -B -q package -DskipTests; a few minutes the first time)"
  (cd "$ROOT" && "$mvn" -B -q package -DskipTests) || die "the build failed (see the Maven output above)"
  log "built in $(since "$t0")"
}

# deploy/devloop up
# The local forge's demo repository (docs/delivery.md): the bare seed repository from deploy/demo-repo and the
# operator's configuration naming it `demo`, with ./check.sh as its check command. A file the operator wrote
# (DEVLOOP_TOOL_SERVICE_CONFIG) is left alone.
demo_forge_configure() {
  [[ -n ${DEVLOOP_TOOL_SERVICE_CONFIG:-} ]] && return 0
  require git
  local seed="$STATE_DIR/forge/seed/demo.git"
  mkdir -p "$(dirname "$seed")"
  demo_repo_seed "$seed" || die "could not create the demo repository at $(rel "$seed")"
  cat >"$STATE_DIR/tool-service.properties" <<EOF
# written by deploy/devloop up: the local forge's demo repository (docs/delivery.md)
devloop.tools.git.remotes.demo.url=$seed
devloop.tools.git.remotes.demo.default-branch=main
devloop.tools.forge.repositories.demo.kind=local
devloop.tools.forge.repositories.demo.check-command=./check.sh
devloop.tools.forge.local.root=$STATE_DIR/forge/repos
EOF
}

devloop_up() {
  if any_service_running; then
    log "Devloop is already running (see deploy/devloop status); run deploy/devloop down first"
    exit 1
  fi
  require java curl openssl
  servers_up
  ensure_keys
  build_services

  local svc missing=0
  for svc in "${SERVICES[@]}"; do
    if [[ ! -f $(service_jar "$svc") ]]; then
      printf 'devloop: error: %s is not built: %s is missing\n' "$svc" "$(rel "$(service_jar "$svc")")" >&2
      missing=1
    fi
  done
  ((missing == 0)) || die "build the services first (./mvnw package -DskipTests), or run deploy/devloop up without DEVLOOP_SKIP_BUILD=1"
  for svc in "${SERVICES[@]}"; do
    ensure_port_free "$(service_port "$svc")" "$(service_port_var "$svc")"
  done

  demo_forge_configure
  export_devloop_env
  mtls_prepare
  mkdir -p "$(service_dir)"
  services_cds_note
  local t0
  t0=$(now_ms)
  for svc in "${SERVICE_START_ORDER[@]}"; do service_prepare "$svc" "$(service_port "$svc")"; done
  for svc in "${SERVICE_START_ORDER[@]}"; do
    service_launch "$svc" "$(service_port "$svc")"
    log "$svc: starting on 127.0.0.1:$(service_port "$svc") (pid $(read_pid "$(service_pidfile "$svc")")); log: $(rel "$(service_log "$svc")")"
  done
  for svc in "${SERVICE_START_ORDER[@]}"; do
    if ! service_await "$svc" "$(service_port "$svc")"; then
      log "stopping the services again (servers stay up; logs stay in $(rel "$(service_dir)"))"
      local other
      for other in "${SERVICES[@]}"; do service_stop "$other" >/dev/null || true; done
      exit 1
    fi
    log "$svc: ready"
  done

  local gw curl_opts
  gw="$(service_scheme)://127.0.0.1:$(service_port api-gateway)"
  mapfile -t curl_opts < <(service_curl_opts)
  # The gateway routes around a sibling its background probe last saw not ready (503 + Retry-After); a sibling that
  # became ready a moment ago (provider-gateway's warm-up, say) may still be cached as down: "up" means it serves.
  local settle_deadline=$(($(date +%s) + ${DEVLOOP_SETTLE_TIMEOUT:-60}))
  until curl -fsS --max-time 5 "${curl_opts[@]}" -o /dev/null "$gw/q/health/group/dependencies" 2>/dev/null; do
    if (($(date +%s) >= settle_deadline)); then
      warn "the gateway still reports a dependency down ($gw/q/health/group/dependencies); its routes answer 503 until it recovers"
      break
    fi
    sleep 0.5
  done
  cat <<EOF

Devloop is up in $(since "$t0") (services) at $gw
  status:     deploy/devloop status
  logs:       deploy/devloop logs <service|server>   ($(rel "$(service_dir)")/<service>.log)
  stop:       deploy/devloop down

Get a token (RS256, signed with $(rel "$KEYS_DIR/jwt-private.pem")):
  deploy/devloop token --tenant acme --roles operator

Try it:
  curl -H "Authorization: Bearer \$(deploy/devloop token --tenant acme --roles operator)" \\
       -H 'Content-Type: application/json' \\
       -d '{"input":"Remember that the build server is healthy"}' \\
       '$gw/api/v1/agents/assistant/runs?wait=true'
EOF
  if [[ -z ${DEVLOOP_OPENAI_BASE_URL:-} && -z ${DEVLOOP_OPENAI_API_KEY:-} ]]; then
    printf '\n'
    warn "DEVLOOP_OPENAI_BASE_URL is not set: agent runs will fail with a clear error until it is (set it, plus DEVLOOP_OPENAI_API_KEY and DEVLOOP_OPENAI_MODEL, then deploy/devloop down && deploy/devloop up)"
  fi
}

# deploy/devloop down
devloop_down() { # [--services]: the servers keep running
  [[ -z ${1:-} || $1 == --services ]] || die "down takes no argument but --services"
  local svc stopped=0 pids=()
  # all at once: each waits for its own JVM (one writing its AppCDS archive takes a while), not for the others
  for svc in "${SERVICES[@]}"; do
    if service_pid "$svc" >/dev/null; then
      service_stop "$svc" &
      pids+=($!)
      stopped=$((stopped + 1))
    elif [[ -e $(service_pidfile "$svc") ]]; then
      rm -f "$(service_pidfile "$svc")"
    fi
  done
  local p
  for p in "${pids[@]}"; do wait "$p" || true; done
  if ((stopped == 0)) && { [[ ${1:-} == --services ]] || ! any_server_running; }; then
    log "nothing is running"
    return 0
  fi
  ((stopped > 0)) || log "no service is running"
  [[ ${1:-} == --services ]] || servers_down
}

services_status() {
  local svc pid port state ready
  for svc in "${SERVICES[@]}"; do
    if pid=$(service_pid "$svc"); then
      port=$(cat "$(service_portfile "$svc")" 2>/dev/null || service_port "$svc")
      state=running
      if service_ready "$port"; then ready=ready; else ready="NOT ready"; fi
    else
      pid=-
      port=$(service_port "$svc")
      state=stopped
      ready=-
    fi
    printf '%-18s %-8s pid %-8s port %-12s %-14s log %s\n' "$svc" "$state" "$pid" "$port" "$ready" \
      "$(rel "$(service_log "$svc")")"
  done
}

# deploy/devloop restart <service>
devloop_restart() {
  local svc=${1:-}
  [[ -n $svc ]] || die "usage: deploy/devloop restart <service> (${SERVICES[*]})"
  is_service "$svc" || die "unknown service '$svc' (services: ${SERVICES[*]})"
  require java curl
  [[ -f $(service_jar "$svc") ]] || die "$svc is not built: $(rel "$(service_jar "$svc")") is missing"
  local port
  port=$(cat "$(service_portfile "$svc")" 2>/dev/null || service_port "$svc")
  if service_pid "$svc" >/dev/null; then
    service_stop "$svc"
  else
    log "$svc was not running; starting it"
  fi
  ensure_port_free "$port" "$(service_port_var "$svc")"
  demo_forge_configure
  export_devloop_env
  mtls_prepare
  mkdir -p "$(service_dir)"
  local t0
  t0=$(now_ms)
  service_launch "$svc" "$port"
  service_await "$svc" "$port" || exit 1
  log "$svc: restarted (pid $(read_pid "$(service_pidfile "$svc")")) on 127.0.0.1:$port, ready in $(since "$t0")"
}

# The dashboard test drives Debian's chromium through playwright-core; without it that one test skips.
browser_install() {
  command -v chromium >/dev/null 2>&1 && return 0
  (apt_install chromium fonts-liberation) || warn "chromium could not be installed: the dashboard browser test will be skipped"
}

# deploy/devloop test [maven args]
# Maven's module tests use about one core of two, so the deploy tests and the whole-stack scenarios (private
# servers, other ports) run beside them from a packaged COPY of the tree: Maven's own package steps rewrite
# target/quarkus-app under a running stack otherwise. With maven args (one module, one test) only Maven runs,
# the scenarios module included.
devloop_test() {
  require java curl openssl
  local mvn
  mvn=$(mvn_cmd)
  trap stop_started_servers EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  devloop_chart
  # the run's own servers stop only at its end, where recording their class archives would only lengthen the stop
  # shellcheck disable=SC2034 # read by server_cds_opts (deploy/lib/servers.sh)
  SERVER_CDS=map
  servers_up
  browser_install
  ensure_keys
  export_devloop_env
  export MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m}"
  local lane_pid="" lane_dir="$STATE_DIR/deploy-tests" maven_args=("$@")
  if ((!$#)); then
    # the lane runs them (deploy/test/scenarios.sh) unless the deploy tests are off
    [[ ${DEVLOOP_TEST_DEPLOY:-1} == 1 ]] && maven_args=(-pl '!scenarios')
    rm -rf "$lane_dir" && mkdir -p "$lane_dir"
    log "the deploy tests and the native-image sources run beside Maven, from copies of the tree (logs: $(rel "$lane_dir"))"
    deploy_lane "$mvn" "$lane_dir" >"$lane_dir/lane.log" 2>&1 &
    lane_pid=$!
  fi
  log "running: $mvn -B verify ${maven_args[*]} (servers: redis :$REDIS_PORT, kafka :$KAFKA_PORT, neo4j :$NEO4J_BOLT_PORT, mongo :$MONGO_PORT)"
  local rc=0 lane_rc=0
  (cd "$ROOT" && "$mvn" -B verify "${maven_args[@]}") || rc=$?
  if [[ -z $lane_pid ]]; then
    ((rc == 0)) || { warn "maven exited with $rc"; exit "$rc"; }
    log "tests passed (maven args given: the deploy tests and the native-sources step run only with none)"
    exit 0
  fi
  if ((rc != 0)); then
    : >"$lane_dir/stop" # the lane ends after the deploy test in progress (its servers are stopped by that test)
    log "maven exited with $rc; waiting for the deploy test in progress to end"
  fi
  wait "$lane_pid" || lane_rc=$?
  deploy_lane_report "$lane_dir"
  ((rc == 0)) || { warn "maven exited with $rc"; exit "$rc"; }
  ((lane_rc == 0)) || { warn "the deploy tests or the native-image sources failed (logs: $(rel "$lane_dir"))"; exit 1; }
  log "tests passed and native-image sources generated for: ${SERVICES[*]}"
  exit 0
}

# The deploy half of `test`: package the services in a copy of the tree, then the deploy tests and the scenarios
# from that copy, the native-image sources built beside the first two (servers only, no service: they mostly wait
# on disk).
deploy_lane() {
  local mvn=$1 dir=$2 tree="$STATE_DIR/deploy-tree" native_pid t0 t modules
  local early=(redis-persistence.sh backup-restore.sh)
  # stack-backup-restore first: its first stack records the services' AOT caches, which every later stack maps, the
  # scenarios' too (lane_scenario_caches)
  local late=(stack-backup-restore.sh fault-suite.sh mtls-stack.sh scenarios.sh kafka-sasl-stack.sh)
  [[ ${DEVLOOP_TEST_DEPLOY:-1} == 1 ]] || early=() late=()
  if ((${#early[@]} + ${#late[@]})); then
    modules=$(
      IFS=,
      printf '%s' "${SERVICES[*]}"
    )
    t0=$(now_ms)
    copy_tree "$tree" && (cd "$tree" && "$mvn" -B -q -pl "$modules" -am package -DskipTests) >"$dir/package.log" 2>&1 ||
      { log "FAILED: packaging the services in $(rel "$tree") (log: $(rel "$dir/package.log"))"; return 1; }
    log "packaged the services in $(rel "$tree") in $(since "$t0")"
    # the helm that the chart check fetched (the copy has no .devloop)
    for t in "$STATE_DIR"/tools/helm-*/helm; do [[ -x $t ]] && export DEVLOOP_HELM=$t && break; done
  fi
  # what an interrupted earlier run left on the shared servers' state
  lane_shared_servers_down "$tree" "$dir" && rm -rf "$(lane_shared_state)"
  t0=$(now_ms)
  (native_sources "$mvn" "$STATE_DIR/native-build" >"$dir/native-sources.log" 2>&1 &&
    echo "native-sources done in $(since "$t0") (in $(rel "$STATE_DIR/native-build"))" >>"$dir/native-sources.log") &
  native_pid=$!
  for t in "${early[@]}"; do deploy_test "$tree" "$t" "$dir" || { kill "$native_pid" 2>/dev/null; return 1; }; done
  if ! wait "$native_pid"; then
    log "FAILED: the native-image sources of a service could not be generated (log: $(rel "$dir/native-sources.log"))"
    return 1
  fi
  log "$(tail -n 1 "$dir/native-sources.log")"
  local rc=0
  local shared_up=0
  for t in "${late[@]}"; do
    if [[ $LANE_SHARED_SERVER_TESTS == *" $t "* ]]; then
      shared_up=1
    elif ((shared_up)); then # the shared servers hold the stack tests' ports: stopped before another test takes them
      lane_shared_servers_down "$tree" "$dir"
      shared_up=0
    fi
    deploy_test "$tree" "$t" "$dir" || { rc=1 && break; }
  done
  ((shared_up)) && lane_shared_servers_down "$tree" "$dir"
  return "$rc"
}

# The whole-stack tests that run on ONE set of private servers, in this order: each stops only its services
# (DEVLOOP_TEST_SHARED_SERVERS, deploy/test/stack.sh) and uses its own tenants; stack-backup-restore wipes and
# restores the stores before the others see them. Kafka SASL needs a broker of its own.
LANE_SHARED_SERVER_TESTS=" stack-backup-restore.sh fault-suite.sh mtls-stack.sh "
lane_shared_state() { printf '%s/deploy-tests-stack' "$STATE_DIR"; }
lane_shared_servers_down() {
  [[ -d $(lane_shared_state) ]] || return 0
  (unset DEVLOOP_REDIS_PORT DEVLOOP_KAFKA_PORT DEVLOOP_MONGO_PORT DEVLOOP_NEO4J_BOLT_PORT DEVLOOP_NEO4J_HTTP_PORT \
    DEVLOOP_KAFKA_CONTROLLER_PORT
    DEVLOOP_STATE_DIR=$(lane_shared_state) "$1/deploy/devloop" down) >>"$2/shared-servers.log" 2>&1 || true
}

# Each deploy test installs the servers into its own state dir: Kafka's and Neo4j's jars copied by Maven and the
# mongo launcher built, ~70 s of Maven per state dir on a loaded box, four times a run. devloop_test's own
# `servers up` has installed them in $STATE_DIR: the lane copies them into each test's state dir with the install's
# own stamps, which `servers up` checks as before (a changed pom installs again). Jars only, never data.
LANE_SERVER_JARS=(kafka/lib kafka/tools neo4j/lib mongo/lib)
lane_share_server_jars() { # from-state-dir to-state-dir: the installed server jars $2 lacks
  local part
  for part in "${LANE_SERVER_JARS[@]}"; do
    [[ -s $1/servers/$part/.devloop-stamp && ! -e $2/servers/$part ]] || continue
    mkdir -p "$(dirname "$2/servers/$part")" && rm -rf "$2/servers/$part.tmp" &&
      cp -a "$1/servers/$part" "$2/servers/$part.tmp" && mv "$2/servers/$part.tmp" "$2/servers/$part" ||
      rm -rf "$2/servers/$part.tmp"
  done
  return 0
}
# The state dir a deploy test of the tree at $1 runs on: the shared one, or the script's own default (set explicitly).
lane_test_state() {
  if [[ $LANE_SHARED_SERVER_TESTS == *" $2 "* ]]; then
    lane_shared_state
    return 0
  fi
  case $2 in
    scenarios.sh) printf '%s/.devloop/scenario-servers' "$1" ;;
    kafka-sasl-stack.sh) printf '%s/devloop-kafka-sasl' "${TMPDIR:-/tmp}" ;;
    *) printf '%s/devloop-deploy-test' "${TMPDIR:-/tmp}" ;; # deploy/test/lib.sh's
  esac
}

# One deploy/test script of the tree at $1 on its own private servers (none of the stack's variables leak into it).
deploy_test() {
  local tree=$1 t=$2 dir=$3 t0 state
  [[ -e $dir/stop ]] && { log "skipped deploy/test/$t (maven failed)"; return 1; }
  t0=$(now_ms)
  state=$(lane_test_state "$tree" "$t")
  lane_share_server_jars "$STATE_DIR" "$state"
  (unset DEVLOOP_STATE_DIR DEVLOOP_REDIS_PORT DEVLOOP_KAFKA_PORT DEVLOOP_MONGO_PORT DEVLOOP_NEO4J_BOLT_PORT \
    DEVLOOP_REDIS_URL DEVLOOP_MONGO_URL DEVLOOP_NEO4J_URI DEVLOOP_KAFKA_BOOTSTRAP DEVLOOP_NEO4J_HTTP_PORT \
    DEVLOOP_KAFKA_CONTROLLER_PORT
    # one archive dir for all of them: the first stack records, the later ones map (their starts are 2-3x cheaper)
    export DEVLOOP_CDS_DIR="$STATE_DIR/cds-deploy-tests"
    # beside Maven's tests a server (re)start shares the CPU: bound its readiness wait wider than alone (90 s)
    export DEVLOOP_SERVER_TIMEOUT="${DEVLOOP_SERVER_TIMEOUT:-180}"
    export DEVLOOP_STATE_DIR=$state
    if [[ $LANE_SHARED_SERVER_TESTS == *" $t "* ]]; then export DEVLOOP_TEST_SHARED_SERVERS=1; fi
    if [[ $t == scenarios.sh ]]; then
      export DEVLOOP_SCENARIOS_AOT_CACHES
      DEVLOOP_SCENARIOS_AOT_CACHES=$(lane_scenario_caches "$tree")
    fi
    "$tree/deploy/test/$t") >"$dir/${t%.sh}.log" 2>&1 || {
    log "FAILED: deploy/test/$t after $(since "$t0")"
    return 1
  }
  log "deploy/test/$t passed in $(since "$t0")"
}

# The AOT caches the lane's stack tests recorded for the services of the tree at $1 (DEVLOOP_CDS_DIR), as
# module=file,...: the scenarios' launcher maps them instead of recording caches of its own (scenarios ServiceJvm; a
# cache holds the class path it was made for, not the heap, GC or JIT options, which the scenarios set their own way).
lane_scenario_caches() {
  (
    # shellcheck disable=SC2030 # the tree's services, in this subshell only
    ROOT=$1
    local svc jsa found=()
    for svc in "${SERVICES[@]}"; do
      jsa=$(service_cds_archive "$svc") || continue
      [[ $jsa == *.aot && -s $jsa ]] && found+=("$svc=$jsa")
    done
    IFS=,
    printf '%s' "${found[*]}"
  )
}

# Every deploy test's output, then the lane's own lines (which test passed, in how long).
deploy_lane_report() {
  local dir=$1 f
  for f in "$dir"/*.log; do
    [[ $f == */lane.log || $f == */package.log || $f == */native-sources.log ]] && continue
    printf '\n==== %s ====\n' "$(rel "$f")"
    cat "$f"
  done
  if grep -q FAILED "$dir/lane.log"; then
    for f in package native-sources; do [[ -s $dir/$f.log ]] && printf '\n==== %s (last 40 lines) ====\n' "$(rel "$dir/$f.log")" && tail -n 40 "$dir/$f.log"; done
  fi
  printf '\n==== the deploy tests (beside Maven) ====\n'
  cat "$dir/lane.log"
}

# A copy of the tree at $1 without .git, state or build output.
copy_tree() {
  local dir=$1
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  (cd "$ROOT" && tar --exclude=./.git --exclude=./.devloop --exclude=./target --exclude='./*/target' \
    --exclude="./$(basename "$STATE_DIR")" -cf - .) | (cd "$dir" && tar -xf -)
}

# Runs the whole Quarkus native build up to (not including) native-image: reflection, resources,
# proxies and substitutions are all computed, and target/native-sources holds the compiler's input.
# With a second argument it builds in that directory, a fresh copy of the tree (no target/, no state, no .git).
native_sources() {
  local mvn=$1 dir=${2:-$ROOT} modules
  modules=$(
    IFS=,
    printf '%s' "${SERVICES[*]}"
  )
  if [[ $dir != "$ROOT" ]]; then
    copy_tree "$dir" || return 1
  fi
  (cd "$dir" && "$mvn" -B -q -pl "$modules" -am package -Pnative -Dquarkus.native.sources-only=true -DskipTests) || return 1
  local service
  for service in "${SERVICES[@]}"; do
    [[ -f $dir/$service/target/native-sources/native-image.args ]] || { warn "$service: no target/native-sources/native-image.args"; return 1; }
  done
}

# deploy/devloop native
devloop_native() {
  require java
  local mvn modules
  mvn=$(mvn_cmd)
  modules=$(
    IFS=,
    printf '%s' "${SERVICES[*]}"
  )
  if command -v native-image >/dev/null 2>&1; then
    log "building native executables for: ${SERVICES[*]}"
    (cd "$ROOT" && "$mvn" -B -pl "$modules" -am package -Pnative -DskipTests)
  else
    log "native-image is not on PATH: generating the native-image sources only (-Dquarkus.native.sources-only=true; build them later where GraalVM/Mandrel is installed)"
    native_sources "$mvn" && log "native-image sources in <service>/target/native-sources (native-image.args + the runner jar)"
  fi
}
