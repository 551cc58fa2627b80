#!/usr/bin/env bash
# Gateway hop benchmark (issue #16 goal 1): an authenticated forwarded read, GET /api/v1/agent-types -> agent-service
# GET /agent-types (an in-memory answer, so the hop is what differs), measured in one run with wrk against
#   direct   agent-service itself,
#   nginx    nginx-light as a keep-alive reverse proxy on the same route to the same agent-service (no JWT, no limit),
#   gateway  api-gateway with JWT verification, the Redis rate limit, tenant routing and list paging all on,
# at 1, 50 and 200 connections; prints req/s, p50, p99, the added p50 over direct, and the ratios vs nginx and vs direct.
#
#   ./mvnw -B -o install -DskipTests -pl contracts,agent-service,api-gateway   # once: the packaged jars
#   deploy/devloop servers up                                                  # Redis, MongoDB, Kafka, Neo4j
#   api-gateway/bench/gateway-hop.sh [seconds-per-run (default 10, max 20)]
#
# Not part of `mvn verify`. Needs wrk, nginx (apt nginx-light; both installed with apt-get when missing), openssl,
# curl. Binds only 127.0.0.1; nginx's generated config lives under .devloop/bench/gateway-hop/. Warm-up rounds of
# BENCH_WARM_SECONDS (default 8) until the throughput settles (at most BENCH_WARM_ROUNDS, default 12, per target),
# then nine wrk runs, each bounded; everything it starts is stopped by pid on exit. Prints the warm-up trail, one
# table, the answers per status (and problem type), the machine's load before and after, and the ratios; with
# BENCH_OUT set also writes the rows to $BENCH_OUT/api-gateway.md (| measure | devloop | baseline | ratio |).
# Exits 3 (and says so) when any answer was not 2xx, since such a run is not a measurement of the hop.
# Service identity (issue #17): both JVMs use a throw-away key dir; the gateway signs a token for agent-service on
# every hop, and direct and nginx send a token of the bench's own cell member (contracts' IdentityCli, re-signed for
# every wrk run: a token lives 5 min at most), so agent-service verifies an internal token on all three paths.
# Runtime: the JVMs (and IdentityCli) run on the services' runtime, as deploy/devloop runs them (deploy/lib/java.sh:
# the newest JDK >= 21 of the machine, DEVLOOP_SERVICE_JAVA_HOME overrides), not on the build's JDK 17.
# BENCH_APPS: a directory holding copies of <module>/target/quarkus-app (default: the repository), so the bench can
# run while the modules are rebuilt. BENCH_GATEWAY_OPTS: extra JVM options of the gateway (e.g. a JFR recording).
# A second gateway in the same run (before/after, or one setting changed): BENCH_B_APPS (its copies of
# <module>/target/quarkus-app; default: APPS) and BENCH_B_ENV (space-separated NAME=value settings it gets on top,
# e.g. DEVLOOP_GATEWAY_FAST_READS_ENABLED=false or DEVLOOP_TRACE_SAMPLE_RATIO=0.1); when
# either is set, target "gatewayb" runs right after "gateway" at each connection count and its ratios are printed too.
# More variants the same way: BENCH_C_APPS/BENCH_C_ENV .. BENCH_F_APPS/BENCH_F_ENV add gatewayc .. gatewayf (each
# against "gateway"), so several settings are measured interleaved in one run instead of one run each.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
APPS="${BENCH_APPS:-$ROOT}"
# shellcheck source=../../deploy/lib/java.sh
source "$ROOT/deploy/lib/java.sh"
JAVA="$(service_java)"
# shellcheck disable=SC2207
JAVA_OPTS=($(service_java_runtime_opts))
SECS="${1:-10}"; (( SECS > 20 )) && SECS=20
WARM="${BENCH_WARM_SECONDS:-8}"; (( WARM > 15 )) && WARM=15
ROUNDS="${BENCH_WARM_ROUNDS:-12}"; (( ROUNDS > 20 )) && ROUNDS=20
# at least this many rounds: a gateway still compiling can look flat for two rounds (597 -> 663 req/s, then 1 074 measured)
MIN_ROUNDS="${BENCH_WARM_MIN_ROUNDS:-5}"
WORK="$(mktemp -d)"; PIDS=()
LOAD0="$(cut -d' ' -f1 /proc/loadavg)" # before this bench added its own JVMs and wrk
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
if ! command -v wrk >/dev/null || [[ ! -x $NGINX_BIN ]]; then
  echo "installing wrk and nginx-light (apt-get)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk; } >&2 \
    || { echo "needs wrk and nginx (apt-get install -y nginx-light wrk)" >&2; exit 2; }
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
fi
for tool in wrk openssl curl python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }; done
[[ -x $JAVA ]] || { echo "needs a java runtime (deploy/lib/java.sh found '$JAVA')" >&2; exit 2; }
RUNTIME="$("$JAVA" -version 2>&1 | head -1)"
echo "runtime: $JAVA ($RUNTIME) ${JAVA_OPTS[*]:-}"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
AGENT_PORT=$(free_port); GW_PORT=$(free_port); NGINX_PORT=$(free_port)
VARIANTS=() # letters of the extra gateways: b .. f
declare -A VPORT VPID
for v in b c d e f; do
  V=${v^^}; apps="BENCH_${V}_APPS"; envs="BENCH_${V}_ENV"
  [[ -n ${!apps:-}${!envs:-} ]] && { VARIANTS+=("$v"); VPORT[$v]=$(free_port); }
done
NGINX_DIR="$ROOT/.devloop/bench/gateway-hop"; mkdir -p "$NGINX_DIR"

# a throw-away RS256 key pair and one admin token for the run
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/pub.pem"
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
HEADER=$(printf '{"alg":"RS256","typ":"JWT"}' | b64)
PAYLOAD=$(printf '{"iss":"https://devloop.local/issuer","aud":"devloop","sub":"bench","tenant":"bench","groups":["admin"],"iat":%d,"exp":%d}' "$NOW" $((NOW + 3600)) | b64)
SIG=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign "$WORK/key.pem" -binary | b64)
TOKEN="$HEADER.$PAYLOAD.$SIG"
IDENTITY="$WORK/identity"
# contracts' IdentityCli, from the packaged agent-service's class path: creates the bench's key on first use
IDENTITY_CP="$APPS/agent-service/target/quarkus-app/lib/main/*"
gateway_auth() { echo "Authorization: Bearer $TOKEN"; }
internal_auth() { echo "Authorization: Bearer $("$JAVA" "${JAVA_OPTS[@]}" -cp "$IDENTITY_CP" dev.devloop.contracts.identity.IdentityCli token "$IDENTITY" devloop-bench agent-service bench 300 2>/dev/null)"; }

start() { # module port env...
  local module=$1 port=$2; shift 2
  local extra=(); [[ $module == api-gateway ]] && read -r -a extra <<<"${BENCH_GATEWAY_OPTS:-}"
  # service identity: the gateway signs a token for agent-service on every hop, agent-service verifies it; both
  # create (or reuse) their keys in the shared key dir, as deploy/devloop does
  env "$@" QUARKUS_HTTP_PORT="$port" DEVLOOP_IDENTITY_DIR="$IDENTITY" DEVLOOP_IDENTITY_GENERATE=true \
    "$JAVA" "${JAVA_OPTS[@]}" -Xmx512m "${extra[@]}" -jar "${START_APPS:-$APPS}/$module/target/quarkus-app/quarkus-run.jar" \
    > "$WORK/$module${START_SUFFIX:-}.log" 2>&1 &
  PIDS+=($!)
}
wait_up() { # url [header]
  # start-up is not measured; on a loaded machine two JVMs starting together took over 2 min
  for _ in $(seq 1 400); do curl -fs -o /dev/null ${2:+-H "$2"} "$1" && return 0; sleep 0.5; done
  echo "not up: $1" >&2; tail -n 20 "$WORK"/*.log >&2; exit 1
}
start agent-service "$AGENT_PORT"; AGENT_PID=${PIDS[-1]}
start api-gateway "$GW_PORT" DEVLOOP_AGENT_SERVICE_URL="http://127.0.0.1:$AGENT_PORT" \
  DEVLOOP_JWT_PUBLIC_KEY_LOCATION="$WORK/pub.pem" DEVLOOP_GATEWAY_RATE_LIMIT_PER_ROLE_ADMIN=1000000000 \
  QUARKUS_LOG_LEVEL=WARN
GW_PID=${PIDS[-1]}
for v in "${VARIANTS[@]}"; do
  V=${v^^}; apps="BENCH_${V}_APPS"; envs="BENCH_${V}_ENV"
  # shellcheck disable=SC2086
  START_APPS="${!apps:-$APPS}" START_SUFFIX=-$v start api-gateway "${VPORT[$v]}" \
    DEVLOOP_AGENT_SERVICE_URL="http://127.0.0.1:$AGENT_PORT" DEVLOOP_JWT_PUBLIC_KEY_LOCATION="$WORK/pub.pem" \
    DEVLOOP_GATEWAY_RATE_LIMIT_PER_ROLE_ADMIN=1000000000 QUARKUS_LOG_LEVEL=WARN ${!envs:-}
  VPID[$v]=${PIDS[-1]}
  echo "gateway$v: ${!apps:-$APPS} ${!envs:-}"
done
# nginx: the baseline proxy on the same public route, a keep-alive upstream pool to the same agent-service; it sets
# the tenant header itself and passes the client's internal token on (it checks none: that is the work the gateway
# does on top)
cat >"$NGINX_DIR/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/tmp;
  proxy_temp_path $NGINX_DIR/tmp;
  upstream agent_service { server 127.0.0.1:$AGENT_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /api/v1/agent-types {
      proxy_pass http://agent_service/agent-types;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Devloop-Tenant bench;
    }
  }
}
CONF
mkdir -p "$NGINX_DIR/tmp"
"$NGINX_BIN" -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!; PIDS+=($NGINX_PID)
wait_up "http://127.0.0.1:$AGENT_PORT/q/health/live"
wait_up "http://127.0.0.1:$GW_PORT/q/health/live"
DIRECT="http://127.0.0.1:$AGENT_PORT/agent-types"
PROXY="http://127.0.0.1:$NGINX_PORT/api/v1/agent-types"
VIA="http://127.0.0.1:$GW_PORT/api/v1/agent-types"
via() { echo "http://127.0.0.1:${VPORT[$1]}/api/v1/agent-types"; } # variant letter -> its URL
for v in "${VARIANTS[@]}"; do wait_up "http://127.0.0.1:${VPORT[$v]}/q/health/live"; done
curl -fs -H 'X-Devloop-Tenant: bench' -H "$(internal_auth)" "$DIRECT" >/dev/null \
  || { echo "agent-service refused the bench's internal token" >&2; exit 1; }
wait_up "$PROXY" "$(internal_auth)"
curl -fs -H "$(gateway_auth)" "$VIA" >/dev/null || { echo "gateway refused the bench token" >&2; exit 1; }
# warm both JVMs until their throughput settles: the gateway's path is long (JWT, limiter, hop, list shaping,
# tracing), and on a shared 2-core machine C2 kept compiling it for minutes; an 8 s warm-up measured interpreted
# code (0.08x in an earlier run, 0.2x once warm). Rounds of WARM seconds, at least MIN_ROUNDS, until two in a row
# are within 10 %.
# a throughput that is flat but low is not warm: C2 compiles the gateway's path only after some 10^4 calls, so a
# starved JVM (a busy machine) can look "settled" while still interpreting; at least MIN_REQUESTS are sent first
MIN_REQUESTS="${BENCH_WARM_MIN_REQUESTS:-30000}"
COLD=""
warm() { # label url header-function (called per round: internal tokens expire)
  local prev=0 rps trail="" total=0 TENANT_HEADER=()
  [[ $1 == direct ]] && TENANT_HEADER=(-H 'X-Devloop-Tenant: bench') # read while agent-service does not verify
  for round in $(seq 1 "$ROUNDS"); do
    rps=$(wrk -t2 -c50 -d"${WARM}s" "${TENANT_HEADER[@]}" -H "$($3)" "$2" | awk '/Requests\/sec/{printf "%d", $2}')
    trail+=" $rps"; total=$((total + rps * WARM))
    (( total < MIN_REQUESTS )) && { prev=$rps; continue; }
    if (( round >= MIN_ROUNDS )) && awk -v a="$prev" -v b="$rps" 'BEGIN{exit !(b > 0 && (a-b)/b < 0.10 && (b-a)/b < 0.10)}'; then break; fi
    prev=$rps
  done
  echo "warm-up $1 req/s per ${WARM}s round:$trail (~$total requests)"
  (( total >= MIN_REQUESTS )) || COLD+=" $1 (~$total of $MIN_REQUESTS warm-up requests)"
}
warm direct "$DIRECT" internal_auth
warm gateway "$VIA" gateway_auth
for v in "${VARIANTS[@]}"; do warm "gateway$v" "$(via "$v")" gateway_auth; done
wrk -t2 -c50 -d3s -H "$(internal_auth)" "$PROXY" >/dev/null # nginx: its upstream connections, no JIT
LOAD_BEFORE="$(uptime | sed 's/.*load/load/')"
echo "machine: $(nproc) cores, $LOAD_BEFORE"
# a verdict on the conditions, printed and written with the rows: ratios from a starved or cold run mislead
CAVEAT=""
awk -v l="$LOAD0" -v n="$(nproc)" 'BEGIN{exit !(l > 2 * n)}' \
  && CAVEAT+="machine busy before the bench started (load $LOAD0 on $(nproc) cores: the JVMs get a per-thread share of the CPU, nginx needs far less); "
[[ -n $COLD ]] && CAVEAT+="not warm:$COLD; "
[[ -n $CAVEAT ]] && echo "CAVEAT: ${CAVEAT}these ratios do not measure the path of the gateway"

ms() { # wrk latency text (e.g. 1.23ms, 850.00us, 1.02s) -> milliseconds
  awk -v v="$1" 'BEGIN{ if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 }
                        else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else print v }'
}
# CPU time (ms) used so far by the given processes and their children threads (nginx: the master and its workers):
# CPU per request does not depend on how busy the rest of the machine is, unlike req/s on a shared box
TICK=$(getconf CLK_TCK)
cpu_ms() { # pids...
  local total=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $((total * 1000 / TICK))
}
proxy_pids() { # target -> the processes doing the proxying for it
  case $1 in
    direct) echo "$AGENT_PID" ;;
    nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
    gateway) echo "$GW_PID" ;;
    gateway?) echo "${VPID[${1#gateway}]}" ;;
  esac
}
run() { # label conns url header
  # --timeout 10s: a slow answer is measured as such instead of being dropped as a wrk socket timeout (2 s)
  local threads=2; (( $2 < 2 )) && threads=1
  local TENANT_HEADER=(); [[ $1 == direct ]] && TENANT_HEADER=(-H 'X-Devloop-Tenant: bench')
  local pids; pids=$(proxy_pids "$1")
  # shellcheck disable=SC2086
  local cpu0; cpu0=$(cpu_ms $pids)
  local out; out=$(wrk -t"$threads" -c"$2" -d"${SECS}s" --timeout 10s --latency -s "$ROOT/api-gateway/bench/statuses.lua" "${TENANT_HEADER[@]}" -H "$4" "$3")
  awk -v t="$1" -v c="$2" '/^status /{ printf "  %s c=%s %s %s\n", t, c, $2, $3 }' <<<"$out" >>"$WORK/statuses.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out"); non2xx=${non2xx:-0}
  local sockerr; sockerr=$(awk '/Socket errors/{gsub(",","");print $4+$6+$8+$10}' <<<"$out"); sockerr=${sockerr:-0}
  # shellcheck disable=SC2086
  local cpu1; cpu1=$(cpu_ms $pids)
  local requests; requests=$(awk '/requests in/{print $1}' <<<"$out")
  local cpu; cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v n="${requests:-0}" 'BEGIN{ printf "%.3f", (n > 0 ? (b - a) / n : 0) }')
  echo "$1 $2 $rps $p50 $p99 $((non2xx + sockerr)) $cpu"
}
printf '%-8s %6s %12s %10s %10s %8s %12s\n' target conns req/s p50_ms p99_ms failed cpu_ms/req
declare -A R; FAILED=0
for c in 1 50 200; do
  for target in direct nginx gateway "${VARIANTS[@]/#/gateway}"; do
    case $target in
      direct) line=$(run direct "$c" "$DIRECT" "$(internal_auth)") ;;
      nginx) line=$(run nginx "$c" "$PROXY" "$(internal_auth)") ;;
      gateway) line=$(run gateway "$c" "$VIA" "$(gateway_auth)") ;;
      gateway?) line=$(run "$target" "$c" "$(via "${target#gateway}")" "$(gateway_auth)") ;;
    esac
    read -r t conns rps p50 p99 non2xx cpu <<<"$line"
    printf '%-8s %6s %12s %10s %10s %8s %12s\n' "$t" "$conns" "$rps" "$p50" "$p99" "$non2xx" "$cpu"
    R[$t-$c]="$rps $p50 $p99 $cpu"; FAILED=$((FAILED + non2xx))
  done
done
LOAD_AFTER="$(uptime | sed 's/.*load/load/')"
echo "machine after: $LOAD_AFTER"
echo
echo "answers by status[:problem type]:"; cat "$WORK/statuses.txt"
for glog in "$WORK"/api-gateway*.log; do
if grep -q 'WARN' "$glog"; then
  echo "$(basename "$glog" .log) WARN lines (first 5 distinct):"
  grep 'WARN' "$glog" | sed -E 's/.*"message":"([^"]*)".*/\1/' | cut -c1-200 | sort | uniq -c | sort -rn | head -5
fi
done
echo
ROWS=()
for c in 1 50 200; do
  read -r drps dp50 dp99 dcpu <<<"${R[direct-$c]}"; read -r nrps np50 np99 ncpu <<<"${R[nginx-$c]}"
  read -r grps gp50 gp99 gcpu <<<"${R[gateway-$c]}"
  awk -v c="$c" -v d="$drps" -v n="$nrps" -v g="$grps" -v d50="$dp50" -v n50="$np50" -v g50="$gp50" 'BEGIN{
    printf "conns=%-3s gateway/nginx = %.2f  gateway/direct = %.2f  nginx/direct = %.2f  added p50: gateway %.3f ms, nginx %.3f ms\n",
      c, g/n, g/d, n/d, g50-d50, n50-d50 }'
  awk -v c="$c" -v d="$dcpu" -v n="$ncpu" -v g="$gcpu" 'BEGIN{
    printf "          CPU ms per request: gateway %.3f, nginx %.3f, agent-service answering directly %.3f (gateway/nginx %s)\n",
      g, n, d, (n > 0 ? sprintf("%.1f", g/n) : "-") }'
  for v in "${VARIANTS[@]}"; do
    read -r brps bp50 bp99 bcpu <<<"${R[gateway$v-$c]}"
    awk -v x="gateway$v" -v n="$nrps" -v g="$grps" -v b="$brps" -v d50="$dp50" -v b50="$bp50" -v gc="$gcpu" -v bc="$bcpu" -v nc="$ncpu" 'BEGIN{
      printf "          %s/nginx = %.2f  %s/gateway = %.2f  added p50 %s %.3f ms  CPU ms/req %s %.3f (%s/gateway %.2f, %s/nginx %s)\n",
        x, b/n, x, b/g, x, b50-d50, x, bc, x, (gc > 0 ? bc/gc : 0), x, (nc > 0 ? sprintf("%.1f", bc/nc) : "-") }'
    ROWS+=("$(awk -v x="gateway$v" -v c="$c" -v n="$nrps" -v b="$brps" 'BEGIN{printf "| req/s at %s conns, %s vs nginx | %.0f | %.0f | %.2f |", c, x, b, n, b/n}')")
    ROWS+=("$(awk -v x="gateway$v" -v c="$c" -v g="$gcpu" -v b="$bcpu" 'BEGIN{printf "| CPU ms per request at %s conns, %s vs gateway | %.3f | %.3f | %s |", c, x, b, g, (g > 0 ? sprintf("%.2f", b/g) : "-")}')")
  done
  ROWS+=("$(awk -v c="$c" -v n="$nrps" -v g="$grps" 'BEGIN{printf "| req/s at %s conns, gateway vs nginx | %.0f | %.0f | %.2f |", c, g, n, g/n}')")
  ROWS+=("$(awk -v c="$c" -v d="$drps" -v g="$grps" 'BEGIN{printf "| req/s at %s conns, gateway vs direct | %.0f | %.0f | %.2f |", c, g, d, g/d}')")
  ROWS+=("$(awk -v c="$c" -v n="$ncpu" -v g="$gcpu" 'BEGIN{printf "| CPU ms per request at %s conns, gateway vs nginx (lower is better) | %.3f | %.3f | %s |", c, g, n, (n > 0 ? sprintf("%.1f", g/n) : "-")}')")
  ROWS+=("$(awk -v c="$c" -v d50="$dp50" -v n50="$np50" -v g50="$gp50" 'BEGIN{a=g50-d50; b=n50-d50; printf "| added p50 ms at %s conns, gateway vs nginx | %.3f | %.3f | %s |", c, a, b, (b > 0 ? sprintf("%.1f", a/b) : "-")}')")
done
if [[ -n ${BENCH_OUT:-} ]]; then
  mkdir -p "$BENCH_OUT"
  {
    echo "| measure | devloop | baseline | ratio |"
    echo "|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "${CAVEAT:+CAVEAT: ${CAVEAT}these ratios do not measure the path of the gateway. }api-gateway/bench/gateway-hop.sh $SECS: GET /api/v1/agent-types (JWT + Redis rate limit + tenant routing + list page) vs nginx-light proxying the same route and agent-service direct; services on $RUNTIME; $(nproc) cores, $LOAD_BEFORE before, $LOAD_AFTER after$( ((FAILED > 0)) && echo "; NOT VALID: $FAILED answers not 2xx")."
  } >"$BENCH_OUT/api-gateway.md"
fi
if (( FAILED > 0 )); then
  echo "NOT A VALID MEASUREMENT: $FAILED answers were not 2xx or failed at the socket (see the status lines above)"
  exit 3
fi
