#!/usr/bin/env bash
# Devloop's benchmarks in one go (issue #16): installs what is missing, builds the services that are not packaged,
# starts the local servers when they are not running (and stops only those afterwards), runs each module bench in
# turn with BENCH_OUT set, bounded in time, and prints one combined table (| bench | measure | devloop | baseline |
# ratio |) with the load average and the machine's facts. A bench that fails is reported and the next one runs.
#
#   bench/run.sh                                   # all: gateway provider agent knowledge start
#   bench/run.sh gateway start                     # a selection, in the order given
#
# Saved to .devloop/bench/results-<UTC time>.md, each bench's full output next to it in
# .devloop/bench/results-<UTC time>/<bench>.log (the table is rewritten after each bench, so an interrupted run keeps
# what it measured). Settings: BENCH_TIMEOUT (per bench, seconds, default 900, max 1800; BENCH_TIMEOUT_<BENCH>, e.g.
# BENCH_TIMEOUT_START, for one bench),
# BENCH_BUILD=1 (rebuild the five services first even when packaged), BENCH_INSTALL=0 (install nothing).
# See bench/README.md.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$ROOT" || exit 1
# shellcheck source=../deploy/lib/java.sh
source "$ROOT/deploy/lib/java.sh"
ALL=(gateway provider agent knowledge start)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
STATE_DIR="${DEVLOOP_STATE_DIR:-$ROOT/.devloop}"
OUT_DIR="$STATE_DIR/bench/results-$STAMP"
RESULT="$STATE_DIR/bench/results-$STAMP.md"
TIMEOUT="${BENCH_TIMEOUT:-900}"
((TIMEOUT >= 60 && TIMEOUT <= 1800)) || TIMEOUT=900

say() { printf 'bench: %s\n' "$*" >&2; }
usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  printf '\nbenches: %s\n' "${ALL[*]}"
}

# ---- what each bench is: the module's script (whatever its current name) or the knowledge benchmark class
bench_cmd() {
  case $1 in
    gateway)
      if [[ -x api-gateway/bench/run.sh ]]; then echo api-gateway/bench/run.sh; else echo api-gateway/bench/gateway-hop.sh; fi ;;
    provider) echo provider-gateway/bench/run.sh ;;
    agent)
      if [[ -x agent-service/bench/run.sh ]]; then echo agent-service/bench/run.sh; else echo agent-service/bench/loop-benchmark.sh; fi ;;
    knowledge)
      if [[ -x knowledge-service/bench/run.sh ]]; then
        echo knowledge-service/bench/run.sh
      else
        echo "./mvnw -B -o -q -pl knowledge-service test -Dtest=KnowledgeBenchmark -Dsurefire.failIfNoSpecifiedTests=false"
      fi ;;
    start) echo bench/start.sh ;;
  esac
}
# modules whose packaged jar a bench needs
bench_jars() {
  case $1 in
    gateway) echo agent-service api-gateway ;;
    provider) echo provider-gateway ;;
    start) echo api-gateway agent-service knowledge-service tool-service provider-gateway ;;
  esac
}

SELECTED=()
for a in "$@"; do
  case $a in
    -h | --help | help) usage; exit 0 ;;
    gateway | provider | agent | knowledge | start) SELECTED+=("$a") ;;
    *) say "unknown bench '$a' (benches: ${ALL[*]})"; exit 2 ;;
  esac
done
((${#SELECTED[@]})) || SELECTED=("${ALL[@]}")
mkdir -p "$OUT_DIR"

# ---- a fresh machine: wrk and nginx (apt), node + npm for the benches' npm packages (each bench installs its
# packages under .devloop/bench/ itself with npm install --prefix)
apt_missing=()
command -v wrk >/dev/null 2>&1 || apt_missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || apt_missing+=(nginx-light)
command -v node >/dev/null 2>&1 || apt_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
if ((${#apt_missing[@]})); then
  if [[ ${BENCH_INSTALL:-1} != 1 ]]; then
    say "missing ${apt_missing[*]} (BENCH_INSTALL=0: not installing; the benches that need them will fail)"
  else
    sudo=()
    ((EUID == 0)) || sudo=(sudo -n)
    say "installing ${apt_missing[*]} (apt-get; log $OUT_DIR/apt.log)"
    { "${sudo[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${apt_missing[@]}"; } \
      >"$OUT_DIR/apt.log" 2>&1 || say "apt-get could not install ${apt_missing[*]} (see $OUT_DIR/apt.log); going on"
  fi
fi

# ---- the packaged services the selected benches need
need=()
for b in "${SELECTED[@]}"; do
  for m in $(bench_jars "$b"); do
    if [[ ${BENCH_BUILD:-0} == 1 || ! -f $m/target/quarkus-app/quarkus-run.jar ]]; then
      [[ " ${need[*]} " == *" $m "* ]] || need+=("$m")
    fi
  done
done
if ((${#need[@]})); then
  modules=$(IFS=,; echo "${need[*]}")
  say "building $modules (./mvnw -B -o -q -pl $modules -am package -DskipTests; log $OUT_DIR/build.log)"
  ./mvnw -B -o -q -pl "$modules" -am package -DskipTests >"$OUT_DIR/build.log" 2>&1 ||
    say "the build failed (see $OUT_DIR/build.log); the benches that need it will fail"
fi

# ---- the local servers: start those that are not running, stop exactly those at the end
started=()
for s in redis mongo kafka neo4j; do
  deploy/devloop servers status "$s" 2>/dev/null | grep -q ' running ' || started+=("$s")
done
cleanup() {
  if ((${#started[@]})); then
    say "stopping the servers this run started: ${started[*]}"
    deploy/devloop servers down "${started[@]}" >&2 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ((${#started[@]})); then
  say "starting the servers: ${started[*]} (deploy/devloop servers up)"
  deploy/devloop servers up >"$OUT_DIR/servers.log" 2>&1 || { say "the servers did not start (see $OUT_DIR/servers.log)"; exit 1; }
fi

# ---- one combined table
facts() {
  local cpu mem
  cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
  printf -- '- machine: %s cores (%s), %s RAM, %s\n' "$(nproc)" "${cpu:-unknown CPU}" "${mem:-?}" "$(uname -sr)"
  printf -- '- java (build): %s\n' "$(java -version 2>&1 | head -n 1)"
  printf -- '- java (services, deploy/lib/java.sh): %s\n' "$("$(service_java)" -version 2>&1 | head -n 1)"
  command -v wrk >/dev/null 2>&1 && printf -- '- wrk: %s\n' "$(wrk -v 2>&1 | head -n 1 | cut -c1-60)"
  command -v nginx >/dev/null 2>&1 && printf -- '- nginx: %s\n' "$(nginx -v 2>&1 | head -n 1)"
  command -v node >/dev/null 2>&1 && printf -- '- node: %s\n' "$(node --version)"
  printf -- '- load average at the end: %s (1, 5, 15 min)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}
combined() {
  printf '# Devloop benchmarks, %s\n\n' "$STAMP"
  printf 'Command: `bench/run.sh %s`' "${SELECTED[*]}"
  ((${#DONE[@]} == ${#SELECTED[@]})) || printf ' (so far: %s)' "${DONE[*]}"
  printf '\n\n'
  facts
  printf '\n| bench | measure | devloop | baseline | ratio |\n|---|---|---|---|---|\n'
  local b f rows
  for b in "${DONE[@]}"; do
    rows=0
    for f in "$OUT_DIR/$b"/*.md; do
      [[ -f $f ]] || continue
      # the rows of each table, without its header and separator
      while IFS= read -r line; do
        [[ $line == \|* ]] || continue
        [[ $line =~ ^\|[[:space:]]*measure[[:space:]]*\| || $line =~ ^\|[-:\ \|]+$ ]] && continue
        printf '| %s %s\n' "$b" "$line"
        rows=$((rows + 1))
      done <"$f"
    done
    if ((RC[$b] != 0)); then
      local why="failed (exit ${RC[$b]})"
      [[ ${RC[$b]} == 124 || ${RC[$b]} == 137 ]] && why="stopped at the ${LIMITS[$b]}s bound"
      printf '| %s | **%s** after %ss, see %s | - | - | - |\n' "$b" "$why" "${SECS[$b]}" "$(basename "$OUT_DIR")/$b.log"
    elif ((rows == 0)); then
      printf '| %s | no rows written to $BENCH_OUT (see %s) | - | - | - |\n' "$b" "$(basename "$OUT_DIR")/$b.log"
    fi
  done
  printf '\n| bench | command | exit | seconds | load (1 min) before → after |\n|---|---|---|---|---|\n'
  for b in "${DONE[@]}"; do
    printf '| %s | `%s` | %s | %s | %s |\n' "$b" "$(bench_cmd "$b")" "${RC[$b]}" "${SECS[$b]}" "${LOADS[$b]}"
  done
  printf '\nratio = devloop / baseline, both measured in this run on this machine (see bench/README.md for what each means).\n'
}
# ---- run each bench
declare -A RC SECS LOADS LIMITS
DONE=()
for b in "${SELECTED[@]}"; do
  cmd=$(bench_cmd "$b")
  limit_var="BENCH_TIMEOUT_${b^^}"
  limit="${!limit_var:-$TIMEOUT}"
  ((limit >= 60 && limit <= 1800)) || limit=$TIMEOUT
  mkdir -p "$OUT_DIR/$b"
  l0=$(cut -d' ' -f1 /proc/loadavg)
  t0=$SECONDS
  say "$b: $cmd (at most ${limit}s; output in $OUT_DIR/$b.log)"
  # shellcheck disable=SC2086 # the knowledge fallback is a word-split command line
  BENCH_OUT="$OUT_DIR/$b" timeout --kill-after=30 "$limit" $cmd >"$OUT_DIR/$b.log" 2>&1 </dev/null
  RC[$b]=$?
  SECS[$b]=$((SECONDS - t0))
  LOADS[$b]="$l0 → $(cut -d' ' -f1 /proc/loadavg)"
  case ${RC[$b]} in
    0) say "$b: done in ${SECS[$b]}s" ;;
    124 | 137) say "$b: stopped after ${limit}s ($limit_var / BENCH_TIMEOUT); rows written so far are kept" ;;
    *) say "$b: FAILED with exit ${RC[$b]} after ${SECS[$b]}s; last lines:"; tail -n 8 "$OUT_DIR/$b.log" | sed 's/^/    /' >&2 ;;
  esac
  LIMITS[$b]=$limit
  DONE+=("$b")
  combined >"$RESULT" # the table so far, should a later bench never end
done

combined | tee "$RESULT"
say "saved to ${RESULT#"$ROOT"/}"
failed=0
for b in "${SELECTED[@]}"; do ((RC[$b] == 0)) || failed=1; done
exit "$failed"
