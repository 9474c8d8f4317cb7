{{/*
The chart's name, or nameOverride.
*/}}
{{- define "runlight.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: fullnameOverride, or <release>-<chart> unless the release name already holds the chart name.
Kubernetes names are limited to 63 characters; the headless service adds "-hazelcast" (10).
*/}}
{{- define "runlight.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 53 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 53 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 53 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "runlight.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "runlight.selectorLabels" -}}
app.kubernetes.io/name: {{ include "runlight.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "runlight.labels" -}}
helm.sh/chart: {{ include "runlight.chart" . }}
{{ include "runlight.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "runlight.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "runlight.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The headless service that Hazelcast's DNS lookup discovery resolves to every member's pod IP.
*/}}
{{- define "runlight.hazelcastService" -}}
{{- printf "%s-hazelcast" (include "runlight.fullname" .) }}
{{- end }}

{{- define "runlight.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Members form a Hazelcast cluster only on a shared database: the hub refuses a cluster on an H2 file.
*/}}
{{- define "runlight.clusterJoin" -}}
{{- if .Values.database.existingSecret }}kubernetes{{ else }}none{{ end }}
{{- end }}

{{/*
The probes use plain HTTP when it is served, else HTTPS (the kubelet does not verify the certificate).
*/}}
{{- define "runlight.probePort" -}}
{{- if .Values.hub.httpEnabled }}http{{ else }}https{{ end }}
{{- end }}

{{- define "runlight.probeScheme" -}}
{{- if .Values.hub.httpEnabled }}HTTP{{ else }}HTTPS{{ end }}
{{- end }}
