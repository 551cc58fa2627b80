# shellcheck shell=bash
# deploy/devloop identity-keys: the cell's service-to-service key set for a cluster (one machine needs none: every
# service started by `up` creates its key in $STATE_DIR/identity). Keys are made by contracts' ServiceKeys, run
# from source with the contracts classes and their runtime class path (Maven, offline once it has them).

identity_keys() {
  local dir=${1:-} secret=${DEVLOOP_IDENTITY_SECRET:-devloop-identity}
  [[ -n $dir && $dir != -* ]] || die "usage: deploy/devloop identity-keys <dir>   (an empty or new directory)"
  require java
  local mvn cp
  mvn=$(mvn_cmd)
  cp=$(mktemp)
  log "identity-keys: compiling contracts and resolving its class path ($mvn -q -pl contracts compile dependency:build-classpath)" >&2
  (cd "$ROOT" && "$mvn" -B -q -pl contracts compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp" >&2) || { rm -f "$cp"; die "could not build contracts (see the Maven output above)"; }
  mkdir -p "$dir"
  local rc=0
  java -cp "$ROOT/contracts/target/classes:$(<"$cp")" "$DEPLOY_DIR/lib/IdentityKeys.java" "$dir" "${SERVICES[@]}" || rc=$?
  rm -f "$cp"
  ((rc == 0)) || die "identity-keys: no key set written to $dir"
  dir=$(cd "$dir" && pwd)
  local svc files=()
  for svc in "${SERVICES[@]}"; do files+=("--from-file=$dir/$svc.jwk.json"); done
  files+=("--from-file=$dir/jwks.json")
  cat <<EOT

The private keys are secrets: keep $dir safe (or delete it once the Secret exists). Create the Secret the chart
mounts (values: identity.existingSecret=$secret) in the release's namespace:

  kubectl -n <namespace> create secret generic $secret ${files[*]}
EOT
}
