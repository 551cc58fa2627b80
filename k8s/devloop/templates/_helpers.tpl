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

{{- define "devloop.providersSecret" -}}
{{- default (printf "%s-providers" .Release.Name) .Values.providers.existingSecret -}}
{{- end -}}

{{- define "devloop.neo4jSecret" -}}
{{- default (printf "%s-neo4j" .Release.Name) .Values.neo4j.existingSecret -}}
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
devloop.gateway.cells.urls."{{ $cell }}".{{ $svc }}=http://{{ printf "%s-%s" $c.release $svc | trunc 63 | trimSuffix "-" }}.{{ $c.namespace }}.svc.{{ default "cluster.local" $c.clusterDomain }}:{{ $port }}
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
