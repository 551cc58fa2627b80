#!/usr/bin/env bash
# Agent loop overhead per step against the OpenAI Agents SDK for JavaScript (issue #16 goal 4). Starts an instant
# OpenAI-compatible chat-completions stub (openai-stub.mjs, 127.0.0.1, a free port), runs the SDK (npm
# @openai/agents 0.20.x, installed under .devloop/bench/openai-agents, tracing off, one tool()) against it, then
# our AgentLoop (LoopBenchmark: model port pointed at the stub, a local tool; runs in memory and persisted to the
# local MongoDB), and prints runs/s, overhead per step and the ratios. Writes $BENCH_OUT/agent-loop.md when
# BENCH_OUT is set. Env: TOOL_TURNS (tool calls per run, default 1), WARMUP_MS (3000), MEASURE_MS (10000),
# JFR=1 records a flight recording of the Java side into target/loop-benchmark.jfr; VIA_GATEWAY=1 also starts
# provider-gateway's built jar (provider-gateway/target/quarkus-app; 127.0.0.1, a free port, the stub as its OpenAI
# provider) and measures the loop through it.
# Needs node ≥ 18, npm, and the local MongoDB (deploy/devloop servers up). Not part of verify; ~1 minute.
set -euo pipefail
cd "$(dirname "$0")/.."
module="$PWD"
root="$(cd .. && pwd)"
prefix="$root/.devloop/bench/openai-agents"
# the runtime the services run on (deploy/lib/java.sh: the newest JDK >= 21 of the machine, else java on PATH)
# shellcheck source=../../deploy/lib/java.sh
source "$root/deploy/lib/java.sh"
java_bin="$(service_java)"
read -r -a java_runtime <<<"$(service_java_runtime_opts)"
echo "runtime: $("$java_bin" -version 2>&1 | head -n 1)"
export TOOL_TURNS="${TOOL_TURNS:-1}" WARMUP_MS="${WARMUP_MS:-3000}" MEASURE_MS="${MEASURE_MS:-10000}"

if ! node -e "const v=require('$prefix/node_modules/@openai/agents/package.json').version; process.exit(v.startsWith('0.20.') ? 0 : 1)" 2>/dev/null; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error '@openai/agents@0.20.x' 'zod@^4' >/dev/null
fi
sdk_version="$(node -p "require('$prefix/node_modules/@openai/agents/package.json').version")"

../mvnw -B -o -q test-compile
../mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test

work="$(mktemp -d)"
stub_pid=""
gateway_pid=""
cleanup() {
  if [[ -n "$gateway_pid" ]]; then kill "$gateway_pid" 2>/dev/null || true; wait "$gateway_pid" 2>/dev/null || true; fi
  if [[ -n "$stub_pid" ]]; then kill "$stub_pid" 2>/dev/null || true; wait "$stub_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

PORT_FILE="$work/port" TOOL_TURNS="$TOOL_TURNS" node bench/openai-stub.mjs &
stub_pid=$!
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { echo "the stub did not start" >&2; exit 1; }
export STUB_URL="http://127.0.0.1:$(cat "$work/port")/v1"

if [[ "${VIA_GATEWAY:-0}" == 1 ]]; then
  jar="$root/provider-gateway/target/quarkus-app/quarkus-run.jar"
  [[ -f "$jar" ]] || { echo "VIA_GATEWAY=1 needs provider-gateway built (./mvnw -o -pl provider-gateway package)" >&2; exit 1; }
  gateway_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  DEVLOOP_OPENAI_BASE_URL="$STUB_URL" DEVLOOP_OPENAI_API_KEY=sk-bench "$java_bin" "${java_runtime[@]}" -Xmx512m -Dquarkus.http.host=127.0.0.1 \
    -Ddevloop.identity.generate-missing=true \
    -Dquarkus.http.port="$gateway_port" -Dquarkus.log.level=WARN -jar "$jar" > "$work/gateway.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 120); do
    curl -fs "http://127.0.0.1:$gateway_port/q/health/ready" >/dev/null 2>&1 && break
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$gateway_port/q/health/ready" >/dev/null || { echo "provider-gateway not ready" >&2; exit 1; }
  export GATEWAY_URL="http://127.0.0.1:$gateway_port"
fi

echo "load before: $(uptime)"
# the SDK side runs from the install prefix so that its imports resolve there
cp bench/sdk-loop.mjs "$prefix/sdk-loop.mjs"
SDK_VERSION="$sdk_version" timeout 120 node "$prefix/sdk-loop.mjs" > "$work/sdk.json"

jfr=()
if [[ "${JFR:-0}" == 1 ]]; then
  # the profile settings with Java sampling every 2 ms instead of 10
  java_home="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
  sed 's/>10 ms</>2 ms</' "$java_home/lib/jfr/profile.jfc" > target/loop-benchmark.jfc
  jfr=("-XX:StartFlightRecording=filename=$module/target/loop-benchmark.jfr,settings=$module/target/loop-benchmark.jfc")
fi
SDK_RESULT="$work/sdk.json" timeout 180 "$java_bin" "${java_runtime[@]}" "${jfr[@]}" -Dbench.warmupMs="$WARMUP_MS" -Dbench.measureMs="$MEASURE_MS" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.devloop.agent.bench.LoopBenchmark
echo "load after: $(uptime)"
