{{/* Full name of a component's objects: <release>-<component>. */}}
{{- define "devloop.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "devloop.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .name }}
app.kubernetes.io/part-of: devloop
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
devloop.dev/cell: {{ .root.Values.cell.name | quote }}
{{- end -}}

{{- define "devloop.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A component's settings: the default block overlaid with its own. */}}
{{- define "devloop.component" -}}
{{- $merged := mergeOverwrite (deepCopy .root.Values.default) (deepCopy .component) -}}
{{- toYaml $merged -}}
{{- end -}}

{{- define "devloop.flavor" -}}
{{- default .root.Values.image.flavor .component.imageFlavor -}}
{{- end -}}

{{- define "devloop.image" -}}
{{- $flavor := include "devloop.flavor" . -}}
{{- printf "%s/%s/%s:%s-%s" .root.Values.image.registry .root.Values.image.repository .name .root.Values.image.tag $flavor -}}
{{- end -}}

{{/* The Redis the services use: redis.url, or the cell's own <release>-redis (redis.yaml) when it is empty. */}}
{{- define "devloop.redisUrl" -}}
{{- if .Values.redis.url -}}
{{- .Values.redis.url -}}
{{- else -}}
{{- printf "redis://%s-redis:6379" .Release.Name -}}
{{- end -}}
{{- end -}}

{{- define "devloop.providersSecret" -}}
{{- default (printf "%s-providers" .Release.Name) .Values.providers.existingSecret -}}
{{- end -}}

{{- define "devloop.neo4jSecret" -}}
{{- default (printf "%s-neo4j" .Release.Name) .Values.neo4j.existingSecret -}}
{{- end -}}

{{- define "devloop.identitySecret" -}}
{{- default (printf "%s-identity" .Release.Name) .Values.identity.existingSecret -}}
{{- end -}}

{{- define "devloop.jwtSecret" -}}
{{- default (printf "%s-jwt" .Release.Name) .Values.jwt.existingSecret -}}
{{- end -}}

{{/*
The api-gateway's tenant -> cell table (see `routing` in values.yaml), as Quarkus properties read through
QUARKUS_CONFIG_LOCATIONS. This cell is the gateway's `local` cell (its URLs come from the ConfigMap's
DEVLOOP_*_URL); every other cell gets one URL per service, named like this chart names them.
*/}}
{{- define "devloop.routingProperties" -}}
{{- $root := . -}}
{{- $self := .Values.cell.name -}}
# Rendered by the chart from .Values.routing.
{{- range $cell, $c := .Values.routing.cells }}
{{- if eq $cell "local" }}
{{- fail "routing.cells.local: 'local' is the gateway's name for its own cell; name the cell otherwise" }}
{{- end }}
{{- if ne $cell $self }}
{{- range $svc := list "agent-service" "knowledge-service" "tool-service" "provider-gateway" }}
{{- $port := (index $root.Values.components $svc).port }}
devloop.gateway.cells.urls."{{ $cell }}".{{ $svc }}={{ ternary "https" "http" ($root.Values.tls.mtls.enabled | default false) }}://{{ printf "%s-%s" $c.release $svc | trunc 63 | trimSuffix "-" }}.{{ $c.namespace }}.svc.{{ default "cluster.local" $c.clusterDomain }}:{{ $port }}
{{- end }}
{{- end }}
{{- end }}
{{- range $tenant, $cell := .Values.routing.tenants }}
{{- if and (ne $cell $self) (not (hasKey $root.Values.routing.cells $cell)) }}
{{- fail (printf "routing.tenants.%s: cell '%s' is neither this cell ('%s') nor listed in routing.cells" $tenant $cell $self) }}
{{- end }}
devloop.gateway.cells.tenants."{{ $tenant }}"={{ ternary "local" $cell (eq $cell $self) }}
{{- end }}
{{- range $tenant := .Values.cell.tenants }}
{{- $routed := index $root.Values.routing.tenants $tenant | default $self }}
{{- if ne $routed $self }}
{{- fail (printf "cell.tenants lists '%s', but routing.tenants sends it to cell '%s'" $tenant $routed) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The parts every step of the backup CronJob shares (backup-cronjob.yaml): a POSIX shell script in args, the
work directory W on the backup volume, the settings as env; "secret" adds the one secret a step needs
(mongodb: the connection string, neo4j: the password, kafka: the Kafka admin credential), so no step sees the
others'.
*/}}
{{- define "devloop.backupContainer" -}}
{{- $root := .root -}}
{{- $b := $root.Values.backup -}}
imagePullPolicy: {{ $root.Values.image.pullPolicy }}
command: ["/bin/sh", "-ec"]
resources:
  {{- toYaml $b.resources | nindent 2 }}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  privileged: false
  capabilities:
    drop: ["ALL"]
volumeMounts:
  - name: backup
    mountPath: /backup
  - name: tmp
    mountPath: /tmp
  {{- if eq .secret "kafka" }}
  {{- include "devloop.kafkaCaMount" $root | nindent 2 }}
  {{- end }}
env:
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  - name: W
    value: /backup/.partial-$(POD_NAME)
  - name: HOME
    value: /tmp
  - name: LOG_DIR
    value: /tmp/logs
  - name: KAFKA_OPTS
    value: "-Xmx256m"
  - name: CELL
    value: {{ $root.Values.cell.name | quote }}
  - name: PROJECT_VERSION
    value: {{ $root.Chart.AppVersion | quote }}
  - name: KAFKA_BOOTSTRAP
    value: {{ $root.Values.kafka.bootstrapServers | quote }}
  - name: TOPIC_PREFIX
    value: {{ $root.Values.cell.topicPrefix | quote }}
  - name: DB_PREFIX
    value: {{ $root.Values.cell.databasePrefix | quote }}
  - name: REDIS_URL
    value: {{ include "devloop.redisUrl" $root | quote }}
  - name: NEO4J_URI
    value: {{ $root.Values.neo4j.uri | quote }}
  - name: NEO4J_USER
    value: {{ $root.Values.neo4j.user | quote }}
  - name: NEO4J_METHOD
    value: {{ $b.neo4j.method | quote }}
  - name: NEO4J_STS
    value: {{ $b.neo4j.statefulSet | quote }}
  - name: NEO4J_CLAIM
    value: {{ $b.neo4j.dataClaim | quote }}
  - name: NEO4J_REPLICAS
    value: {{ $b.neo4j.replicas | quote }}
  - name: NEO4J_IMAGE
    value: {{ $b.neo4j.image | quote }}
  - name: KEEP
    value: {{ $b.retention.keep | quote }}
  - name: S3_BUCKET
    value: {{ $b.s3.bucket | quote }}
  - name: S3_PREFIX
    value: {{ $b.s3.prefix | quote }}
  - name: S3_ENDPOINT_ARG
    value: {{ ternary (printf "--endpoint-url %s" $b.s3.endpoint) "" (ne $b.s3.endpoint "") | quote }}
  - name: AWS_DEFAULT_REGION
    value: {{ $b.s3.region | quote }}
  {{- if eq .secret "mongodb" }}
  - name: MONGO_URL
    {{- if $root.Values.mongodb.existingSecret }}
    valueFrom:
      secretKeyRef:
        name: {{ $root.Values.mongodb.existingSecret }}
        key: {{ $root.Values.mongodb.existingSecretKey }}
    {{- else }}
    value: {{ $root.Values.mongodb.url | quote }}
    {{- end }}
  {{- end }}
  {{- if eq .secret "kafka" }}
  {{- include "devloop.kafkaAdminEnv" $root | nindent 2 }}
  {{- end }}
  {{- if eq .secret "neo4j" }}
  - name: NEO4J_PASSWORD
    valueFrom:
      secretKeyRef:
        name: {{ include "devloop.neo4jSecret" $root }}
        key: {{ $root.Values.neo4j.existingSecretKey }}
  {{- end }}
{{- end -}}

{{/*
Kafka authentication (values kafka.sasl, k8s/README.md "Kafka authentication"). Principals are
User:<usernamePrefix><service>; the default prefix devloop-<cell.name>- gives every cell its own set.
*/}}
{{- define "devloop.kafkaUser" -}}
{{- $prefix := .root.Values.kafka.sasl.usernamePrefix | default (printf "devloop-%s-" .root.Values.cell.name) -}}
{{- printf "%s%s" $prefix .name -}}
{{- end -}}

{{- define "devloop.kafkaUsersSecret" -}}
{{- default (printf "%s-kafka-users" .Release.Name) .Values.kafka.sasl.existingSecret -}}
{{- end -}}

{{- define "devloop.kafkaAdminSecret" -}}
{{- default (include "devloop.kafkaUsersSecret" .) .Values.kafka.sasl.admin.existingSecret -}}
{{- end -}}

{{- define "devloop.kafkaTls" -}}
{{- if and .Values.kafka.sasl.enabled (eq .Values.kafka.securityProtocol "SASL_SSL") .Values.kafka.truststore.existingSecret -}}true{{- end -}}
{{- end -}}

{{/*
What each service may do on Kafka, without the cell's topic prefix (the ACL Job adds it). Derived from
docs/design.md §3 and the services' application.properties; deploy/chart-check/kafka.mjs re-derives it from
contracts EventProducers and those files and fails the chart check when they part:
  write   the topics it produces (EventProducers), plus the .dlq of each topic it consumes with a dead-letter
          strategy; tool-service's replay_dead_letters writes back the originals of its allow-listed .dlq topics
  read    the topics it consumes (and tool-service the allow-listed .dlq topics)
  cellGroups  its subscribing consumer groups, named per cell (the ACL Job adds the prefix, as the services do: cells
          sharing brokers must not share a group, or each one's restart rebalances the other's consumers)
  groups  literal consumer group ids (tool-service's assign-only replay group); groupPrefixes: prefixed group ACLs
          (api-gateway-<uuid> per replica)
*/}}
{{- define "devloop.kafkaAccess" -}}
api-gateway:
  write: [devloop.webhook.deliveries, devloop.forge.events, devloop.grants.revocations, devloop.webhook.deliveries.dlq]
  read: [devloop.agent.lifecycle, devloop.agent.results, devloop.tool.invocations, devloop.system.health, devloop.provider.usage, devloop.roadmap.events, devloop.webhook.deliveries]
  cellGroups: [api-gateway-webhooks]
  groups: []
  groupPrefixes: [api-gateway-]
agent-service:
  write: [devloop.agent.results, devloop.agent.lifecycle, devloop.knowledge.facts, devloop.system.health, devloop.agent.tasks.dlq, devloop.grants.revocations.dlq]
  read: [devloop.agent.tasks, devloop.grants.revocations]
  cellGroups: [agent-service]
  groups: []
  groupPrefixes: []
knowledge-service:
  write: [devloop.cache.invalidation, devloop.roadmap.events, devloop.knowledge.facts.dlq, devloop.agent.lifecycle.dlq, devloop.forge.events.dlq, devloop.cache.invalidation.dlq]
  read: [devloop.knowledge.facts, devloop.agent.lifecycle, devloop.forge.events, devloop.cache.invalidation]
  cellGroups: [knowledge-service, knowledge-service-cache]
  groups: []
  groupPrefixes: []
tool-service:
  write: [devloop.tool.invocations, devloop.knowledge.facts, devloop.system.health, devloop.forge.events, devloop.agent.tasks, devloop.agent.lifecycle, devloop.cache.invalidation, devloop.webhook.deliveries]
  read: [devloop.agent.tasks.dlq, devloop.knowledge.facts.dlq, devloop.agent.lifecycle.dlq, devloop.forge.events.dlq, devloop.cache.invalidation.dlq, devloop.webhook.deliveries.dlq]
  cellGroups: []
  groups: [devloop-dlq-replay]
  groupPrefixes: []
provider-gateway:
  write: [devloop.provider.usage]
  read: []
  cellGroups: []
  groups: []
  groupPrefixes: []
{{- end -}}

{{/*
A service container's Kafka client settings, as the env vars Quarkus maps to the global kafka.* properties (every
channel and the health check use them). The password comes from the service's own key of the users Secret and is
expanded into the JAAS line by the kubelet ($(VAR)), so it is in no ConfigMap and no other pod.
*/}}
{{- define "devloop.kafkaClientEnv" -}}
{{- $root := .root -}}
{{- $k := $root.Values.kafka -}}
- name: DEVLOOP_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "devloop.kafkaUsersSecret" $root }}
      key: {{ .name }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"$(DEVLOOP_KAFKA_PASSWORD)\";" (include "devloop.kafkaUser" .) | quote }}
{{- if include "devloop.kafkaTls" $root }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/devloop/kafka-ca/ca.crt
{{- end }}
{{- end -}}

{{/*
The admin credential of a Kafka Job container (topics, ACLs, backup offsets): env only; the script writes it to
$DEVLOOP_KAFKA_CONFIG with devloop.kafkaAdminConfigScript and passes --command-config. Empty without SASL.
*/}}
{{- define "devloop.kafkaAdminEnv" -}}
{{- $k := .Values.kafka -}}
- name: DEVLOOP_KAFKA_CONFIG
  value: /tmp/kafka-admin.properties
{{- if $k.sasl.enabled }}
- name: DEVLOOP_KAFKA_ADMIN_USER
  value: {{ required "kafka.sasl.admin.username is required with kafka.sasl.enabled (a Kafka super user the Jobs use)" $k.sasl.admin.username | quote }}
- name: DEVLOOP_KAFKA_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "devloop.kafkaAdminSecret" . }}
      key: {{ $k.sasl.admin.passwordKey }}
- name: DEVLOOP_KAFKA_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
- name: DEVLOOP_KAFKA_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
{{- if include "devloop.kafkaTls" . }}
- name: DEVLOOP_KAFKA_TRUSTSTORE
  value: /etc/devloop/kafka-ca/ca.crt
{{- end }}
{{- end }}
{{- end -}}

{{/* Shell lines writing $DEVLOOP_KAFKA_CONFIG (mode 0600) from devloop.kafkaAdminEnv. */}}
{{- define "devloop.kafkaAdminConfigScript" -}}
( umask 077; : > "$DEVLOOP_KAFKA_CONFIG"
  if [ -n "${DEVLOOP_KAFKA_ADMIN_USER:-}" ]; then
    printf 'security.protocol=%s\nsasl.mechanism=%s\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
      "$DEVLOOP_KAFKA_PROTOCOL" "$DEVLOOP_KAFKA_MECHANISM" "$DEVLOOP_KAFKA_ADMIN_USER" "$DEVLOOP_KAFKA_ADMIN_PASSWORD" >> "$DEVLOOP_KAFKA_CONFIG"
  fi
  if [ -n "${DEVLOOP_KAFKA_TRUSTSTORE:-}" ]; then
    printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$DEVLOOP_KAFKA_TRUSTSTORE" >> "$DEVLOOP_KAFKA_CONFIG"
  fi )
{{- end -}}

{{/* The CA volume (mount at /etc/devloop/kafka-ca) when SASL_SSL uses a private CA. */}}
{{- define "devloop.kafkaCaVolume" -}}
{{- if include "devloop.kafkaTls" . }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.truststore.existingSecret }}
    items:
      - key: {{ .Values.kafka.truststore.key }}
        path: ca.crt
{{- end }}
{{- end -}}

{{- define "devloop.kafkaCaMount" -}}
{{- if include "devloop.kafkaTls" . }}
- name: kafka-ca
  mountPath: /etc/devloop/kafka-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Mutual TLS between the services (values tls.mtls, k8s/README.md "mTLS between services"). "true" when on.
*/}}
{{- define "devloop.mtls" -}}
{{- if .Values.tls.mtls.enabled -}}true{{- end -}}
{{- end -}}

{{/* The Secret cert-manager writes a service's certificate to (tls.crt, tls.key, ca.crt). */}}
{{- define "devloop.mtlsSecret" -}}
{{- printf "%s-mtls" (include "devloop.fullname" .) -}}
{{- end -}}

{{/* The issuer of the services' certificates: the chart's self-signed CA, or tls.mtls.issuerRef. */}}
{{- define "devloop.mtlsIssuerRef" -}}
{{- $m := .Values.tls.mtls -}}
{{- if $m.createSelfSignedCA -}}
name: {{ printf "%s-mtls-ca" .Release.Name }}
kind: Issuer
group: cert-manager.io
{{- else -}}
name: {{ required "tls.mtls.issuerRef.name (or tls.mtls.createSelfSignedCA: true) is required with tls.mtls.enabled" $m.issuerRef.name }}
kind: {{ $m.issuerRef.kind | default "Issuer" }}
group: {{ $m.issuerRef.group | default "cert-manager.io" }}
{{- end -}}
{{- end -}}

{{/*
The Quarkus REST clients of each service that call a sibling (quarkus.rest-client.<name>.url on a DEVLOOP_*_URL in
its application.properties). deploy/chart-check/mtls.mjs re-derives the list from the services'
application.properties and fails the chart check when they part.
*/}}
{{- define "devloop.restClients" -}}
api-gateway: [agent-service]
agent-service: [provider-gateway, tool-service]
knowledge-service: [provider-gateway]
tool-service: [knowledge-service, knowledge-service-health]
provider-gateway: []
{{- end -}}

{{/* Base URL of a sibling's API: https with mTLS. ctx: root, name (the sibling). */}}
{{- define "devloop.serviceUrl" -}}
{{- $c := index .root.Values.components .name -}}
{{- printf "%s://%s:%v" (ternary "https" "http" (.root.Values.tls.mtls.enabled | default false)) (include "devloop.fullname" .) $c.port -}}
{{- end -}}

{{/*
A service's mTLS settings, as the env vars Quarkus and the services map to their properties (the images are built
with quarkus.http.ssl.client-auth=request and no management interface, so /q/ stays on this port):
- the TLS registry configuration `cell`: its own certificate and key, the cell's CA as trust store, re-read every
  reloadPeriod; the HTTP server on it, HTTPS only on the component port;
- every sibling REST client presenting the service's certificate, and DEVLOOP_TLS_CONFIGURATION for the clients the
  services build themselves (the gateway's hops, tool-service's admin calls, the health probes);
- DEVLOOP_IDENTITY_CLIENT_CERTIFICATE=required: the identity filter refuses a call outside /q/ without a verified
  client certificate of the service its token names (azp);
- the System Health Agent's targets (by default agent-service reads itself on http://127.0.0.1) over https.
The sibling URLs themselves (DEVLOOP_*_URL) are https through devloop.serviceUrl.
*/}}
{{- define "devloop.mtlsEnv" -}}
{{- $root := .root -}}
{{- $m := $root.Values.tls.mtls -}}
{{- $dir := "/etc/devloop/mtls" -}}
QUARKUS_TLS__CELL__KEY_STORE_PEM__0__CERT: {{ printf "%s/tls.crt" $dir }}
QUARKUS_TLS__CELL__KEY_STORE_PEM__0__KEY: {{ printf "%s/tls.key" $dir }}
QUARKUS_TLS__CELL__TRUST_STORE_PEM_CERTS: {{ printf "%s/ca.crt" $dir }}
QUARKUS_TLS__CELL__RELOAD_PERIOD: {{ $m.reloadPeriod | quote }}
QUARKUS_HTTP_TLS_CONFIGURATION_NAME: cell
QUARKUS_HTTP_SSL_PORT: {{ .component.port | quote }}
QUARKUS_HTTP_INSECURE_REQUESTS: disabled
DEVLOOP_TLS_CONFIGURATION: cell
DEVLOOP_IDENTITY_CLIENT_CERTIFICATE: required
{{- range $client := index (include "devloop.restClients" $root | fromYaml) .name | default list }}
QUARKUS_REST_CLIENT__{{ $client | upper | replace "-" "_" }}__TLS_CONFIGURATION_NAME: cell
{{- end }}
{{- if eq .name "agent-service" }}
{{- $list := list }}
{{- range $svc := list "agent-service" "knowledge-service" "tool-service" "provider-gateway" "api-gateway" }}
{{- if (index $root.Values.components $svc).enabled }}
{{- $list = append $list (printf "%s=%s" $svc (include "devloop.serviceUrl" (dict "root" $root "name" $svc))) }}
{{- end }}
{{- end }}
DEVLOOP_AGENT_SYSTEM_HEALTH_COMPONENTS: {{ join "," $list | quote }}
{{- end }}
{{- end -}}
