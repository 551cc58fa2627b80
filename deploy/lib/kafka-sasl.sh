# shellcheck shell=bash
# DEVLOOP_KAFKA_SASL=1: the local Kafka as the chart expects its brokers (k8s/README.md "Kafka authentication"), so
# the services can be tried against it on one machine (deploy/test/kafka-sasl-stack.sh). The client listener on
# $KAFKA_PORT is SASL_PLAINTEXT with SCRAM-SHA-512 only, inter-broker traffic goes over it as the super user `admin`
# (its SCRAM credential added when the storage is formatted), StandardAuthorizer with no ACL = no access, no topic
# auto-creation (servers.sh). The controller listener stays PLAINTEXT on 127.0.0.1 (KRaft cannot authenticate it with SCRAM).
# After the topics, the chart's own ACL Job script (rendered from k8s/devloop/ci/kafka-sasl-values.yaml) runs against
# this broker with /opt/kafka/bin/kafka-*.sh mapped to the local jars, the admin's --command-config and one generated
# password per service; each service then starts with exactly the SASL environment the chart gives its pod.
# Unset, nothing here changes anything. State: $STATE_DIR/servers/kafka/sasl/ (passwords mode 600).

KAFKA_SASL_VALUES="$ROOT/k8s/devloop/ci/kafka-sasl-values.yaml"
KAFKA_SASL_RELEASE=devloop-sasl
KAFKA_SASL_MECHANISM=SCRAM-SHA-512
KAFKA_SASL_ADMIN="admin"

kafka_sasl_on() { [[ ${DEVLOOP_KAFKA_SASL:-0} == 1 ]]; }
kafka_sasl_dir() { printf '%s/sasl' "$(server_dir kafka)"; }

# kafka_sasl_secret <name>: a password made once (64 hex characters: what the ACL script accepts), mode 600
kafka_sasl_secret() {
  local f
  f="$(kafka_sasl_dir)/passwords/$1"
  if [[ ! -s $f ]]; then
    mkdir -p "$(dirname "$f")"
    chmod 700 "$(dirname "$f")"
    (umask 077 && openssl rand -hex 32 >"$f.tmp" && mv "$f.tmp" "$f") || die "kafka: could not write $(rel "$f")"
  fi
  cat "$f"
}

# A client properties file for a SCRAM user (mode 600): the admin's is the --command-config of the tools.
kafka_sasl_client_properties() {
  local user=$1 password=$2 file=$3
  (
    umask 077
    printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=%s\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
      "$KAFKA_SASL_MECHANISM" "$user" "$password" >"$file"
  )
}
kafka_sasl_admin_config() { printf '%s/admin.properties' "$(kafka_sasl_dir)"; }

# The client settings KafkaAdmin (ping, ensure-topics, offsets) reads: exported for the kafka_java calls.
kafka_sasl_client_env() {
  if kafka_sasl_on; then
    mkdir -p "$(kafka_sasl_dir)"
    kafka_sasl_client_properties "$KAFKA_SASL_ADMIN" "$(kafka_sasl_secret "$KAFKA_SASL_ADMIN")" "$(kafka_sasl_admin_config)"
    export DEVLOOP_KAFKA_CLIENT_CONFIG
    DEVLOOP_KAFKA_CLIENT_CONFIG=$(kafka_sasl_admin_config)
  else
    unset DEVLOOP_KAFKA_CLIENT_CONFIG
  fi
}

# server.properties lines for the listeners and security (both modes: the default is today's PLAINTEXT).
kafka_sasl_server_properties() {
  if ! kafka_sasl_on; then
    cat <<EOF
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
EOF
    return 0
  fi
  cat <<EOF
# DEVLOOP_KAFKA_SASL=1 (deploy/lib/kafka-sasl.sh): SCRAM-SHA-512 on the client listener, ACLs enforced
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=$KAFKA_SASL_MECHANISM
sasl.mechanism.inter.broker.protocol=$KAFKA_SASL_MECHANISM
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_SASL_ADMIN" password="$(kafka_sasl_secret "$KAFKA_SASL_ADMIN")";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# ANONYMOUS = the broker's own requests on the PLAINTEXT controller listener (127.0.0.1 only; SASL clients never are)
super.users=User:$KAFKA_SASL_ADMIN;User:ANONYMOUS
EOF
}

# Extra StorageTool format arguments: the admin's SCRAM credential, in the metadata from the start.
kafka_sasl_format_args() {
  kafka_sasl_on || return 0
  printf -- '--add-scram\n%s=[name=%s,password=%s]\n' "$KAFKA_SASL_MECHANISM" "$KAFKA_SASL_ADMIN" \
    "$(kafka_sasl_secret "$KAFKA_SASL_ADMIN")"
}

# A storage formatted in one mode is refused in the other (the admin credential exists only in a SASL format).
kafka_sasl_check_storage() {
  local marker
  marker="$(server_dir kafka)/data/kraft/.devloop-sasl"
  [[ -f $(server_dir kafka)/data/kraft/meta.properties ]] || return 0
  if kafka_sasl_on && [[ ! -f $marker ]]; then
    die "kafka: its storage ($(rel "$(server_dir kafka)/data")) was formatted without SASL (no admin credential): use another DEVLOOP_STATE_DIR for DEVLOOP_KAFKA_SASL=1, or delete that directory"
  fi
  if ! kafka_sasl_on && [[ -f $marker ]]; then
    die "kafka: its storage ($(rel "$(server_dir kafka)/data")) was formatted for DEVLOOP_KAFKA_SASL=1: set it again, or delete that directory"
  fi
}
kafka_sasl_mark_storage() {
  if kafka_sasl_on; then : >"$(server_dir kafka)/data/kraft/.devloop-sasl"; fi
}

# ---------------------------------------------------------------------------------------------
# the chart's ACL Job, run here

# /opt/kafka/bin/kafka-acls.sh and kafka-configs.sh of the tools image, as scripts over the local Kafka jars:
# kafka-acls.sh = org.apache.kafka.tools.AclCommand (kafka-tools, copied next to the broker's jars once),
# kafka-configs.sh = kafka.admin.ConfigCommand (kafka_2.13, already there).
kafka_sasl_bin() {
  local bin tools version
  bin="$(kafka_sasl_dir)/bin"
  tools="$(kafka_sasl_dir)/tools-lib"
  version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$DEPLOY_DIR/servers/kafka/pom.xml")
  if [[ ! -s $tools/kafka-tools-$version.jar ]]; then
    log "kafka: copying kafka-tools $version (AclCommand) from Maven" >&2
    "$(mvn_cmd)" -q -B -ntp -f "$DEPLOY_DIR/servers/kafka/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.kafka:kafka-tools:$version" -DoutputDirectory="$tools" >"$(kafka_sasl_dir)/tools.mvn.log" 2>&1 ||
      { log_tail "$(kafka_sasl_dir)/tools.mvn.log" 20; die "kafka: could not copy kafka-tools $version"; }
  fi
  mkdir -p "$bin"
  local cmd class jsa="$bin/kafka-tools-$version.jsa"
  # The Job starts one JVM per credential, grant and listing (~30 here). The first writes a class archive of what it
  # loaded (dynamic AppCDS, JDK 13+); the others map it: ~1.1 instead of ~2.0 CPU s each (docs/scaling.md, stop 31).
  for cmd in kafka-acls.sh:org.apache.kafka.tools.AclCommand kafka-configs.sh:kafka.admin.ConfigCommand; do
    class=${cmd#*:}
    cat >"$bin/${cmd%%:*}" <<EOF
#!/bin/sh
if [ -s "$jsa" ]; then cds="-XX:SharedArchiveFile=$jsa"; else cds="-XX:ArchiveClassesAtExit=$jsa.\$\$"; fi
java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off "\$cds" \\
  -Dlog4j2.configurationFile="$(server_dir kafka)/config/log4j2-tools.properties" \\
  -cp "$tools/*:$(kafka_lib)/*" $class "\$@"
rc=\$?
if [ -s "$jsa.\$\$" ]; then mv -f "$jsa.\$\$" "$jsa"; fi
exit \$rc
EOF
    chmod +x "$bin/${cmd%%:*}"
  done
  printf '%s' "$bin"
}

# The chart rendered with kafka-sasl-values.yaml for this broker: bootstrap = the local listener, no topic prefix
# (the local topics have none; the script is otherwise unchanged). Cached per values file, chart and port.
kafka_sasl_render() {
  local out stamp helm
  out="$(kafka_sasl_dir)/chart.yaml"
  stamp=$( (
    cat "$KAFKA_SASL_VALUES"
    find "$ROOT/k8s/devloop" -type f | sort | xargs cat
    printf '%s' "$KAFKA_PORT"
  ) | sha256sum | cut -c1-16)
  if [[ ! -s $out || $(cat "$out.stamp" 2>/dev/null) != "$stamp" ]]; then
    require node
    helm=${DEVLOOP_HELM:-$(helm_bin)}
    "$helm" template "$KAFKA_SASL_RELEASE" "$ROOT/k8s/devloop" -f "$KAFKA_SASL_VALUES" --namespace "$KAFKA_SASL_RELEASE" \
      --set "kafka.bootstrapServers=127.0.0.1:$KAFKA_PORT" --set-string "cell.topicPrefix=" >"$out.tmp" ||
      die "kafka: helm template failed for $(rel "$KAFKA_SASL_VALUES")"
    mv "$out.tmp" "$out"
    printf '%s' "$stamp" >"$out.stamp"
  fi
  printf '%s' "$out"
}

# node over the rendered chart (js-yaml of deploy/chart-check); prints what <mode> asks for:
#   acl-script          the <release>-kafka-acls Job's script
#   acl-env             its container env: NAME=value, or NAME=@secret:<key> for a secretKeyRef
#   service-env <svc>   the pod's KAFKA_* env (same notation), DEVLOOP_KAFKA_PASSWORD included
kafka_sasl_extract() {
  local rendered=$1
  shift
  [[ -d $DEPLOY_DIR/chart-check/node_modules/js-yaml ]] || chart_check_deps >&2
  # shellcheck disable=SC2016 # JavaScript, not shell
  JS_YAML="$DEPLOY_DIR/chart-check/node_modules/js-yaml" RELEASE="$KAFKA_SASL_RELEASE" node -e '
const fs = require("fs");
const yaml = require(process.env.JS_YAML);
const [file, mode, svc] = process.argv.slice(1);
const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter(Boolean);
const envLines = (c) => (c.env ?? []).map((e) => e.value !== undefined ? `${e.name}=${e.value}`
  : e.valueFrom?.secretKeyRef ? `${e.name}=@secret:${e.valueFrom.secretKeyRef.key}` : null).filter(Boolean);
if (mode === "acl-script" || mode === "acl-env") {
  const job = docs.find((d) => d.kind === "Job" && d.metadata.name === `${process.env.RELEASE}-kafka-acls`);
  if (!job) { console.error("no kafka-acls Job in the render"); process.exit(1); }
  const c = job.spec.template.spec.containers[0];
  if (mode === "acl-script") process.stdout.write(c.args[0]);
  else console.log(envLines(c).join("\n"));
} else if (mode === "service-env") {
  const c = docs.filter((d) => d.kind === "Deployment").flatMap((d) => d.spec.template.spec.containers).find((c) => c.name === svc);
  if (!c) { console.error(`no Deployment container ${svc}`); process.exit(1); }
  const lines = envLines(c).filter((l) => /^(KAFKA_|DEVLOOP_KAFKA_PASSWORD=)/.test(l));
  if (!lines.some((l) => l.startsWith("KAFKA_SASL_JAAS_CONFIG="))) { console.error(`${svc} has no SASL settings`); process.exit(1); }
  console.log(lines.join("\n"));
} else { console.error("mode?"); process.exit(2); }
' "$rendered" "$@"
}

# A secret reference of the users Secret: the key is a service name or the admin's key.
kafka_sasl_resolve() {
  local line=$1 name value
  name=${line%%=*}
  value=${line#*=}
  if [[ $value == @secret:* ]]; then
    value=$(kafka_sasl_secret "${value#@secret:}")
  fi
  printf '%s=%s\n' "$name" "$value"
}

# Runs the chart's ACL Job script against the local broker (after the topics exist). Skipped when this exact script
# already ran against this storage (stamp in the data dir), so `servers up` on a running broker is quick.
kafka_sasl_apply_acls() {
  kafka_sasl_on || return 0
  local dir rendered bin work stamp marker rc=0 t0 line env=()
  dir=$(kafka_sasl_dir)
  rendered=$(kafka_sasl_render)
  work="$dir/acl-job"
  kafka_sasl_extract "$rendered" acl-script >"$dir/acl-script.sh" ||
    { printf 'devloop: error: kafka: no ACL Job in the rendered chart\n' >&2; return 1; }
  while IFS= read -r line; do env+=("$(kafka_sasl_resolve "$line")"); done < <(kafka_sasl_extract "$rendered" acl-env)
  stamp=$(cat "$dir/acl-script.sh" "$dir/passwords"/* | sha256sum | cut -c1-16)
  marker="$(server_dir kafka)/data/kraft/.devloop-acls"
  if [[ $(cat "$marker" 2>/dev/null) == "$stamp" ]]; then
    log "kafka: the chart's ACL Job already ran against this broker (same script and passwords)"
    return 0
  fi
  rm -rf "$work"
  mkdir -p "$work"
  chmod 700 "$work"
  cp "$dir/acl-script.sh" "$work/script.sh"
  bin=$(kafka_sasl_bin)
  # the image's paths: its kafka-*.sh and its memory-backed /tmp (here a private directory, mode 700)
  sed -i -e "s:/tmp/:$work/:g" -e "s:/opt/kafka/bin/:$bin/:g" "$work/script.sh"
  env+=("DEVLOOP_KAFKA_CONFIG=$work/kafka-admin.properties" "LOG_DIR=$work/logs")
  t0=$(now_ms)
  log "kafka: running the chart's ACL Job script ($KAFKA_SASL_RELEASE-kafka-acls, $(rel "$KAFKA_SASL_VALUES")); log: $(rel "$work/acl-job.log")"
  env "${env[@]}" sh -ec "$(cat "$work/script.sh")" >"$work/acl-job.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    log_tail "$work/acl-job.log" 30
    # not die: the caller releases the stack lock (a spawned broker inherits its descriptor)
    printf "devloop: error: kafka: the chart's ACL Job script failed (exit %s)\n" "$rc" >&2
    return 1
  fi
  printf '%s' "$stamp" >"$marker"
  log "kafka: ACL Job done in $(since "$t0"): $(grep -c 'SCRAM credential of' "$work/acl-job.log") SCRAM users, $(grep -c '^kafka-acls: User:' "$work/acl-job.log") ACL grants"
}

# The environment words (NAME=value) of one service's start: the chart's SASL env for its pod, with its password
# (the kubelet's $(DEVLOOP_KAFKA_PASSWORD) expansion done here). Nothing without DEVLOOP_KAFKA_SASL=1.
kafka_sasl_service_env() {
  kafka_sasl_on || return 0
  local svc=$1 rendered line password="" lines=()
  rendered=$(kafka_sasl_render)
  mapfile -t lines < <(kafka_sasl_extract "$rendered" service-env "$svc") || true
  ((${#lines[@]} > 0)) || die "kafka: no SASL settings for $svc in the rendered chart"
  for line in "${lines[@]}"; do
    line=$(kafka_sasl_resolve "$line")
    [[ $line == DEVLOOP_KAFKA_PASSWORD=* ]] && password=${line#*=}
  done
  for line in "${lines[@]}"; do
    line=$(kafka_sasl_resolve "$line")
    [[ $line == DEVLOOP_KAFKA_PASSWORD=* ]] && continue
    printf '%s\n' "${line//\$(DEVLOOP_KAFKA_PASSWORD)/$password}"
  done
}
