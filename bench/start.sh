#!/usr/bin/env bash
# Stack start benchmark (issue #16 goal 3): how long each service takes from `java -jar` to /q/health/ready = UP,
# started alone and inside the stack (all five at once, as `deploy/devloop up` starts them): as `up` starts them now
# (mode cds: with the class archive of deploy/lib/services.sh — the AOT cache on JDK 25+, AppCDS before) against the start before (mode nocds: no archive;
# the same JVM options unless BENCH_START_BASELINE_JAVA_OPTS says otherwise). Prints wall time and the CPU seconds
# each JVM used until it was ready (the CPU figure moves far less with the machine's load), and the ratios.
#
#   deploy/devloop servers up          # or let bench/run.sh do it
#   bench/start.sh                     # BENCH_START_ROUNDS (1, max 3) rounds of: 5 alone + the stack, per mode
#
# The services run from the packaged jars (<module>/target/quarkus-app) with the same options, environment and
# archives as `deploy/devloop up`, on ports 18180-18184 (BENCH_START_BASE_PORT), logs under
# .devloop/bench/start/<mode>/. Each start is bounded (BENCH_START_TIMEOUT, 120 s); everything started here is
# stopped by pid. Its class archives are recorded (a start alone, stopped) when missing, in .devloop/bench/start/cds/
# BENCH_START_MODES (default "nocds cds") and BENCH_START_SERVICES (default: the five) select. A JVM flag A/B, both with
# the class archive: BENCH_START_MODES="cds cdsb" BENCH_START_B_JAVA_OPTS="<flags>" (mode cdsb appends them to every
# service's options; the table then compares cdsb, as devloop, against cds, as the baseline).
# BENCH_OUT: also writes the rows to $BENCH_OUT/start.md (| measure | devloop | baseline | ratio |).
# BENCH_START_THREADS=1: at each readiness, also logs where that JVM's CPU seconds went, by thread group (main, the JIT
# compilers, GC, Vert.x event loops, Kafka clients, …), to profile a start without a profiler (JFR refuses the AOT cache).
# BENCH_START_JFR=1: each start alone also gets a JFR recording (profile settings), started by jcmd right after launch
# and dumped at ready to .devloop/bench/start/<mode>/<service>-start.jfr (jcmd's own JVM competes: not for timing).
set -euo pipefail
DEPLOY_DIR="$(cd "$(dirname "$(readlink -f "$0")")/../deploy" && pwd)"
ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"
BASE_PORT="${BENCH_START_BASE_PORT:-18180}"
export DEVLOOP_GATEWAY_PORT=$BASE_PORT DEVLOOP_AGENT_SERVICE_PORT=$((BASE_PORT + 1)) \
  DEVLOOP_KNOWLEDGE_SERVICE_PORT=$((BASE_PORT + 2)) DEVLOOP_TOOL_SERVICE_PORT=$((BASE_PORT + 3)) \
  DEVLOOP_PROVIDER_GATEWAY_PORT=$((BASE_PORT + 4))
# Its own topics, databases and consumer groups (the services prefix their groups with the topic prefix): the bench's
# services neither consume a running stack's events nor touch its data (deploy/devloop up's own names have no prefix).
export DEVLOOP_TOPIC_PREFIX="${BENCH_START_TOPIC_PREFIX:-bench-start.}" DEVLOOP_DB_PREFIX="${BENCH_START_DB_PREFIX:-bench_start_}"
# the services' URLs must follow the bench ports, not a caller's stack
unset DEVLOOP_AGENT_SERVICE_URL DEVLOOP_KNOWLEDGE_SERVICE_URL DEVLOOP_TOOL_SERVICE_URL DEVLOOP_PROVIDER_GATEWAY_URL \
  DEVLOOP_GATEWAY_URL DEVLOOP_API_GATEWAY_URL
# shellcheck source=../deploy/lib/common.sh
source "$DEPLOY_DIR/lib/common.sh"
# shellcheck source=../deploy/lib/token.sh
source "$DEPLOY_DIR/lib/token.sh"
# shellcheck source=../deploy/lib/servers.sh
source "$DEPLOY_DIR/lib/servers.sh"
# shellcheck source=../deploy/lib/java.sh
source "$DEPLOY_DIR/lib/java.sh"
# shellcheck source=../deploy/lib/mtls.sh
source "$DEPLOY_DIR/lib/mtls.sh"
# shellcheck source=../deploy/lib/services.sh
source "$DEPLOY_DIR/lib/services.sh"
# shellcheck source=../deploy/lib/demo-repo.sh
source "$DEPLOY_DIR/lib/demo-repo.sh"

ROUNDS="${BENCH_START_ROUNDS:-1}"
((ROUNDS >= 1 && ROUNDS <= 3)) || ROUNDS=1
TIMEOUT="${BENCH_START_TIMEOUT:-120}"
((TIMEOUT <= 300)) || TIMEOUT=300
read -r -a MODES <<<"${BENCH_START_MODES:-nocds cds}"
read -r -a SVCS <<<"${BENCH_START_SERVICES:-${SERVICE_START_ORDER[*]}}"
BENCH_DIR="$STATE_DIR/bench/start"
# the baseline is the start before issue #16: no AppCDS archive (and, unless told otherwise, the same JVM options)
BASELINE_JAVA_OPTS="${BENCH_START_BASELINE_JAVA_OPTS:-$SERVICE_JAVA_OPTS}"
DEPLOY_JAVA_OPTS=$SERVICE_JAVA_OPTS
DEPLOY_JVM_OPTIONS=$SERVICE_JVM_OPTIONS
B_JAVA_OPTS="${BENCH_START_B_JAVA_OPTS:-}"
[[ " ${BENCH_START_MODES:-} " != *" cdsb "* || -n $B_JAVA_OPTS ]] || die "mode cdsb needs BENCH_START_B_JAVA_OPTS"
MODE=nocds
# pid files and logs of the bench's services apart from a running `deploy/devloop up`
service_dir() { printf '%s/%s' "$BENCH_DIR" "$MODE"; }
CLK_TCK=$(getconf CLK_TCK)
eval "deploy_$(declare -f service_java_opts)"
service_java_opts() { # mode cdsb: the flags under test after the service's own
  deploy_service_java_opts "$1"
  [[ $MODE != cdsb ]] || printf ' %s' "$B_JAVA_OPTS"
}

cleanup() {
  local s m
  for m in "${MODES[@]}"; do
    MODE=$m
    for s in "${SERVICES[@]}"; do service_pid "$s" >/dev/null && service_stop "$s" >/dev/null 2>&1; done
  done
  stop_started_servers
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The jars as they are now: hard links into .devloop/bench/start/app/<service> (no copy), so a module rebuilt by
# someone else meanwhile (Maven deletes and rewrites target/quarkus-app) does not pull the jar from under a start.
# A service being written right now (a file younger than 10 s) is waited for, at most 3 minutes.
BENCH_APP="$BENCH_DIR/app"
# its own archives (keyed by these paths), so that recording them does not remove the ones `up` maps
service_cds_dir() { printf '%s/cds' "$BENCH_DIR"; }
service_jar() { printf '%s/%s/quarkus-run.jar' "$BENCH_APP" "$1"; }
snapshot_apps() {
  local s src i
  for s in "${SVCS[@]}"; do
    src="$ROOT/$s/target/quarkus-app"
    for ((i = 0; i < 36; i++)); do
      [[ -f $src/quarkus-run.jar && -z $(find "$src" -newermt '-10 seconds' -print -quit 2>/dev/null) ]] && break
      ((i == 0)) && log "$s: waiting for its build to finish ($(rel "$src") is being written)"
      sleep 5
    done
    [[ -f $src/quarkus-run.jar ]] || die "$s is not built ($(rel "$src/quarkus-run.jar")); bench/run.sh builds it"
    rm -rf "${BENCH_APP:?}/$s"
    mkdir -p "$BENCH_APP"
    cp -al "$src" "$BENCH_APP/$s" 2>/dev/null || cp -a "$src" "$BENCH_APP/$s"
  done
}

# the box's CPU ticks "busy total" (/proc/stat), and its busy share since such a reading
box_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
box_busy() {
  local b0 t0 b1 t1
  read -r b0 t0 <<<"$1"
  read -r b1 t1 <<<"$(box_ticks)"
  awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" 'BEGIN { printf "%.0f %%", t ? 100 * b / t : 0 }'
}
servers_cpu() { # CPU seconds the four servers (this checkout's or a shared one's) have used
  local s pid sum=0
  for s in "${SERVERS[@]}"; do
    pid=$(server_pid "$s" || shared_server_pid "$s") || continue
    sum=$(awk -v a="$sum" -v b="$(cpu_s "$pid")" 'BEGIN { printf "%.2f", a + b }')
  done
  printf '%s' "$sum"
}

# CPU seconds (user + system) a live pid has used
cpu_s() {
  local line
  line=$(cat "/proc/$1/stat" 2>/dev/null) || { printf 'nan'; return; }
  # after the command name (which may hold spaces) come field 3 (state) ...; utime is field 14, stime 15
  awk -v t="$CLK_TCK" '{ printf "%.2f", ($12 + $13) / t }' <<<"${line##*) }"
}

prepare() { # svc → its command line in the current MODE (deploy/lib/services.sh service_prepare)
  local svc=$1
  # shellcheck disable=SC2034 # read by service_prepare (deploy/lib/services.sh)
  if [[ $MODE == nocds ]]; then
    SERVICE_CDS=0 SERVICE_JAVA_OPTS=$BASELINE_JAVA_OPTS
    # options given for the baseline replace a service's own jvm.options too
    [[ -z ${BENCH_START_BASELINE_JAVA_OPTS:-} ]] || SERVICE_JVM_OPTIONS=0
  else
    SERVICE_CDS=1 SERVICE_JAVA_OPTS=$DEPLOY_JAVA_OPTS SERVICE_JVM_OPTIONS=$DEPLOY_JVM_OPTIONS
  fi
  ensure_port_free "$(service_port "$svc")" "$(service_port_var "$svc")"
  service_prepare "$svc" "$(service_port "$svc")"
}
launch() { # svc → starts it in the current MODE (prepared first unless prepare ran)
  [[ -n ${SERVICE_CMD[$1]:-} ]] || prepare "$1"
  service_launch "$1" "$(service_port "$1")"
}

# await the given services (launched at t0 ms); sets READY_MS[svc], CPU[svc]; fails after TIMEOUT.
# Polls each every 0.1 s without starting a process (service_ready's /dev/tcp probe, a read on an idle FIFO for the
# pause): the earlier loop's curl, command substitutions and sleep took ~40 ms of CPU per service and poll, most of
# the 2 cores while five services started, and the stack's start measured that.
declare -A READY_MS CPU
POLL_DIR=$(mktemp -d) # a FIFO nobody writes to, opened once, then unlinked
mkfifo "$POLL_DIR/idle"
exec {POLL_FD}<>"$POLL_DIR/idle"
rm -rf "$POLL_DIR"
# CPU seconds of a live pid by thread group: thread names with their digits folded (C2 CompilerThread0 → C2
# CompilerThread#), largest first, as "group=seconds" pairs
thread_cpu() {
  local pid=$1 t line name
  for t in /proc/"$pid"/task/*; do
    line=$(cat "$t/stat" 2>/dev/null) || continue
    name=${line#*(}
    name=${name%)*}
    printf '%s\t%s\n' "${name//[0-9]/#}" "${line##*) }"
  done | awk -F'\t' -v t="$CLK_TCK" '{ split($2, f, " "); cpu[$1] += (f[12] + f[13]) / t }
    END { for (n in cpu) if (cpu[n] >= 0.01) printf "%.2f\t%s\n", cpu[n], n }' |
    sort -rn | awk -F'\t' '{ printf "%s%s=%s", (NR > 1 ? ", " : ""), $2, $1 }'
}
# BENCH_START_THREADS=1 also says where a start waited: when Quarkus logged "started in" (ms after the launch), and,
# once a second while the port answers but readiness does not, which checks are DOWN (logged when the set changes)
started_ms() { # svc t0 → ms from t0 to the "started in" line's timestamp, or "?"
  local ts
  ts=$(grep -m1 -o '"timestamp":"[^"]*"[^}]*started in [0-9.]*s' "$(service_log "$1")" 2>/dev/null | cut -d'"' -f4)
  [[ -n $ts ]] || { printf '?'; return; }
  printf '%s' $(($(date -d "$ts" +%s%3N) - $2))
}
declare -A DOWN_SEEN DOWN_AT
down_checks() { # svc port t0
  local now down
  now=$(now_ms)
  (( now - ${DOWN_AT[$1]:-0} >= 1000 )) || return 0
  DOWN_AT[$1]=$now
  down=$(curl -s --max-time 2 "http://127.0.0.1:$2/q/health/ready" 2>/dev/null |
    tr -d ' \n' | grep -o '"name":"[^"]*","status":"DOWN"' | cut -d'"' -f4 | tr '\n' ' ') || true
  [[ -n $down && $down != "${DOWN_SEEN[$1]:-}" ]] || return 0
  DOWN_SEEN[$1]=$down
  log "$MODE: $1 at $((now - $3)) ms: readiness DOWN: $down"
}
await_all() {
  local t0=$1 s pending
  shift
  pending=("$@")
  local -A pid_of port_of
  for s in "$@"; do
    pid_of[$s]=$(read_pid "$(service_pidfile "$s")")
    port_of[$s]=$(service_port "$s")
  done
  local deadline=$((SECONDS + TIMEOUT))
  while ((${#pending[@]} > 0)); do
    local still=()
    for s in "${pending[@]}"; do
      if service_ready "${port_of[$s]}"; then
        READY_MS[$s]=$(($(now_ms) - t0))
        CPU[$s]=$(cpu_s "${pid_of[$s]}")
        if [[ ${BENCH_START_THREADS:-0} == 1 ]]; then
          log "$MODE: $s ready at ${READY_MS[$s]} ms, Quarkus started at $(started_ms "$s" "$t0") ms; CPU s by thread: $(thread_cpu "${pid_of[$s]}")"
        fi
      elif ! pid_alive "${pid_of[$s]}"; then
        warn "$s exited before it was ready ($MODE); log $(rel "$(service_log "$s")")"
        log_tail "$(service_log "$s")" 15
        return 1
      else
        still+=("$s")
        [[ ${BENCH_START_THREADS:-0} == 1 ]] && down_checks "$s" "${port_of[$s]}" "$t0"
      fi
    done
    pending=("${still[@]}")
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      warn "not ready after ${TIMEOUT}s ($MODE): ${pending[*]}"
      return 1
    fi
    read -r -t 0.1 -u "$POLL_FD" _ || true
  done
}

stop_all() { # in parallel, as deploy/devloop down does
  local s pids=()
  for s in "$@"; do
    service_stop "$s" >/dev/null 2>&1 &
    pids+=($!)
  done
  for s in "${pids[@]}"; do wait "$s" || true; done
}

# Record the archives this mode needs: a start alone, ready, stopped (the JVM writes the archive at exit).
record_archives() {
  local s jsa
  for s in "${SVCS[@]}"; do
    jsa=$(service_cds_archive "$s")
    [[ -s $jsa ]] && continue
    log "$s: recording its class archive (AppCDS or AOT cache) $(rel "$jsa") (one start alone, then stopped)"
    local t0
    t0=$(now_ms)
    launch "$s"
    await_all "$t0" "$s" || { stop_all "$s"; return 1; }
    stop_all "$s"
    service_cds_promote "$s" "$jsa"
    [[ -s $jsa ]] || { warn "$s: no archive written at $(rel "$jsa")"; return 1; }
  done
}

# shellcheck disable=SC2034 # filled through add's nameref
declare -A ALONE_MS ALONE_CPU STACK_MS STACK_CPU STACK_ALL_MS STACK_ALL_CPU
add() { # assoc key value: sum over rounds
  local -n arr=$1
  arr[$2]=$(awk -v a="${arr[$2]:-0}" -v b="$3" 'BEGIN { printf "%.3f", a + b }')
}

# BENCH_START_JFR=1: a start alone is recorded by JFR from its first fraction of a second to ready. JFR given at launch
# makes the JVM refuse the AOT cache, so jcmd starts it on the running JVM (one extra JVM's CPU: profile, not timing).
jfr_begin() { # pid → JFR recording "start" on it, in the background
  [[ ${BENCH_START_JFR:-0} == 1 ]] || return 0
  local jcmd i
  jcmd="$(dirname "$(readlink -f "$(service_java)")")/jcmd"
  (for ((i = 0; i < 40; i++)); do
    "$jcmd" "$2" JFR.start name=start settings=profile >/dev/null 2>&1 && exit 0
    sleep 0.05
  done) &
  JFR_JOB=$!
}
jfr_end() { # svc pid → the recording dumped to .devloop/bench/start/<mode>/<svc>-start.jfr
  [[ ${BENCH_START_JFR:-0} == 1 ]] || return 0
  wait "$JFR_JOB" || { warn "$1: JFR did not start"; return 0; }
  local jcmd out
  jcmd="$(dirname "$(readlink -f "$(service_java)")")/jcmd"
  out="$(service_dir)/$1-start.jfr"
  "$jcmd" "$2" JFR.dump name=start filename="$out" >/dev/null 2>&1 && log "$1: its start's JFR recording: $(rel "$out")"
}

run_mode() {
  local s t0 r
  for ((r = 1; r <= ROUNDS; r++)); do
    for s in "${SVCS[@]}"; do
      t0=$(now_ms)
      launch "$s"
      jfr_begin "$s" "$(read_pid "$(service_pidfile "$s")")"
      await_all "$t0" "$s" || { stop_all "$s"; return 1; }
      jfr_end "$s" "$(read_pid "$(service_pidfile "$s")")"
      log "$MODE round $r: $s alone ready in ${READY_MS[$s]} ms, ${CPU[$s]} CPU s (load $(cut -d' ' -f1 /proc/loadavg))"
      add ALONE_MS "$MODE/$s" "${READY_MS[$s]}"
      add ALONE_CPU "$MODE/$s" "${CPU[$s]}"
      stop_all "$s"
    done
    t0=$(now_ms) # as deploy/devloop up: all five prepared, then spawned back to back
    for s in "${SVCS[@]}"; do prepare "$s"; done
    local box0 servers0
    box0=$(box_ticks)
    servers0=$(servers_cpu)
    for s in "${SVCS[@]}"; do launch "$s"; done
    await_all "$t0" "${SVCS[@]}" || { stop_all "${SVCS[@]}"; return 1; }
    # where the stack's wall time went: the box's busy share over the start, and what the servers used meanwhile
    local at_end="" total=0 c
    for s in "${SVCS[@]}"; do
      c=$(cpu_s "$(read_pid "$(service_pidfile "$s")")")
      at_end+=" $s=$c"
      total=$(awk -v a="$total" -v b="$c" 'BEGIN { printf "%.2f", a + b }')
    done
    log "$MODE round $r: over the stack's start the box was $(box_busy "$box0") busy; the servers used $(awk -v a="$servers0" -v b="$(servers_cpu)" 'BEGIN { printf "%.2f", b - a }') CPU s; the services $total CPU s by the last one's ready (a service ready early goes on using CPU):$at_end"
    local max=0 sum=0
    for s in "${SVCS[@]}"; do
      ((READY_MS[$s] > max)) && max=${READY_MS[$s]}
      sum=$(awk -v a="$sum" -v b="${CPU[$s]}" 'BEGIN { printf "%.2f", a + b }')
      add STACK_MS "$MODE/$s" "${READY_MS[$s]}"
      add STACK_CPU "$MODE/$s" "${CPU[$s]}"
    done
    log "$MODE round $r: all ${#SVCS[@]} ready in $max ms inside the stack, $sum CPU s (load $(cut -d' ' -f1 /proc/loadavg))"
    add STACK_ALL_MS "$MODE" "$max"
    add STACK_ALL_CPU "$MODE" "$sum"
    stop_all "${SVCS[@]}"
  done
}

for cmd in java curl awk; do command -v "$cmd" >/dev/null || die "bench/start.sh needs $cmd"; done
for s in "${SVCS[@]}"; do is_service "$s" || die "unknown service $s"; done
snapshot_apps
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
servers_up >/dev/null
ensure_keys
demo_forge_configure >/dev/null
export_devloop_env
for m in "${MODES[@]}"; do
  MODE=$m
  mkdir -p "$(service_dir)"
  [[ $m == cds* ]] && { SERVICE_JAVA_OPTS=$DEPLOY_JAVA_OPTS SERVICE_JVM_OPTIONS=$DEPLOY_JVM_OPTIONS; record_archives || exit 1; }
  run_mode || exit 1
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table: devloop = with the class archive (what `up` does), baseline = without
avg() { awk -v a="${1:-}" -v n="$ROUNDS" -v d="${2:-1}" 'BEGIN { if (a == "") print "-"; else printf "%.2f", a / n / d }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f×", a / b }'; }
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
dev=cds base=nocds
[[ " ${MODES[*]} " == *" cds "* ]] || dev=${MODES[0]}
[[ " ${MODES[*]} " == *" nocds "* ]] || base=${MODES[0]}
[[ " ${MODES[*]} " != *" cdsb "* ]] || dev=cdsb
table() {
  printf '| measure | devloop | baseline | ratio |\n|---|---|---|---|\n'
  local s
  for s in "${SVCS[@]}"; do
    row "start: $s alone, s to ready" "$(avg "${ALONE_MS[$dev/$s]:-}" 1000)" "$(avg "${ALONE_MS[$base/$s]:-}" 1000)"
  done
  for s in "${SVCS[@]}"; do
    row "start: $s inside the stack, s to ready" "$(avg "${STACK_MS[$dev/$s]:-}" 1000)" "$(avg "${STACK_MS[$base/$s]:-}" 1000)"
  done
  for s in "${SVCS[@]}"; do
    row "start: $s alone, CPU s to ready" "$(avg "${ALONE_CPU[$dev/$s]:-}")" "$(avg "${ALONE_CPU[$base/$s]:-}")"
  done
  row "start: all ${#SVCS[@]} ready inside the stack, s" "$(avg "${STACK_ALL_MS[$dev]:-}" 1000)" "$(avg "${STACK_ALL_MS[$base]:-}" 1000)"
  row "start: the stack's CPU s to ready (sum of ${#SVCS[@]})" "$(avg "${STACK_ALL_CPU[$dev]:-}")" "$(avg "${STACK_ALL_CPU[$base]:-}")"
  row "start: all ${#SVCS[@]} ready inside the stack vs the goal (10 s)" "$(avg "${STACK_ALL_MS[$dev]:-}" 1000)" "10.00"
}
printf '\nStack start, %s round(s) per mode, %s cores; load average before %s, after %s\n' \
  "$ROUNDS" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER"
if [[ $dev == cdsb ]]; then
  printf 'devloop = with the class archive and these flags added: %s; baseline = with the class archive, as deploy/devloop up starts them now\n\n' \
    "$B_JAVA_OPTS"
else
  printf 'devloop = as deploy/devloop up starts them now (%s + the class archive: AOT cache on JDK 25+, AppCDS before); baseline = before (%s, no archive)\n\n' \
    "$DEPLOY_JAVA_OPTS" "$BASELINE_JAVA_OPTS"
fi
table
if [[ -n ${BENCH_OUT:-} ]]; then
  mkdir -p "$BENCH_OUT"
  table >"$BENCH_OUT/start.md"
fi
