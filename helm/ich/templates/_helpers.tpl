{{/* Names, labels and the pieces every component shares. */}}

{{- define "ich.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ich.fullname" -}}
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

{{/* The components this chart deploys, in order. */}}
{{- define "ich.components" -}}
ingest cleaning labeling training inference
{{- end -}}

{{/* <fullname>-<component>; call with (dict "root" $ "component" "ingest"). */}}
{{- define "ich.componentName" -}}
{{- printf "%s-%s" (include "ich.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ich.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "ich.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ich
{{- end -}}

{{/* Labels of a component's objects; (dict "root" $ "component" "ingest"). */}}
{{- define "ich.componentLabels" -}}
{{ include "ich.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Selector labels: stable across upgrades. */}}
{{- define "ich.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ich.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* registry/repository:tag; (dict "root" $ "repository" "ich-ingest"). */}}
{{- define "ich.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .repository (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{- define "ich.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The training service's ServiceAccount (it creates and watches Jobs) and the trainer pods' (no API access). */}}
{{- define "ich.training.serviceAccount" -}}
{{- include "ich.componentName" (dict "root" . "component" "training") -}}
{{- end -}}
{{- define "ich.trainer.serviceAccount" -}}
{{- include "ich.componentName" (dict "root" . "component" "trainer") -}}
{{- end -}}

{{- define "ich.jobTemplate.configMap" -}}
{{- include "ich.componentName" (dict "root" . "component" "training-job-template") -}}
{{- end -}}

{{/* Where the training service reads the Job template (its default ich.training.kubernetes.template). */}}
{{- define "ich.jobTemplate.dir" -}}/etc/ich/training{{- end -}}
{{- define "ich.jobTemplate.key" -}}job-template.yaml{{- end -}}

{{/* Storage credentials from the existing Secret, as env entries; used by every pod and the trainer. */}}
{{- define "ich.storageCredentialsEnv" -}}
- name: ICH_STORAGE_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.storage.existingSecret }}
      key: {{ .Values.storage.accessKeyKey }}
- name: ICH_STORAGE_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.storage.existingSecret }}
      key: {{ .Values.storage.secretKeyKey }}
{{- end -}}

{{/* The connection settings every service reads (non-secret part): rendered into each component's ConfigMap. */}}
{{- define "ich.connectionConfig" -}}
KAFKA_BOOTSTRAP_SERVERS: {{ .Values.kafka.bootstrapServers | quote }}
ICH_STORAGE_ENDPOINT: {{ .Values.storage.endpoint | quote }}
ICH_STORAGE_BUCKET: {{ .Values.storage.bucket | quote }}
QUARKUS_HTTP_PORT: "8080"
JAVA_OPTS_APPEND: {{ .Values.javaOptions | quote }}
{{- end -}}

{{/* name: value map as a ConfigMap data fragment (values quoted). */}}
{{- define "ich.envMap" -}}
{{- range $k, $v := . }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end -}}
