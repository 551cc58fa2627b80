#!/usr/bin/env bash
# provider-gateway vs Portkey (issue #16 goal 2), one run, one box. Same instant OpenAI-shaped stub (bench/stub.mjs,
# node, 127.0.0.1) behind both; POST /v1/chat/completions at 1, 50 and 200 connections with wrk:
#   direct  — the stub itself (the ceiling),
#   fresh   — each gateway freshly started for each point, measured over its first BENCH_FRESH_SECONDS (10) after
#             it reports ready (provider-gateway: /q/health/ready, which waits for its warm-up; Portkey: port open),
#   warmed  — one process each, BENCH_WARM_SECONDS (60) of load at 50 connections first, then BENCH_SECONDS (10) a point.
# Prints req/s, p50, p99, resident memory (max VmRSS from /proc during the point), each fresh point's CPU ms per request
# (the process's user + system time over it; and the local MongoDB stand-in's, which the gateway's usage ledger
# writes to on the same cores) and the ratios, and with BENCH_OUT
# set writes $BENCH_OUT/provider-gateway.md (| measure | devloop | baseline | ratio |). Bounded: about 4 minutes.
# BENCH_CONNS ("1 50 200") and BENCH_TARGETS ("portkey gateway") run a subset, e.g. the 1-connection point alone.
# BENCH_JAR runs another build (a copy), BENCH_JVM_OPTIONS another flags file (default provider-gateway/jvm.options).
# Starts everything it needs on 127.0.0.1, stops by pid what it started. Needs Redis/Mongo/Kafka from
# `deploy/devloop servers up`; installs wrk/node (apt) and Portkey (npm, under .devloop/bench/portkey) when missing.
# provider-gateway (and the IdentityCli that mints its tokens) runs on the services' runtime, as deploy/devloop runs
# it (deploy/lib/java.sh: the newest JDK >= 21, DEVLOOP_SERVICE_JAVA_HOME overrides), with the flags in
# provider-gateway/jvm.options and a class archive built by a training run on first use, as deploy/devloop up gives
# the services one: the JVM's AOT cache on JDK 25+, an AppCDS archive before (BENCH_AOT=0: AppCDS on 25 too)
# (.devloop/bench/provider-gateway-jdk<major>-<jar path hash>.<aot|jsa>; rebuilt when the jar is newer).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
fresh_secs="${BENCH_FRESH_SECONDS:-10}"
secs="${BENCH_SECONDS:-10}"
warm_secs="${BENCH_WARM_SECONDS:-60}"
# BENCH_CONNS / BENCH_TARGETS: a subset (e.g. BENCH_CONNS=1 BENCH_TARGETS=gateway to chase one point)
read -r -a conns <<< "${BENCH_CONNS:-1 50 200}"
read -r -a targets <<< "${BENCH_TARGETS:-portkey gateway}"
stub_port="${BENCH_STUB_PORT:-28099}"
gw_port="${BENCH_GATEWAY_PORT:-28084}"
pk_port="${BENCH_PORTKEY_PORT:-28787}"
portkey_version="${BENCH_PORTKEY_VERSION:-1.15}"
bench_dir="$root/.devloop/bench"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# tools (a fresh machine): wrk and node from apt, Portkey from npm into .devloop/bench/portkey
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -q && apt-get install -y -q "${missing[@]}"; fi
portkey="$bench_dir/portkey/node_modules/@portkey-ai/gateway/build/start-server.js"
if [ ! -f "$portkey" ]; then
  mkdir -p "$bench_dir/portkey"
  npm install --prefix "$bench_dir/portkey" --no-audit --no-fund "@portkey-ai/gateway@$portkey_version" >&2
fi
pk_version="$(node -p "require('$bench_dir/portkey/node_modules/@portkey-ai/gateway/package.json').version")"

jar="${BENCH_JAR:-$module/target/quarkus-app/quarkus-run.jar}" # BENCH_JAR: a copy, to build while it runs
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -B -q -o -pl provider-gateway package -DskipTests)
fi
# shellcheck source=../../deploy/lib/java.sh
source "$root/deploy/lib/java.sh"
java_bin="$(service_java)"
read -r -a runtime_opts <<< "$(service_java_runtime_opts)"
# BENCH_JVM_OPTIONS: another flags file (the previous flags, to compare two builds each with its own)
read -r -a jvm_flags <<< "$(sed -e 's/#.*//' "${BENCH_JVM_OPTIONS:-$module/jvm.options}" | tr '\n' ' ')"
# BENCH_GATEWAY_OPTS: extra JVM flags for the gateway only (a JFR recording, a flag under trial)
read -r -a extra_flags <<< "${BENCH_GATEWAY_OPTS:-}"
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
# JDK 25+: compact object headers (JEP 519; 8-byte headers, a smaller heap for the same data)
if [ "${java_major%%.*}" -ge 25 ] 2>/dev/null; then jvm_flags+=(-XX:+UseCompactObjectHeaders); fi
echo "runtime: $java_bin: $("$java_bin" -version 2>&1 | head -2 | tr "\n" " ")"

# the usage records of earlier runs go first (hundreds of thousands a run; 2.75 M after a day of runs had grown the
# MongoDB stand-in's store to 2.9 GB): the bench's database holds one run's records. MongoDropDatabase refuses any
# name outside bench_…; the services' databases are never touched.
bench_db="${BENCH_DB_PREFIX:-bench_}devloop_providers"
mongo_lib="$root/.devloop/servers/mongo/lib"
if compgen -G "$mongo_lib/devloop-mongo-launcher-*.jar" >/dev/null && [[ $bench_db == bench_* ]]; then
  java -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$mongo_lib/*" \
    dev.devloop.deploy.mongo.MongoDropDatabase "${DEVLOOP_MONGO_URL:-mongodb://127.0.0.1:27017}" "$bench_db" ||
    echo "could not drop $bench_db (the usage records of earlier runs stay)" >&2
fi

# service identity: the gateway verifies a cell token on /v1/*; the bench signs as cell member devloop-bench with a
# key in its own key dir (the gateway creates its key there too), a fresh token (4 min) for every load point
ident_dir="$bench_dir/identity"
mint() {
  echo "Bearer $("$java_bin" "${runtime_opts[@]}" -cp "$(dirname "$jar")/lib/main/*" \
    dev.devloop.contracts.identity.IdentityCli token \
    "$ident_dir" devloop-bench provider-gateway bench 240 2>/dev/null)"
}
mint > /dev/null || { echo "cannot mint a cell token with contracts' IdentityCli (lib/main of $jar)" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
node "$here/stub.mjs" "$stub_port" > "$work/stub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do curl -s -o /dev/null -m 1 "http://127.0.0.1:$stub_port/health" && break; sleep 0.25; done

# the bench's hundreds of thousands of usage records go to their own database (bench_devloop_providers), not the
# one the tests and the stack read (BENCH_DB_PREFIX)
gw_cmd() { # extra java flags… → runs the gateway in front of the stub (exec: the pid is java's)
  # glibc: two malloc arenas, not 8 per core (a thread that mallocs may otherwise claim a 64 MB arena of its own)
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" \
    DEVLOOP_OPENAI_BASE_URL="http://127.0.0.1:$stub_port/v1" DEVLOOP_OPENAI_API_KEY="sk-bench" \
    DEVLOOP_IDENTITY_DIR="$ident_dir" DEVLOOP_IDENTITY_GENERATE=true \
    DEVLOOP_DB_PREFIX="${BENCH_DB_PREFIX:-bench_}" \
    exec "$java_bin" "${runtime_opts[@]}" "${jvm_flags[@]}" "${extra_flags[@]}" "$@" -Dquarkus.http.port="$gw_port" -Dquarkus.log.level=WARN \
    -Ddevloop.provider.bulkhead.max-concurrent=512 -jar "$jar"
}
pk_cmd() { # Portkey's node server; localhost.cjs binds it to 127.0.0.1 (it has no host flag)
  NODE_ENV=production exec node -r "$here/localhost.cjs" "$portkey" --port="$pk_port" --headless
}
up() { # url → 0 once anything answers there with 2xx (gateway readiness) or any HTTP status (Portkey)
  local code
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true)
  if [[ "$1" == *"/q/health"* ]]; then [ "$code" = 200 ]; else [ "$code" != 000 ] && [ -n "$code" ]; fi
}
started_pid=""; ready_ms=0
start() { # name → starts it, waits until ready (max 120 s); sets started_pid and ready_ms
  local t0 url
  t0=$(date +%s%N)
  case "$1" in
    gateway) (gw_cmd "${cds_flags[@]}") > "$work/gateway.log" 2>&1 & url="http://127.0.0.1:$gw_port/q/health/ready" ;;
    portkey) (pk_cmd) > "$work/portkey.log" 2>&1 & url="http://127.0.0.1:$pk_port/" ;;
  esac
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 1 480); do
    if up "$url"; then ready_ms=$(( ($(date +%s%N) - t0) / 1000000 )); return 0; fi
    kill -0 "$started_pid" 2>/dev/null || { echo "$1 exited; log:" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "$1 not ready after 120 s" >&2; exit 1
}
stop() { # pid [seconds to wait before SIGKILL, default 15]
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 $(( ${2:-15} * 4 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$1" 2>/dev/null || true
}

headers_of() {
  case "$1" in
    gateway) echo "X-Devloop-Tenant: bench;Authorization: $(mint)" ;;
    portkey) echo "x-portkey-provider: openai;x-portkey-custom-host: http://127.0.0.1:$stub_port/v1;Authorization: Bearer sk-bench" ;;
    direct) echo "" ;;
  esac
}
url_of() {
  case "$1" in
    gateway) echo "http://127.0.0.1:$gw_port/v1/chat/completions" ;;
    portkey) echo "http://127.0.0.1:$pk_port/v1/chat/completions" ;;
    direct) echo "http://127.0.0.1:$stub_port/v1/chat/completions" ;;
  esac
}
load() { # target connections seconds pid → "p50_us p99_us rps errors max_rss_kb"
  local threads=$(( $2 < 2 ? 1 : 2 )) rssf="$work/rss.$RANDOM"
  echo 0 > "$rssf"
  ( while kill -0 "$4" 2>/dev/null; do
      r=$(awk '/^VmRSS/ {print $2}' "/proc/$4/status" 2>/dev/null || echo 0)
      [ "${r:-0}" -gt "$(cat "$rssf")" ] && echo "$r" > "$rssf"
      sleep 0.5
    done ) & local sampler=$!
  local out
  out=$(BENCH_HEADERS="$(headers_of "$1")" wrk -t "$threads" -c "$2" -d "${3}s" --timeout 5s -s "$here/openai.lua" \
    "$(url_of "$1")" | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); printf "%s ", kv[2] } }')
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  echo "$out $(cat "$rssf")"
}

declare -A R # R[target,phase,conns] = "p50 p99 rps errors rss"
# CPU[target,conns] = the process's CPU ticks (user + system) over its fresh point: CPU per request tells a cold path
# from a busy box, which req/s at one connection cannot (it is latency-bound and moves with the load)
declare -A CPU
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# STORE[target,conns]: the same for the local MongoDB stand-in (deploy/devloop servers up's, when running): the
# gateway's usage ledger writes every answered call there, on the same two cores; Portkey stores nothing
store_pid="$(cat "$root/.devloop/servers/mongo/mongo.pid" 2>/dev/null || true)"
declare -A STORE
declare -A READY
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)  (2 shared cores; ratios matter, absolutes don't)"

# The class archive, from a training run (its warm-up and a short load run the hot path), once per jar, as
# deploy/devloop up gives the services one: on JDK 25+ the JVM's AOT cache (-XX:AOTCacheOutput records, -XX:AOTCache
# maps: classes loaded and linked, with the training run's method profiles, JEP 483/514/515), before that a dynamic
# AppCDS archive. An archive only maps into the JVM and the class path that wrote it: one per JDK and jar location.
# BENCH_APPCDS=0: no archive; BENCH_AOT=0 on JDK 25+: the AppCDS archive instead of the AOT cache.
kind=jsa
if [ "${java_major%%.*}" -ge 25 ] 2>/dev/null && [ "${BENCH_AOT:-1}" = 1 ]; then kind=aot; fi
cds="$bench_dir/provider-gateway-jdk$java_major-$(printf %s "$jar" | md5sum | cut -c1-8).$kind"
cds_flags=()
if [ "${BENCH_APPCDS:-1}" = 1 ]; then
  if [ ! -f "$cds" ] || [ "$jar" -nt "$cds" ] || [ "$(dirname "$jar")/app" -nt "$cds" ]; then
    rm -f "$cds"; mkdir -p "$bench_dir"
    if [ "$kind" = aot ]; then
      cds_flags=("-XX:AOTCacheOutput=$cds" -Xlog:aot=off -Xlog:cds=off)
    else
      cds_flags=("-XX:ArchiveClassesAtExit=$cds" -Xlog:cds=off)
    fi
    start gateway
    load gateway 10 5 "$started_pid" > /dev/null
    BENCH_STREAM=true load gateway 2 2 "$started_pid" > /dev/null
    stop "$started_pid" 300 # the archive is written at exit: slow on a loaded box
    [ -f "$cds" ] || { echo "no class archive was written; see the log above" >&2; exit 1; }
    echo "class archive built: $cds ($(du -m "$cds" | cut -f1) MB, training run ready after ${ready_ms} ms)"
  fi
  if [ "$kind" = aot ]; then cds_flags=("-XX:AOTCache=$cds"); else cds_flags=("-XX:SharedArchiveFile=$cds"); fi
fi

for c in "${conns[@]}"; do
  R[direct,fresh,$c]="$(load direct "$c" "$secs" "${pids[0]}")"
  for target in "${targets[@]}"; do
    start "$target"
    READY[$target]="${READY[$target]:-} $ready_ms"
    ticks=$(cpu_ticks "$started_pid"); store_ticks=$(cpu_ticks "${store_pid:-0}")
    R[$target,fresh,$c]="$(load "$target" "$c" "$fresh_secs" "$started_pid")"
    CPU[$target,$c]=$(( $(cpu_ticks "$started_pid") - ticks ))
    STORE[$target,$c]=$(( $(cpu_ticks "${store_pid:-0}") - store_ticks ))
    stop "$started_pid"
  done
done

for target in "${targets[@]}"; do
  start "$target"
  pid="$started_pid"
  trail=""
  for _ in $(seq 1 $(( warm_secs / 10 > 0 ? warm_secs / 10 : 1 ))); do
    read -r _ _ rps _ _ <<< "$(load "$target" 50 10 "$pid")"; trail+=" ${rps%.*}"
  done
  echo "warm-up $target, req/s per 10 s at 50 connections:$trail"
  for c in "${conns[@]}"; do R[$target,warm,$c]="$(load "$target" "$c" "$secs" "$pid")"; done
  stop "$pid"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------------------------
field() { local a; read -r -a a <<< "${R[$1]:-}"; echo "${a[$2]:-0}"; } # key index(0 p50,1 p99,2 rps,3 errors,4 rss)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
cpu_ms_per_req() { # target conns [STORE] → the process's (or the stand-in's) CPU ms per request over its fresh point
  local -n ticks_of="${3:-CPU}"
  awk -v t="${ticks_of[$1,$2]:-0}" -v hz="$(getconf CLK_TCK)" -v r="$(field "$1,fresh,$2" 2)" -v s="$fresh_secs" \
    'BEGIN { if (r > 0) printf "%.3f", t * 1000 / hz / (r * s); else print "n/a" }'
}
pct() { # key index → ms, or n/a when no request completed (wrk reports 0 for an empty histogram)
  if awk -v r="$(field "$1" 2)" 'BEGIN { exit !(r > 0) }' && [ "$(field "$1" "$2")" != 0 ]; then ms "$(field "$1" "$2")"; else echo n/a; fi
}
printf "\n%-7s %-5s | %10s %9s %9s %7s | %10s %9s %9s %7s | %10s %9s %9s %7s | %6s\n" phase conns \
  "gw req/s" "gw p50" "gw p99" "gw MB" "pk req/s" "pk p50" "pk p99" "pk MB" "stub r/s" "stub p50" "stub p99" "errors" "ratio"
rows=()
for phase in fresh warm; do
  for c in 1 50 200; do
    g="gateway,$phase,$c"; p="portkey,$phase,$c"; d="direct,fresh,$c"
    printf "%-7s %-5s | %10.0f %8sms %8sms %7d | %10.0f %8sms %8sms %7d | %10.0f %8sms %8sms %7s | %6s\n" "$phase" "$c" \
      "$(field "$g" 2)" "$(pct "$g" 0)" "$(pct "$g" 1)" $(( $(field "$g" 4) / 1024 )) \
      "$(field "$p" 2)" "$(pct "$p" 0)" "$(pct "$p" 1)" $(( $(field "$p" 4) / 1024 )) \
      "$(field "$d" 2)" "$(ms "$(field "$d" 0)")" "$(ms "$(field "$d" 1)")" "$(field "$g" 3)/$(field "$p" 3)" \
      "$(ratio "$(field "$g" 2)" "$(field "$p" 2)")"
    label="fresh (first ${fresh_secs} s)"; [ "$phase" = warm ] && label="warmed"
    if [ "$phase" = fresh ]; then
      gcpu=$(cpu_ms_per_req "gateway" "$c"); pcpu=$(cpu_ms_per_req "portkey" "$c")
      rows+=("| CPU ms per request, $c conn, $label (lower is better) | $gcpu | Portkey $pcpu | $(ratio "$gcpu" "$pcpu")× |")
      if [ -n "$store_pid" ]; then
        rows+=("| MongoDB stand-in CPU ms per request, $c conn, $label (the usage ledger; Portkey stores nothing) | $(cpu_ms_per_req gateway "$c" STORE) | Portkey $(cpu_ms_per_req portkey "$c" STORE) | |")
      fi
    fi
    rows+=("| req/s, $c conn, $label (errors) | $(printf %.0f "$(field "$g" 2)") ($(field "$g" 3)) | Portkey $(printf %.0f "$(field "$p" 2)") ($(field "$p" 3)) | $(ratio "$(field "$g" 2)" "$(field "$p" 2)")× |")
    if [ "$c" = 200 ]; then
      gp99="$(pct "$g" 1)"; pp99="$(pct "$p" 1)"
      rows+=("| p99 ms, 200 conn, $label | $gp99 | Portkey $pp99 | $( [ "$gp99" = n/a ] || [ "$pp99" = n/a ] && echo n/a || echo "$(ratio "$(field "$g" 1)" "$(field "$p" 1)")×") |")
      rows+=("| RSS MB under 200 conn, $label | $(( $(field "$g" 4) / 1024 )) | Portkey $(( $(field "$p" 4) / 1024 )) | $(ratio "$(field "$g" 4)" "$(field "$p" 4)")× |")
    fi
  done
done
rows+=("| time to ready, ms (fresh starts) |${READY[gateway]:-} |Portkey${READY[portkey]:-} | |")
echo "errors = non-2xx/socket errors gateway/Portkey; stub = the instant stub called directly (same run)"
echo "gateway: $java_bin (Java $java_major) ${runtime_opts[*]} $(tr '\n' ' ' <<< "${jvm_flags[*]}") ${extra_flags[*]} ${cds_flags[*]}; Portkey $pk_version (node $(node -v))"
echo "time to ready, ms: gateway${READY[gateway]:-}; Portkey${READY[portkey]:-}"
if [ -n "${BENCH_OUT:-}" ]; then
  mkdir -p "$BENCH_OUT"
  {
    echo "### provider-gateway vs Portkey $pk_version (/v1/chat/completions on an instant stub; load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| measure | devloop | baseline | ratio |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
  } > "$BENCH_OUT/provider-gateway.md"
  echo "wrote $BENCH_OUT/provider-gateway.md"
fi
