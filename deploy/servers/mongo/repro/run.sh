#!/usr/bin/env bash
# Reproduces the stand-in store's breakage under collection drops (docs/verification.md, stop 35). A private stand-in
# on 127.0.0.1:$PORT (27117) over a fresh H2 file in a temporary directory; CYCLES (4) times: start it, ROUNDS (40)
# rounds of DropChurn, SIGTERM, then a final open that counts `usage`. MODE=delete deletes instead of dropping.
# Needs the launcher's jars (deploy/devloop servers up installs them). Stops what it started by pid.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
lib="$root/.devloop/servers/mongo/lib"
[ -d "$lib" ] || { echo "no $lib: run deploy/devloop servers up first" >&2; exit 1; }
port="${PORT:-27117}"
work="$(mktemp -d)"
javac -d "$work" -cp "$lib/*" "$here/DropChurn.java" || exit 1
pid=""
start() {
  (cd "$(dirname "$lib")" && exec java -Xmx384m -cp 'lib/*' dev.devloop.deploy.mongo.MongoLauncher 127.0.0.1 "$port" \
    "$work/devloop.mv.db") > "$work/mongo-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    grep -q "listening on" "$work/mongo-$1.log" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "$1: the store did not open:" >&2; grep -m2 -E "Exception|Error" "$work/mongo-$1.log" >&2; return 1
}
stop() { kill "$pid" 2>/dev/null; for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done; kill -9 "$pid"; }
churn() { java -cp "$lib/*:$work" DropChurn "mongodb://127.0.0.1:$port" "$@" 2>&1 | tail -1; }
trap 'stop; rm -rf "$work"' EXIT
for cycle in $(seq 1 "${CYCLES:-4}"); do
  start "cycle$cycle" || exit 1
  churn "${ROUNDS:-40}" run
  grep -q -E "Unable to read|OutOfMemoryError|MVStoreException" "$work/mongo-cycle$cycle.log" &&
    echo "cycle $cycle: the store's background writer failed: $(grep -m1 -o -E 'Unable to read[^,]*|OutOfMemoryError|MVStoreException[^[]*' "$work/mongo-cycle$cycle.log")"
  stop
  echo "cycle $cycle stopped; store $(du -m "$work/devloop.mv.db" | cut -f1) MB"
done
start final || exit 1
churn 0 check
