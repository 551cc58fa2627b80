# shellcheck shell=bash
# The Java runtime the services run on. They are built for Java 17 (the build's JDK), but run on the newest JDK of
# the machine when it is 21 or later: JDK 21+ signs and verifies the event codec's ES256 signatures 2.7-2.9x faster
# than 17 (precomputed P-256 tables; docs/scaling.md) and its JIT and G1 start faster. The build machine has
# Temurin 25 beside OpenJDK 17 under /usr/lib/jvm. DEVLOOP_SERVICE_JAVA_HOME picks one; DEVLOOP_SERVICE_JAVA_HOME=path
# of the build's JDK keeps them on 17. Sourced by deploy/devloop and by the benches (no other dependency).

# The major version of the JDK at $1 (a JAVA_HOME), from its release file; 0 when unknown.
java_home_major() {
  local version
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  printf '%s' "${version:-0}"
}

# The JAVA_HOME the services run on (see above); empty means the java on PATH.
service_java_home() {
  if [[ -n ${DEVLOOP_SERVICE_JAVA_HOME:-} ]]; then
    printf '%s' "$DEVLOOP_SERVICE_JAVA_HOME"
    return 0
  fi
  local home major best="" best_major=20
  for home in /usr/lib/jvm/*/; do
    home=${home%/}
    [[ -L $home || ! -x $home/bin/java ]] && continue
    major=$(java_home_major "$home")
    if ((major > best_major)); then
      best=$home
      best_major=$major
    fi
  done
  printf '%s' "$best"
}

# The java binary of the services.
service_java() {
  local home
  home=$(service_java_home)
  if [[ -n $home ]]; then printf '%s/bin/java' "$home"; else command -v java; fi
}

# Options only a newer runtime knows: JDK 24+ warns at every start about Netty's sun.misc.Unsafe use and about the
# ONNX runtime's and Netty's native access unless they are allowed explicitly.
service_java_runtime_opts() {
  local home
  home=$(service_java_home)
  [[ -n $home ]] || return 0
  if (($(java_home_major "$home") >= 24)); then
    printf -- '--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow'
  fi
}
