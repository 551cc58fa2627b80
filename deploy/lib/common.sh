# shellcheck shell=bash
# Common helpers for deploy/devloop: logging, requirements, processes, ports, waiting, Maven.
# Sourced by deploy/devloop after ROOT and DEPLOY_DIR are set.

STATE_DIR="${DEVLOOP_STATE_DIR:-$ROOT/.devloop}"
LOCK_FILE="$STATE_DIR/devloop.lock"

# ---------------------------------------------------------------------------------------------
# logging
log() { printf 'devloop: %s\n' "$*"; }
warn() { printf 'devloop: warning: %s\n' "$*" >&2; }
die() {
  printf 'devloop: error: %s\n' "$*" >&2
  exit 1
}

# Path relative to ROOT when it is inside ROOT (shorter messages).
rel() {
  local p=$1
  if [[ $p == "$ROOT"/* ]]; then printf '%s' "${p#"$ROOT"/}"; else printf '%s' "$p"; fi
}

# Milliseconds since the epoch, and a "12.3s" duration since a start value.
now_ms() {
  local t=${EPOCHREALTIME/./}
  printf '%s' "${t:0:-3}"
}
since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

# Print the last N lines of a log file, indented, or say it does not exist.
log_tail() {
  local file=$1 n=${2:-30}
  if [[ -s $file ]]; then
    printf '  ---- last %s lines of %s ----\n' "$n" "$(rel "$file")" >&2
    tail -n "$n" "$file" | sed 's/^/  | /' >&2
    printf '  ----\n' >&2
  else
    printf '  (no log at %s)\n' "$(rel "$file")" >&2
  fi
}

# ---------------------------------------------------------------------------------------------
# requirements: one clear line per missing command, then exit
require() {
  local missing=0 cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 && continue
    missing=1
    case $cmd in
      java) printf 'devloop: error: java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)\n' >&2 ;;
      javac) printf 'devloop: error: javac not found: a full JDK 17 is needed, not just a JRE (apt-get install openjdk-17-jdk-headless)\n' >&2 ;;
      curl) printf 'devloop: error: curl not found: apt-get install curl\n' >&2 ;;
      openssl) printf 'devloop: error: openssl not found: apt-get install openssl\n' >&2 ;;
      *) printf 'devloop: error: %s not found on PATH\n' "$cmd" >&2 ;;
    esac
  done
  ((missing == 0)) || exit 1
}

# The Maven command: the project's ./mvnw when present, else mvn.
mvn_cmd() {
  if [[ -x $ROOT/mvnw ]]; then
    printf '%s' "$ROOT/mvnw"
  elif command -v mvn >/dev/null 2>&1; then
    printf 'mvn'
  else
    die "mvn not found: install Maven 3.8+ (apt-get install maven) or add the Maven wrapper (./mvnw)"
  fi
}

# Content hash of files (for "already built" stamps).
hash_files() { cat "$@" | sha256sum | cut -c1-16; }

# Serialise start/stop of the shared local stack between concurrent invocations.
with_lock() {
  mkdir -p "$STATE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    if ! flock -w 600 9; then
      die "another deploy/devloop is starting or stopping the stack (lock $(rel "$LOCK_FILE")); try again"
    fi
  fi
}
release_lock() {
  if command -v flock >/dev/null 2>&1; then
    flock -u 9 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------------------------------------
# processes
pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

read_pid() {
  if [[ -s $1 ]]; then tr -dc '0-9' <"$1"; fi
  return 0
}

# pid from a pid file when that process is alive and its command line contains a marker.
live_pid() {
  local pidfile=$1 marker=$2 pid
  pid=$(read_pid "$pidfile")
  [[ -n $pid ]] || return 1
  pid_alive "$pid" || return 1
  [[ $(pid_cmdline "$pid") == *"$marker"* ]] || return 1
  printf '%s' "$pid"
}

# Start a command detached (own session, no stdin), appending to a log; the process writes its
# own pid file before exec, so the pid is right whatever setsid does.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  # shellcheck disable=SC2016
  # 9>&-: the server must not inherit with_lock's descriptor, or it would hold the stack's lock for its lifetime
  "${launcher[@]}" nohup bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "could not start: $* (no pid file $(rel "$pidfile"))"
}

# Where the class archives of the services and the Java servers live (DEVLOOP_CDS_DIR: shared by stacks with their own
# state dirs, as deploy/devloop test's deploy tests do).
cds_dir() { printf '%s' "${DEVLOOP_CDS_DIR:-$STATE_DIR/cds}"; }
# A class archive recorded to <archive>.rec is kept once it is known whole (a dynamic archive: once a JVM maps it,
# exit 0); one cut short (its JVM killed while writing it; mapping it kills a JVM with SIGBUS) is deleted, so the
# next start records it again. cds_promote java archive [whole: 1|0, known by the caller; probed when empty]
cds_promote() {
  local java=$1 jsa=$2 whole=${3:-} probe
  [[ -s $jsa.rec ]] || return 0
  if [[ -z $whole ]]; then
    whole=0
    probe=$(mktemp -d)
    (cd "$probe" && "$java" -XX:SharedArchiveFile="$jsa.rec" -Xshare:auto -XX:ErrorFile=/dev/null \
      -XX:-CreateCoredumpOnCrash -version >/dev/null 2>&1) && whole=1
    rm -rf "$probe"
  fi
  if ((whole)); then
    mv -f "$jsa.rec" "$jsa"
  else
    warn "$(basename "$jsa"): the recorded class archive is incomplete; recording it again"
    rm -f "$jsa.rec"
  fi
}

# Stop a process by pid file: SIGTERM, wait, then SIGKILL. Only the pid in the file, only if its
# command line still carries the marker (never by name).
stop_pid() {
  local name=$1 pidfile=$2 marker=$3 timeout=${4:-30} pid t0
  pid=$(read_pid "$pidfile")
  if [[ -z $pid ]]; then
    rm -f "$pidfile"
    return 1
  fi
  if ! pid_alive "$pid" || [[ $(pid_cmdline "$pid") != *"$marker"* ]]; then
    log "$name: not running (stale pid file $(rel "$pidfile") removed)"
    rm -f "$pidfile"
    return 1
  fi
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if pid_alive "$pid"; then
    warn "$name: pid $pid still running ${timeout}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while pid_alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$pidfile"
  log "$name: stopped (pid $pid, $(since "$t0"))"
  return 0
}

# ---------------------------------------------------------------------------------------------
# ports
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# "pid 123 (python3 -m http.server 6380)" for whatever listens on a port, as far as we can tell.
# The pid listening on a port, when ss can tell.
port_pid() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

port_owner() {
  local port=$1 pid cmd
  if command -v ss >/dev/null 2>&1; then
    pid=$(port_pid "$port")
    if [[ -n $pid ]]; then
      cmd=$(pid_cmdline "$pid")
      cmd=${cmd% }
      ((${#cmd} > 80)) && cmd="${cmd:0:77}..."
      printf 'pid %s (%s)' "$pid" "$cmd"
      return
    fi
  fi
  printf 'another process'
}

# Fail with one line when a port is taken by a process that is not ours.
ensure_port_free() {
  local port=$1 envvar=$2
  if port_in_use "$port"; then
    die "port $port is in use by $(port_owner "$port"); stop it or set $envvar"
  fi
}

# ---------------------------------------------------------------------------------------------
# waiting
# wait_for <what> <timeout-s> <logfile> <pid-or-empty> <command...>
# Runs the command every WAIT_INTERVAL seconds (default 0.5) until it succeeds. Fails (printing the log tail) when the
# timeout passes or the process dies first.
wait_for() {
  local what=$1 timeout=$2 logfile=$3 pid=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [[ -n $pid ]] && ! pid_alive "$pid"; then
      printf 'devloop: error: %s: process %s exited before it was ready\n' "$what" "$pid" >&2
      log_tail "$logfile" 30
      return 1
    fi
    sleep "${WAIT_INTERVAL:-0.5}"
  done
  printf 'devloop: error: %s: not ready after %ss\n' "$what" "$timeout" >&2
  log_tail "$logfile" 30
  return 1
}

# 0 when GET http://127.0.0.1:<port><path> answers 200, over bash's /dev/tcp: no process. A probe polled while
# services start must be cheap: curl took ~26 ms of CPU a call here, and bench/start.sh's probes of five starting
# services (10 a second each) used most of the 2 cores the starts were measured on.
http_get_ok() { # port path
  local fd status=""
  exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&"$fd"
  read -r -t 5 -u "$fd" _ status _ || true
  exec {fd}>&-
  [[ $status == 200 ]]
} 2>/dev/null

# Move the previous log aside so each start has a fresh file (one generation kept).
rotate_log() {
  local f=$1
  mkdir -p "$(dirname "$f")"
  [[ -s $f ]] && mv -f "$f" "$f.1"
  : >"$f"
}
