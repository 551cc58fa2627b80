#!/usr/bin/env bash
# The stand-in's CPU per request, two launcher builds or JVM flag sets side by side (docs/scaling.md, stop 37, where it
# measured a BSON store encoding and C1-only JIT, neither kept):
# `run.sh <lib dir A> <lib dir B>` (e.g. .devloop/servers/mongo/lib and a build of another commit; the same dir twice
# with A_OPTS/B_OPTS to compare flags; both default to -Xmx384m, as deploy/devloop runs the stand-in). For each of
# ROUNDS (3) rounds and each side, a private stand-in on 127.0.0.1:$PORT (27118) over a fresh H2 file runs StoreCost
# (RUNS (1500) agent runs of 5 requests and the usage ledger's 50-document batches, 7 650 requests) PASSES (2) times:
# the first pass from a fresh JVM (its JIT included, as after every `deploy/devloop servers up`), then the same again.
# Prints requests/s and the stand-in's CPU ms per request (user + system from /proc) of each pass, then the medians and
# B/A ratios per pass. Stops what it started by pid.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage="usage: run.sh <lib dir A> <lib dir B>"
a="$(cd "${1:?$usage}" && pwd)" b="$(cd "${2:?$usage}" && pwd)"
port="${PORT:-27118}" runs="${RUNS:-1500}" rounds="${ROUNDS:-3}" passes="${PASSES:-2}"
a_opts="${A_OPTS:--Xmx384m}" b_opts="${B_OPTS:--Xmx384m}"
work="$(mktemp -d)" pid=""
javac -d "$work" -cp "$a/*" "$here/StoreCost.java" || exit 1
stop() { [ -n "$pid" ] || return 0; kill "$pid" 2>/dev/null; for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done; pid=""; }
trap 'stop; rm -rf "$work"' EXIT
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A rate cost
workload() { # side pass → one line; appends to rate[side-pass], cost[side-pass]
  local before after out ops secs ms
  before=$(cpu_ticks "$pid")
  out="$(java -cp "$a/*:$work" StoreCost "mongodb://127.0.0.1:$port" "$runs" 2>/dev/null | tail -1)"
  after=$(cpu_ticks "$pid")
  read -r _ ops _ secs <<<"$out"
  ms=$(awk -v t=$((after - before)) -v h="$hz" -v o="$ops" 'BEGIN{printf "%.4f", t*1000/h/o}')
  rate[$1-$2]+="$(awk -v o="$ops" -v s="$secs" 'BEGIN{printf "%.0f ", o/s}')"
  cost[$1-$2]+="$ms "
  echo "round $round $1 pass $2: $ops requests in ${secs}s, stand-in CPU $ms ms/request (load $(cut -d' ' -f1 /proc/loadavg))"
}
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    lib="$a" opts="$a_opts"; [ "$side" = B ] && lib="$b" opts="$b_opts"
    rm -f "$work"/*.mv.db
    # shellcheck disable=SC2086 # opts: a flag list
    (cd "$work" && exec java $opts -cp "$lib/*" dev.devloop.deploy.mongo.MongoLauncher 127.0.0.1 "$port" "$work/bench.mv.db") \
      > "$work/mongo.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do grep -q "listening on" "$work/mongo.log" && break; sleep 0.25; done
    for pass in $(seq 1 "$passes"); do workload "$side" "$pass"; done
    stop
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%.2f", x/y}'; }
echo "A: $a ($a_opts); B: $b ($b_opts)"
echo "| measure (median of $rounds) | A | B | B/A |"
echo "|---|---|---|---|"
for run in $(seq 1 "$passes"); do
  label="pass $run"; [ "$run" = 1 ] && label="pass 1 (fresh JVM)"
  ra=$(median "${rate[A-$run]}") rb=$(median "${rate[B-$run]}") ca=$(median "${cost[A-$run]}") cb=$(median "${cost[B-$run]}")
  echo "| requests/s, 1 client, $label | $ra | $rb | $(ratio "$rb" "$ra") |"
  echo "| stand-in CPU ms per request, $label | $ca | $cb | $(ratio "$cb" "$ca") |"
done
