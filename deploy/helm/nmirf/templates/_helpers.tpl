{{/* Names */}}
{{- define "nmirf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nmirf.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A component's resource name, at most 63 characters. The full name is shortened, never the suffix:
"<name>-notifications" and "<name>-notifications-worker" stay distinct for any release name.
Call with (dict "root" $ "component" "actions").
*/}}
{{- define "nmirf.componentName" -}}
{{- $room := sub 62 (len .component) | int -}}
{{- printf "%s-%s" (include "nmirf.fullname" .root | trunc $room | trimSuffix "-") .component -}}
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

{{/* The components the chart's NetworkPolicies apply to: every API, every worker and the migration. */}}
{{- define "nmirf.appComponents" -}}
{{- $components := list "migrate" -}}
{{- range $name, $svc := .Values.services -}}
{{- $components = append $components $name -}}
{{- if ($svc.worker | default dict).enabled -}}
{{- $components = append $components (printf "%s-worker" $name) -}}
{{- end -}}
{{- end -}}
{{- toJson $components -}}
{{- end -}}

{{- define "nmirf.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "nmirf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "nmirf.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/*
The migration runs as a pre-install hook, before the chart's ServiceAccount exists: when the chart
creates service accounts, the migration gets a hook-scoped one of its own.
*/}}
{{- define "nmirf.migrateServiceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "nmirf.componentName" (dict "root" . "component" "migrate") -}}
{{- else -}}
{{- include "nmirf.serviceAccountName" . -}}
{{- end -}}
{{- end -}}

{{- define "nmirf.configMapName" -}}
{{- include "nmirf.componentName" (dict "root" . "component" "config") -}}
{{- end -}}

{{/* The Secret holding the credentials: yours (connections.existingSecret) or the chart's. */}}
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

{{- define "nmirf.evidenceClaimName" -}}
{{- .Values.evidence.existingClaim | default (include "nmirf.componentName" (dict "root" . "component" "evidence")) -}}
{{- end -}}

{{/* Non-empty when some service keeps evidence files in the chart's local volume. */}}
{{- define "nmirf.needsEvidenceVolume" -}}
{{- if eq .Values.evidence.storage "local" -}}
{{- range $name, $svc := .Values.services -}}
{{- if or $svc.evidence $svc.imports }}true{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Where the evidence files are (EVIDENCE_*, libs/platform/src/storage): the volume's path, or the
bucket, its S3 keys through secretKeyRefs when a Secret holds them. Call with (dict "root" $).
*/}}
{{- define "nmirf.evidenceEnv" -}}
{{- $evidence := .root.Values.evidence -}}
- name: EVIDENCE_STORAGE
  value: {{ $evidence.storage | quote }}
- name: EVIDENCE_MAX_BYTES
  value: {{ $evidence.maxBytes | int64 | toString | quote }}
{{- if eq $evidence.storage "local" }}
- name: EVIDENCE_DIR
  value: {{ $evidence.mountPath | quote }}
{{- else }}
- name: EVIDENCE_S3_BUCKET
  value: {{ required "set evidence.s3.bucket for evidence.storage=s3" $evidence.s3.bucket | quote }}
- name: EVIDENCE_S3_REGION
  value: {{ $evidence.s3.region | quote }}
{{- with $evidence.s3.endpoint }}
- name: EVIDENCE_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: EVIDENCE_S3_FORCE_PATH_STYLE
  value: {{ $evidence.s3.forcePathStyle | toString | quote }}
- name: EVIDENCE_S3_PREFIX
  value: {{ $evidence.s3.prefix | quote }}
{{- with $evidence.s3.existingSecret }}
- name: EVIDENCE_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $evidence.s3.keys.accessKeyId }}
- name: EVIDENCE_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $evidence.s3.keys.secretAccessKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Where uploaded import files wait for the recommendations worker (IMPORT_*): the evidence storage's
volume (its imports/ directory) or bucket (prefix imports/), shared by the API and the worker.
Call with (dict "root" $).
*/}}
{{- define "nmirf.importStorageEnv" -}}
{{- $evidence := .root.Values.evidence -}}
- name: IMPORT_STORAGE
  value: {{ $evidence.storage | quote }}
{{- if eq $evidence.storage "local" }}
- name: IMPORT_STORAGE_DIR
  value: {{ printf "%s/imports" $evidence.mountPath | quote }}
{{- else }}
- name: IMPORT_S3_BUCKET
  value: {{ required "set evidence.s3.bucket for evidence.storage=s3" $evidence.s3.bucket | quote }}
- name: IMPORT_S3_REGION
  value: {{ $evidence.s3.region | quote }}
{{- with $evidence.s3.endpoint }}
- name: IMPORT_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: IMPORT_S3_FORCE_PATH_STYLE
  value: {{ $evidence.s3.forcePathStyle | toString | quote }}
- name: IMPORT_S3_PREFIX
  value: "imports/"
{{- with $evidence.s3.existingSecret }}
- name: IMPORT_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $evidence.s3.keys.accessKeyId }}
- name: IMPORT_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $evidence.s3.keys.secretAccessKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* An env value as a quoted string; a value left empty in values.yaml (null) becomes "". */}}
{{- define "nmirf.envValue" -}}
{{- if kindIs "invalid" . -}}
""
{{- else -}}
{{- toString . | quote -}}
{{- end -}}
{{- end -}}

{{/* The identity provider's issuer: oidc.issuerUrl, or the chart's Keycloak when it is enabled. */}}
{{- define "nmirf.oidcIssuerUrl" -}}
{{- if .Values.oidc.issuerUrl -}}
{{- .Values.oidc.issuerUrl -}}
{{- else if .Values.keycloak.enabled -}}
{{- printf "%s/realms/%s" (include "nmirf.keycloakUrl" .) .Values.keycloak.realm -}}
{{- else -}}
{{- required "set oidc.issuerUrl (https://<your provider>/...), or keycloak.enabled=true for a test installation" .Values.oidc.issuerUrl -}}
{{- end -}}
{{- end -}}

{{- define "nmirf.keycloakUrl" -}}
{{- .Values.keycloak.hostname | default (printf "http://%s:%d" (include "nmirf.componentName" (dict "root" . "component" "keycloak")) (.Values.keycloak.port | int)) | trimSuffix "/" -}}
{{- end -}}

{{/*
Every non-secret setting the processes share (the ConfigMap's data, and the migration's inline env):
config.*, Kafka's address and security, the OpenID Connect settings. Credentials never go here.
*/}}
{{- define "nmirf.sharedSettings" -}}
{{- $settings := dict -}}
{{- range $key, $value := .Values.config -}}
{{- $_ := set $settings $key (ternary "" (toString $value) (kindIs "invalid" $value)) -}}
{{- end -}}
{{- $_ := set $settings "KAFKA_BROKERS" (required "set kafka.brokers (host:port,host:port)" .Values.kafka.brokers) -}}
{{- $_ := set $settings "KAFKA_SSL" (toString .Values.kafka.ssl) -}}
{{- with .Values.kafka.sasl.mechanism -}}
{{- $_ := set $settings "KAFKA_SASL_MECHANISM" . -}}
{{- $_ := set $settings "KAFKA_SASL_USERNAME" (required "set kafka.sasl.username (the password comes from the connections Secret)" $.Values.kafka.sasl.username) -}}
{{- end -}}
{{- $_ := set $settings "OIDC_ISSUER_URL" (include "nmirf.oidcIssuerUrl" .) -}}
{{- $_ := set $settings "OIDC_AUDIENCE" .Values.oidc.audience -}}
{{- $_ := set $settings "OIDC_ROLES_CLAIM" .Values.oidc.rolesClaim -}}
{{- $_ := set $settings "OIDC_INSTITUTIONS_CLAIM" .Values.oidc.institutionsClaim -}}
{{- $_ := set $settings "METRICS_ENABLED" (toString .Values.metrics.enabled) -}}
{{- toYaml $settings -}}
{{- end -}}

{{/* The credentials a chart-managed Secret holds (and the migration hook's copy of it). */}}
{{- define "nmirf.connectionData" -}}
{{ .Values.connections.keys.databaseUrl }}: {{ required "set connections.existingSecret (a Secret with DATABASE_URL and REDIS_URL), or connections.databaseUrl for a test installation" .Values.connections.databaseUrl | quote }}
{{ .Values.connections.keys.redisUrl }}: {{ required "set connections.existingSecret (a Secret with DATABASE_URL and REDIS_URL), or connections.redisUrl for a test installation" .Values.connections.redisUrl | quote }}
{{- if .Values.kafka.sasl.mechanism }}
{{ .Values.connections.keys.kafkaSaslPassword }}: {{ required "set connections.existingSecret (with KAFKA_SASL_PASSWORD), or connections.kafkaSaslPassword for a test installation" .Values.connections.kafkaSaslPassword | quote }}
{{- end }}
{{- if .Values.mail.enabled }}
{{ .Values.connections.keys.smtpUrl }}: {{ required "set connections.existingSecret (with SMTP_URL), or connections.smtpUrl for a test installation" .Values.connections.smtpUrl | quote }}
{{- end }}
{{- with .Values.webhooks.secretKey.value }}
{{ $.Values.webhooks.secretKey.key }}: {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
Credentials, one secretKeyRef each: a missing key stops the pod with an error naming it, where envFrom
would start it without. Call with (dict "root" $ "secret" "<name>").
*/}}
{{- define "nmirf.credentialEnv" -}}
{{- $keys := .root.Values.connections.keys -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ $keys.databaseUrl }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ $keys.redisUrl }}
{{- if .root.Values.kafka.sasl.mechanism }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ $keys.kafkaSaslPassword }}
{{- end }}
{{- end -}}

{{/*
A process's own environment: SERVICE_NAME, HTTP_PORT for the API (and its migration, because main.js
validates the API configuration before it reads --migrate), REPORTS_DIR where the reports volume is
mounted, the heartbeat file and metrics port for a worker, METRICS_TOKEN for the serving processes
("serving": APIs and workers, not the migration), then extraEnv and the service's env. Call with
(dict "root" $ "name" "reporting" "svc" $svc "http" true "worker" false "serving" true "env" $extraEnv).
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
{{- if .svc.evidence }}
{{ include "nmirf.evidenceEnv" (dict "root" .root) }}
{{- end }}
{{- if .svc.imports }}
{{ include "nmirf.importStorageEnv" (dict "root" .root) }}
{{- end }}
{{- if .worker }}
- name: WORKER_HEARTBEAT_FILE
  value: {{ .root.Values.workerHeartbeat.file | quote }}
{{- if include "nmirf.workerMetricsPort" .root }}
- name: METRICS_PORT
  value: {{ include "nmirf.workerMetricsPort" .root | quote }}
{{- end }}
{{- end }}
{{- with .root.Values.metrics.tokenSecret.name }}
{{- if and $.serving $.root.Values.metrics.enabled }}
- name: METRICS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.root.Values.metrics.tokenSecret.key }}
{{- end }}
{{- end }}
{{- range $key, $value := merge (dict) (.env | default dict) (.root.Values.extraEnv | default dict) }}
- name: {{ $key }}
  value: {{ include "nmirf.envValue" $value }}
{{- end }}
{{- end -}}

{{/* Shared settings, then the operator's own sources (extraEnvFrom), for the long-running processes. */}}
{{- define "nmirf.envFrom" -}}
- configMapRef:
    name: {{ include "nmirf.configMapName" . }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
SIGTERM handling: the preStop pause, then SHUTDOWN_GRACE_MS for the outbox flush, plus 20 s to stop
the HTTP server and the consumers. Kubernetes kills the pod when this runs out.
*/}}
{{- define "nmirf.terminationGracePeriodSeconds" -}}
{{- $graceMs := .Values.config.SHUTDOWN_GRACE_MS | default 10000 | int -}}
{{- add (div (add $graceMs 999) 1000) (.Values.preStopSleepSeconds | int) 20 -}}
{{- end -}}

{{/*
Rolls the pods when what they read changes: the ConfigMap and the chart-managed Secret by checksum;
Secrets the chart does not manage (existingSecret, extraEnvFrom) through secretChecksum, which the
operator changes when rotating them (helm cannot read them at render time).
*/}}
{{- define "nmirf.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.connections.existingSecret }}
checksum/connections: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- with .Values.secretChecksum }}
checksum/secrets: {{ . | quote }}
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every Deployment and the migration Job (which names its own service account). */}}
{{- define "nmirf.podSpecCommon" -}}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
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

{{/*
Spreads a component's pods over nodes and zones: the component's own constraints when it sets
topologySpreadConstraints (an empty list turns spreading off), else the chart-wide ones. A
constraint without a labelSelector gets the component's. Call with
(dict "root" $ "component" "actions-worker" "settings" $worker).
*/}}
{{- define "nmirf.topologySpreadConstraints" -}}
{{- $constraints := .root.Values.topologySpreadConstraints -}}
{{- if hasKey .settings "topologySpreadConstraints" -}}
{{- $constraints = .settings.topologySpreadConstraints -}}
{{- end -}}
{{- $selector := include "nmirf.selectorLabels" (dict "root" .root "component" .component) | fromYaml -}}
{{- $out := list -}}
{{- range $constraints -}}
{{- $constraint := deepCopy . -}}
{{- if not (hasKey $constraint "labelSelector") -}}
{{- $_ := set $constraint "labelSelector" (dict "matchLabels" $selector) -}}
{{- end -}}
{{- $out = append $out $constraint -}}
{{- end -}}
{{- with $out -}}
topologySpreadConstraints:
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
{{- if and (or .svc.evidence .svc.imports) (eq .root.Values.evidence.storage "local") }}
- name: evidence
  mountPath: {{ .root.Values.evidence.mountPath }}
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
{{- if and (or .svc.evidence .svc.imports) (eq .root.Values.evidence.storage "local") }}
- name: evidence
  persistentVolumeClaim:
    claimName: {{ include "nmirf.evidenceClaimName" .root }}
{{- end }}
{{- end -}}

{{/*
The worker's liveness: the heartbeat file the process touches every 10 s (ManagedWorker) is younger
than workerHeartbeat.maxAgeSeconds. The worker has no HTTP; the image has sh, date and stat.
*/}}
{{- define "nmirf.heartbeatCommand" -}}
- sh
- -c
- 'f="$WORKER_HEARTBEAT_FILE"; [ -f "$f" ] && [ $(( $(date +%s) - $(stat -c %Y "$f") )) -lt {{ .Values.workerHeartbeat.maxAgeSeconds | int }} ]'
{{- end -}}

{{/* The workers' metrics port (METRICS_PORT, which also serves /health/live), or empty when off. */}}
{{- define "nmirf.workerMetricsPort" -}}
{{- if and .Values.metrics.enabled (gt (.Values.metrics.workerPort | int) 0) -}}
{{- .Values.metrics.workerPort | int -}}
{{- end -}}
{{- end -}}

{{/* prometheus.io/* annotations for annotation-based discovery. Call with (dict "root" $ "port" 3101). */}}
{{- define "nmirf.scrapeAnnotations" -}}
{{- if and .root.Values.metrics.enabled .root.Values.metrics.podAnnotations .port -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end -}}
{{- end -}}

{{/*
A service's settings for the API autoscaler: the chart-wide autoscaling, overridden by
services.<name>.autoscaling. Fails when maxReplicas exceeds the topic partitions, because the API
pods are the Kafka consumers. Call with (dict "root" $ "name" "actions" "svc" $svc); returns JSON.
*/}}
{{- define "nmirf.apiAutoscaling" -}}
{{- $settings := deepCopy .root.Values.autoscaling -}}
{{- /* Key by key, not merge: merge would let the chart-wide value replace a service's false or 0. */ -}}
{{- range $key, $value := .svc.autoscaling | default dict -}}
{{- $_ := set $settings $key $value -}}
{{- end -}}
{{- if $settings.enabled -}}
{{- include "nmirf.checkPartitions" (dict "root" .root "what" (printf "autoscaling of %s" .name) "max" $settings.maxReplicas) -}}
{{- if gt ($settings.minReplicas | int) ($settings.maxReplicas | int) -}}
{{- fail (printf "autoscaling of %s: minReplicas (%d) is above maxReplicas (%d)" .name ($settings.minReplicas | int) ($settings.maxReplicas | int)) -}}
{{- end -}}
{{- end -}}
{{- toJson $settings -}}
{{- end -}}

{{/* Fails when a replica ceiling is above KAFKA_TOPIC_PARTITIONS. Call with (dict "root" $ "what" "…" "max" 6). */}}
{{- define "nmirf.checkPartitions" -}}
{{- $partitions := .root.Values.config.KAFKA_TOPIC_PARTITIONS | default 6 | int -}}
{{- if gt (.max | int) $partitions -}}
{{- fail (printf "%s: maxReplicas %d is above KAFKA_TOPIC_PARTITIONS (%d); replicas beyond the partition count sit idle as consumers. Lower maxReplicas or raise config.KAFKA_TOPIC_PARTITIONS (and the topics' partitions)" .what (.max | int) $partitions) -}}
{{- end -}}
{{- end -}}

{{/* A setting a process sees: the service's env, else extraEnv, else config, else the default. Call with (dict "root" $ "svc" $svc "key" "QUEUE_PREFIX" "default" "nmirf"). */}}
{{- define "nmirf.effectiveSetting" -}}
{{- $env := .svc.env | default dict -}}
{{- $extra := .root.Values.extraEnv | default dict -}}
{{- if hasKey $env .key -}}{{ get $env .key }}
{{- else if hasKey $extra .key -}}{{ get $extra .key }}
{{- else if hasKey .root.Values.config .key -}}{{ get .root.Values.config .key }}
{{- else -}}{{ .default }}
{{- end -}}
{{- end -}}

{{- /* The notifications service's mail and webhook settings (API and worker); SMTP_URL from the connections Secret. */ -}}
{{- define "nmirf.notificationsEnv" -}}
{{- $root := .root -}}
{{- if eq .name "notifications" }}
{{- if $root.Values.mail.enabled }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "nmirf.secretName" $root }}
      key: {{ $root.Values.connections.keys.smtpUrl }}
- name: WEB_APP_URL
  value: {{ required "set mail.webAppUrl (the web application the links in mails open)" $root.Values.mail.webAppUrl | quote }}
{{- end }}
- name: MAIL_FROM
  value: {{ $root.Values.mail.from | quote }}
{{- with $root.Values.webhooks.allowedHosts }}
- name: WEBHOOK_ALLOWED_HOSTS
  value: {{ join "," . | quote }}
{{- end }}
{{- with $root.Values.webhooks.allowedCidrs }}
- name: WEBHOOK_ALLOWED_CIDRS
  value: {{ join "," . | quote }}
{{- end }}
{{- /* Optional here so a missing key is the service's own clear refusal to start, naming it. */}}
- name: WEBHOOK_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "nmirf.secretName" $root }}
      key: {{ $root.Values.webhooks.secretKey.key }}
      optional: true
{{- end }}
{{- end -}}
