{{/* Names */}}
{{- define "nmirf.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nmirf.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A component's resource name. Call with (dict "root" $ "component" "actions"). */}}
{{- define "nmirf.componentName" -}}
{{- printf "%s-%s" (include "nmirf.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels. Call with (dict "root" $ "component" "actions"). */}}
{{- define "nmirf.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nmirf.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "nmirf.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "nmirf.selectorLabels" . }}
app.kubernetes.io/part-of: nmirf
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{- define "nmirf.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "nmirf.configMapName" -}}
{{- include "nmirf.componentName" (dict "root" . "component" "config") -}}
{{- end -}}

{{- define "nmirf.secretName" -}}
{{- .Values.connections.existingSecret | default (include "nmirf.componentName" (dict "root" . "component" "connections")) -}}
{{- end -}}

{{- define "nmirf.reportsClaimName" -}}
{{- .Values.reports.existingClaim | default (include "nmirf.componentName" (dict "root" . "component" "reports")) -}}
{{- end -}}

{{/* Non-empty when some service mounts the reports volume. */}}
{{- define "nmirf.needsReports" -}}
{{- range $name, $svc := .Values.services -}}
{{- if $svc.mountReports }}true{{ end -}}
{{- end -}}
{{- end -}}

{{/* An env value as a quoted string; a value left empty in values.yaml (null) becomes "". */}}
{{- define "nmirf.envValue" -}}
{{- if kindIs "invalid" . -}}
""
{{- else -}}
{{- toString . | quote -}}
{{- end -}}
{{- end -}}

{{/* The three connection URLs, for the Secret (and the migration hook's copy of it). */}}
{{- define "nmirf.connectionData" -}}
DATABASE_URL: {{ required "set connections.databaseUrl (postgres://...) or connections.existingSecret" .Values.connections.databaseUrl | quote }}
REDIS_URL: {{ required "set connections.redisUrl (redis://...) or connections.existingSecret" .Values.connections.redisUrl | quote }}
KAFKA_BROKERS: {{ required "set connections.kafkaBrokers (host:port,...) or connections.existingSecret" .Values.connections.kafkaBrokers | quote }}
{{- end -}}

{{/*
A process's own environment: SERVICE_NAME, HTTP_PORT for the API (and its migration, because main.js
validates the API configuration before it reads --migrate), REPORTS_DIR where the reports volume is
mounted, then the service's extra env. Call with
(dict "root" $ "name" "reporting" "svc" $svc "http" true "env" $extraEnv).
*/}}
{{- define "nmirf.processEnv" -}}
- name: SERVICE_NAME
  value: {{ .name | quote }}
{{- if .http }}
- name: HTTP_PORT
  value: {{ .svc.port | toString | quote }}
{{- end }}
{{- if .svc.mountReports }}
- name: REPORTS_DIR
  value: {{ .root.Values.reports.mountPath | quote }}
{{- end }}
{{- range $key, $value := .env }}
- name: {{ $key }}
  value: {{ include "nmirf.envValue" $value }}
{{- end }}
{{- end -}}

{{/* Shared settings and connection URLs, for the long-running processes. */}}
{{- define "nmirf.envFrom" -}}
- configMapRef:
    name: {{ include "nmirf.configMapName" . }}
- secretRef:
    name: {{ include "nmirf.secretName" . }}
{{- end -}}

{{/*
SIGTERM handling: the preStop pause, then SHUTDOWN_GRACE_MS for the outbox flush, plus 20 s to stop
the HTTP server and the consumers. Kubernetes kills the pod when this runs out.
*/}}
{{- define "nmirf.terminationGracePeriodSeconds" -}}
{{- $graceMs := .Values.config.SHUTDOWN_GRACE_MS | default 10000 | int -}}
{{- add (div (add $graceMs 999) 1000) (.Values.preStopSleepSeconds | int) 20 -}}
{{- end -}}

{{/* Rolls the pods when the shared settings or the chart-managed Secret change. */}}
{{- define "nmirf.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/connections: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every Deployment and the migration Job. */}}
{{- define "nmirf.podSpecCommon" -}}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The root filesystem is read-only: /tmp is an emptyDir; the reports volume where needed. Call with (dict "root" $ "svc" $svc). */}}
{{- define "nmirf.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .svc.mountReports }}
- name: reports
  mountPath: {{ .root.Values.reports.mountPath }}
{{- end }}
{{- end -}}

{{- define "nmirf.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .svc.mountReports }}
- name: reports
  persistentVolumeClaim:
    claimName: {{ include "nmirf.reportsClaimName" .root }}
{{- end }}
{{- end -}}
