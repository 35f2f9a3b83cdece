{{/* Names and labels. */}}
{{- define "mctb.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mctb.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mctb.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "mctb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "gateway"). */}}
{{- define "mctb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mctb.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mctb.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "mctb.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "mctb.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding DATABASE_URL, the Twilio credentials, MCTB_SECRETS_KEY, ... */}}
{{- define "mctb.secretName" -}}
{{- if .Values.secrets.create -}}
{{- printf "%s-env" (include "mctb.fullname" .) -}}
{{- else -}}
{{- required "secrets.existingSecret: name the Secret holding DATABASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and MCTB_SECRETS_KEY" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* One variable from the Secret: (dict "root" $ "name" "DATABASE_URL" "optional" false). */}}
{{- define "mctb.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "mctb.secretName" .root }}
      key: {{ .name }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{- define "mctb.temporalTlsMounted" -}}
{{- if .Values.temporal.mtls.existingSecret -}}true{{- end -}}
{{- end -}}

{{/* What every component reads: the database, Temporal (with TLS/API key), logging, migrations. */}}
{{- define "mctb.commonEnv" -}}
{{ include "mctb.secretEnv" (dict "root" . "name" "DATABASE_URL") }}
{{ include "mctb.secretEnv" (dict "root" . "name" "MCTB_SECRETS_KEY") }}
- name: TEMPORAL_ADDRESS
  value: {{ .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
{{- if .Values.temporal.tls }}
- name: TEMPORAL_TLS
  value: "true"
{{- end }}
{{- if .Values.temporal.apiKey }}
{{ include "mctb.secretEnv" (dict "root" . "name" "TEMPORAL_API_KEY") }}
{{- end }}
{{- with .Values.temporal.mtls }}
{{- if .existingSecret }}
- name: TEMPORAL_TLS_CLIENT_CERT_PATH
  value: /etc/mctb/temporal-tls/{{ .certKey }}
- name: TEMPORAL_TLS_CLIENT_KEY_PATH
  value: /etc/mctb/temporal-tls/{{ .keyKey }}
{{- if .caKey }}
- name: TEMPORAL_TLS_SERVER_CA_CERT_PATH
  value: /etc/mctb/temporal-tls/{{ .caKey }}
{{- end }}
{{- end }}
{{- end }}
{{- if .Values.temporal.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.serverName | quote }}
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: DB_MIGRATE_ON_START
  value: {{ (not .Values.migrations.enabled) | toString | quote }}
{{- end -}}

{{- define "mctb.twilioEnv" -}}
{{ include "mctb.secretEnv" (dict "root" . "name" "TWILIO_ACCOUNT_SID") }}
{{ include "mctb.secretEnv" (dict "root" . "name" "TWILIO_AUTH_TOKEN") }}
{{- end -}}

{{/* Volumes every pod gets: a writable /tmp (the root filesystem is read-only) and Temporal's client certificate. */}}
{{- define "mctb.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.temporal.mtls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.mtls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "mctb.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.temporal.mtls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/mctb/temporal-tls
  readOnly: true
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by the deployments and the migration Job. */}}
{{- define "mctb.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
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

{{/* Pod annotations: Prometheus scraping and a checksum of a chart-made Secret (pods restart when it changes). */}}
{{- define "mctb.podAnnotations" -}}
{{- $root := .root -}}
{{- if $root.Values.prometheusAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- if $root.Values.secrets.create }}
checksum/secret: {{ toJson $root.Values.secrets.values | sha256sum }}
{{- end }}
{{- with $root.Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Probes on the component's HTTP port: liveness /healthz, readiness (default /readyz), startup /healthz. */}}
{{- define "mctb.probes" -}}
startupProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: {{ .readinessPath }}, port: http }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{- define "mctb.spread" -}}
{{- if .root.Values.spreadAcrossZones }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "mctb.selectorLabels" . | nindent 8 }}
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "mctb.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end -}}
