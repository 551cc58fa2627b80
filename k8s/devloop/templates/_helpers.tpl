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
