{{/*
What differs per component: its settings (ConfigMap data, read as environment variables), its extra volumes
and mounts, extra ports. The Deployment itself is one template for all (deployments.yaml).
Every key here is a setting the service reads (its application.properties, its @ConfigMapping interface).
*/}}

{{- define "ich.ingest.config" -}}
ICH_INGEST_ALLOWED_MODALITIES: {{ .Values.ingest.allowedModalities | quote }}
ICH_INGEST_MAX_INSTANCE_BYTES: {{ .Values.ingest.maxInstanceBytes | int64 | quote }}
ICH_INGEST_MAX_REQUEST_BYTES: {{ .Values.ingest.maxRequestBytes | int64 | quote }}
ICH_INGEST_ACCEPT_RSNA_IDS: {{ .Values.ingest.acceptRsnaIds | quote }}
ICH_INGEST_DIMSE_ENABLED: {{ .Values.ingest.dimse.enabled | quote }}
ICH_INGEST_DIMSE_AE_TITLE: {{ .Values.ingest.dimse.aeTitle | quote }}
ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES: {{ join "," .Values.ingest.dimse.allowedCallingAeTitles | quote }}
ICH_INGEST_DIMSE_PORT: {{ .Values.ingest.dimse.port | int | quote }}
ICH_INGEST_STUDY_STABLE_AGE: {{ .Values.ingest.studyStableAge | quote }}
ICH_INGEST_DEIDENTIFY_ENABLED: {{ .Values.ingest.deidentify.enabled | quote }}
{{- end -}}
{{- define "ich.ingest.env" -}}
{{- if .Values.ingest.deidentify.enabled }}
- name: ICH_INGEST_DEIDENTIFY_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.ingest.deidentify.existingSecret }}
      key: {{ .Values.ingest.deidentify.secretKey }}
{{- end }}
{{- end -}}
{{- define "ich.ingest.ports" -}}
{{- if .Values.ingest.dimse.enabled }}
- name: dicom
  containerPort: {{ .Values.ingest.dimse.port }}
  protocol: TCP
{{- end }}
{{- end -}}

{{- define "ich.cleaning.config" -}}
ICH_CLEANING_WORKERS: {{ .Values.cleaning.workers | int | quote }}
ICH_CLEANING_PIPELINE_CHANNELS: {{ .Values.cleaning.pipelineChannels | quote }}
ICH_CLEANING_PIPELINE_SIZE: {{ .Values.cleaning.pipelineSize | int | quote }}
{{- if .Values.cleaning.pipelineBins }}
ICH_CLEANING_PIPELINE_BINS_FILE: "/etc/ich/bins/bins.txt"
{{- end }}
{{- end -}}
{{- define "ich.cleaning.volumes" -}}
{{- if .Values.cleaning.pipelineBins }}
- name: bins
  configMap:
    name: {{ include "ich.componentName" (dict "root" . "component" "cleaning") }}-bins
{{- end }}
{{- end -}}
{{- define "ich.cleaning.volumeMounts" -}}
{{- if .Values.cleaning.pipelineBins }}
- name: bins
  mountPath: /etc/ich/bins
  readOnly: true
{{- end }}
{{- end -}}

{{- define "ich.labeling.config" -}}
ICH_LABELING_DATABASE: "/data/labeling.duckdb"
ICH_LABELING_WORK_DIRECTORY: "/work/labeling"
ICH_LABELING_SHARD_SIZE: {{ .Values.labeling.shardSize | int | quote }}
{{- end -}}
{{- define "ich.labeling.volumes" -}}
- name: data
{{- if .Values.labeling.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (include "ich.componentName" (dict "root" . "component" "labeling")) .Values.labeling.persistence.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
- name: work
  emptyDir:
    sizeLimit: {{ .Values.labeling.workSizeLimit }}
{{- end -}}
{{- define "ich.labeling.volumeMounts" -}}
- name: data
  mountPath: /data
- name: work
  mountPath: /work
{{- end -}}

{{- define "ich.training.config" -}}
ICH_TRAINING_LAUNCHER: "kubernetes"
ICH_TRAINING_KUBERNETES_TEMPLATE: {{ printf "%s/%s" (include "ich.jobTemplate.dir" .) (include "ich.jobTemplate.key" .) | quote }}
ICH_TRAINING_KUBERNETES_NAMESPACE: {{ .Release.Namespace | quote }}
ICH_TRAINING_KUBERNETES_POLL_INTERVAL: {{ .Values.training.pollInterval | quote }}
ICH_TRAINING_MAX_EPOCHS: {{ .Values.training.maxEpochs | int | quote }}
{{- with .Values.training.currentPipeline }}
ICH_TRAINING_CURRENT_PIPELINE: {{ . | quote }}
{{- end }}
{{- end -}}
{{- define "ich.training.volumes" -}}
- name: job-template
  configMap:
    name: {{ include "ich.jobTemplate.configMap" . }}
{{- end -}}
{{- define "ich.training.volumeMounts" -}}
- name: job-template
  mountPath: {{ include "ich.jobTemplate.dir" . }}
  readOnly: true
{{- end -}}

{{- define "ich.inference.config" -}}
ICH_INFERENCE_SERVED_NAME: {{ .Values.inference.servedName | quote }}
ICH_INFERENCE_PREDICTORS: {{ .Values.inference.predictors | int | quote }}
ICH_INFERENCE_TORCH_THREADS: {{ .Values.inference.torchThreads | int | quote }}
ICH_INFERENCE_BATCHING_MAX_BATCH: {{ .Values.inference.maxBatch | int | quote }}
ICH_INFERENCE_WORK_DIRECTORY: "/work/models"
ICH_INFERENCE_TRIAGE_WORKLIST_SIZE: {{ .Values.inference.triage.worklistSize | int | quote }}
{{- with .Values.inference.triage.institution }}
ICH_INFERENCE_TRIAGE_INSTITUTION: {{ . | quote }}
{{- end }}
DJL_CACHE_DIR: "/work/djl"
{{- range $name, $d := .Values.inference.export.destinations }}
{{- $p := include "ich.inference.export.prefix" $name }}
{{ $p }}KIND: {{ $d.kind | quote }}
{{- if eq $d.kind "dimse" }}
{{ $p }}HOST: {{ $d.host | quote }}
{{ $p }}PORT: {{ $d.port | int | quote }}
{{ $p }}CALLED_AE_TITLE: {{ $d.calledAeTitle | quote }}
{{- with $d.callingAeTitle }}
{{ $p }}CALLING_AE_TITLE: {{ . | quote }}
{{- end }}
{{- else }}
{{ $p }}URL: {{ $d.url | quote }}
{{- end }}
{{- with $d.maxAttempts }}
{{ $p }}MAX_ATTEMPTS: {{ . | int | quote }}
{{- end }}
{{- with $d.initialBackoff }}
{{ $p }}INITIAL_BACKOFF: {{ . | quote }}
{{- end }}
{{- with $d.maxBackoff }}
{{ $p }}MAX_BACKOFF: {{ . | quote }}
{{- end }}
{{- with $d.timeout }}
{{ $p }}TIMEOUT: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}
{{/* ICH_INFERENCE_EXPORT_DESTINATIONS_<NAME>_: a destination's settings in the environment (names are [a-z][a-z0-9]*). */}}
{{- define "ich.inference.export.prefix" -}}
{{- printf "ICH_INFERENCE_EXPORT_DESTINATIONS_%s_" (upper .) -}}
{{- end -}}
{{/* A destination's TCP port, for its egress rule: dimse's port; stow's URL port, else the scheme's. */}}
{{- define "ich.inference.export.port" -}}
{{- if eq .kind "dimse" -}}
{{- .port | int -}}
{{- else -}}
{{- $u := urlParse .url -}}
{{- $hostPort := splitList ":" $u.host -}}
{{- if gt (len $hostPort) 1 -}}{{ last $hostPort }}{{- else if eq $u.scheme "https" -}}443{{- else -}}80{{- end -}}
{{- end -}}
{{- end -}}
{{/* Export credentials, only from the Secrets the site names (never in the ConfigMap). */}}
{{- define "ich.inference.env" -}}
{{- range $name, $d := .Values.inference.export.destinations }}
{{- $p := include "ich.inference.export.prefix" $name }}
{{- range $setting, $key := dict "BEARER_TOKEN" $d.bearerTokenKey "USERNAME" $d.usernameKey "PASSWORD" $d.passwordKey }}
{{- if and $d.existingSecret $key }}
- name: {{ $p }}{{ $setting }}
  valueFrom:
    secretKeyRef:
      name: {{ $d.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
{{- define "ich.inference.volumes" -}}
- name: work
  emptyDir:
    sizeLimit: {{ .Values.inference.workSizeLimit }}
{{- end -}}
{{- define "ich.inference.volumeMounts" -}}
- name: work
  mountPath: /work
{{- end -}}

{{/* Nothing extra for these. */}}
{{- define "ich.ingest.volumes" -}}{{- end -}}
{{- define "ich.ingest.volumeMounts" -}}{{- end -}}
{{- define "ich.cleaning.ports" -}}{{- end -}}
{{- define "ich.labeling.ports" -}}{{- end -}}
{{- define "ich.training.ports" -}}{{- end -}}
{{- define "ich.inference.ports" -}}{{- end -}}
