{{/* Labels every object of the release carries. */}}
{{- define "kiln.labels" -}}
app.kubernetes.io/part-of: kiln
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* <registry>/<component>:<tag>, the tag defaulting to the chart's appVersion. */}}
{{- define "kiln.image" -}}
{{- $root := index . 0 -}}
{{- printf "%s/%s:%s" $root.Values.image.registry (index . 1) ($root.Values.image.tag | default $root.Chart.AppVersion) -}}
{{- end }}

{{/* The namespaces whose worker pods get a NetworkPolicy. */}}
{{- define "kiln.workerNamespaces" -}}
{{- $namespaces := .Values.networkPolicy.workerNamespaces | default .Values.watchNamespaces | default (list .Release.Namespace) -}}
{{- toJson $namespaces -}}
{{- end }}

{{/* The restricted pod security every Kiln container runs with. */}}
{{- define "kiln.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "kiln.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* Whole seconds of a duration value such as 30s, 2m or 1h (the gateway's own syntax). */}}
{{- define "kiln.seconds" -}}
{{- $text := toString . -}}
{{- if hasSuffix "ms" $text -}}1
{{- else if hasSuffix "s" $text -}}{{ trimSuffix "s" $text | int }}
{{- else if hasSuffix "m" $text -}}{{ mul (trimSuffix "m" $text | int) 60 }}
{{- else if hasSuffix "h" $text -}}{{ mul (trimSuffix "h" $text | int) 3600 }}
{{- else -}}{{ fail (printf "gateway.shutdownGrace must be a duration such as 30s, 2m or 1h, got %q" $text) }}
{{- end -}}
{{- end }}

{{/* The Secret (url, user, password) of the gateway's database: the given one, the in-chart one's, or none. */}}
{{- define "kiln.databaseSecret" -}}
{{- $database := .Values.gateway.database -}}
{{- if and $database.secretName $database.inChart.enabled -}}
{{- fail "gateway.database: set secretName for an existing PostgreSQL or inChart.enabled for one installed with the chart, not both" -}}
{{- end -}}
{{- if $database.secretName -}}
{{- $database.secretName -}}
{{- else if $database.inChart.enabled -}}
kiln-postgres
{{- end -}}
{{- end }}
