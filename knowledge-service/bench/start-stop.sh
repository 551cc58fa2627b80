#!/usr/bin/env bash
# knowledge-service alone: time and CPU from `java -jar` to /q/health/ready = UP, then the time from SIGTERM to exit
# (issue #16 goal 3, issue 18). Runs the packaged jar on the services' runtime (deploy/lib/java.sh), as deploy does,
# against the shared servers (deploy/devloop servers up), with its own topics, database and consumer groups.
#
#   ./mvnw -B -o -pl knowledge-service package -DskipTests
#   knowledge-service/bench/start-stop.sh [rounds]          # APP=<dir of quarkus-run.jar> to time another build
#   BENCH_THREADS=8: also print the 8 threads that used the most CPU until ready
#   BENCH_NICE=-10 (as root): run the service ahead of the machine's other work, to approach an idle box's wall times
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../deploy/lib/java.sh
source "$ROOT/deploy/lib/java.sh"
APP="${APP:-$ROOT/knowledge-service/target/quarkus-app}"
ROUNDS="${1:-3}"
PORT="${BENCH_PORT:-18192}"
PREFIX="${BENCH_PREFIX:-bench-ks.}"
OUT="${BENCH_DIR:-/tmp/knowledge-start-stop}"
mkdir -p "$OUT/identity"
CLK_TCK=$(getconf CLK_TCK)
JAVA="$(service_java)"
read -r -a RUNTIME_OPTS <<<"$(service_java_runtime_opts)"

cpu_seconds() { # utime + stime of a pid, in seconds
  awk -v t="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat"
}

for ((round = 1; round <= ROUNDS; round++)); do
  log="$OUT/round-$round.log"
  start=$(date +%s.%N)
  DEVLOOP_TOPIC_PREFIX=$PREFIX DEVLOOP_DB_PREFIX=bench_ks_ DEVLOOP_IDENTITY_DIR="$OUT/identity" \
    DEVLOOP_IDENTITY_GENERATE=true \
    nice -n "${BENCH_NICE:-0}" "$JAVA" "${RUNTIME_OPTS[@]}" -Xmx512m -XX:+ExitOnOutOfMemoryError \
    -Dquarkus.http.port="$PORT" -Dquarkus.log.console.json.enabled=false \
    -jar "$APP/quarkus-run.jar" >"$log" 2>&1 &
  pid=$!
  ready=""
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; then
      ready=$(date +%s.%N)
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [[ -n $ready ]] || { echo "round $round: not ready (log $log)"; kill "$pid" 2>/dev/null || true; exit 1; }
  cpu=$(cpu_seconds "$pid")
  if [[ -n ${BENCH_THREADS:-} ]]; then # the threads that used the most CPU until ready
    for t in /proc/"$pid"/task/*; do
      printf '%s %s\n' "$(cpu_seconds "$pid/task/${t##*/}")" "$(tr ' ' '_' <"$t/comm")"
    done | sort -rn | head -"$BENCH_THREADS" | tr '\n' ';'
    echo
  fi
  sleep "${BENCH_SETTLE:-2}"
  stop=$(date +%s.%N)
  kill -TERM "$pid"
  wait "$pid" || true
  end=$(date +%s.%N)
  printf 'round %d: ready %.2f s wall, %s s CPU; stop %.2f s; load %s\n' "$round" \
    "$(echo "$ready - $start" | bc)" "$cpu" "$(echo "$end - $stop" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
