{{/*
What differs per component: its settings (ConfigMap data, read as environment variables), its extra env, volumes,
mounts and ports, passed by its template (ingest.yaml, ...) to "ich.component". Every key of a config is a setting
the service reads (its application.properties, its @ConfigMapping interface).
*/}}

{{/*
A component's ConfigMap and Deployment, shared by the five component templates (ingest.yaml, cleaning.yaml,
labeling.yaml, training.yaml, inference.yaml). Each of those passes only what is its own:
  root, component   the chart's context and the component's name (required)
  config            its settings, ConfigMap data ("ich.<component>.config" below)
  env               extra container env entries (secret references)
  ports             extra container ports
  volumes, volumeMounts
  podAnnotations    extra pod template annotations (checksums of what the ConfigMap only names)
  strategy          the Deployment's strategy (YAML); absent: the API's RollingUpdate
  serviceAccount    its ServiceAccount, with its token mounted; absent: the chart's, without a token
  repository, nodeSelector, tolerations, resources   placement and image, when not the component's own values
The ConfigMap holds every setting the service reads (connections from _helpers.tpl, the component's config,
extraEnv last); its checksum rolls the pods.
*/}}
{{- define "ich.component" -}}
{{- $root := .root }}
{{- $component := .component }}
{{- $v := index $root.Values $component }}
{{- $ctx := dict "root" $root "component" $component }}
{{- $name := include "ich.componentName" $ctx }}
{{- $config := printf "%s\n%s%s" (include "ich.connectionConfig" $root) (.config | default "") (include "ich.envMap" $v.extraEnv) }}
{{- $nodeSelector := hasKey . "nodeSelector" | ternary .nodeSelector $v.nodeSelector }}
{{- $tolerations := hasKey . "tolerations" | ternary .tolerations $v.tolerations }}
{{- $resources := hasKey . "resources" | ternary .resources $v.resources }}
{{- $repository := .repository | default $v.repository }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}
  labels:
    {{- include "ich.componentLabels" $ctx | nindent 4 }}
data:
  {{- $config | nindent 2 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "ich.componentLabels" $ctx | nindent 4 }}
spec:
  {{- if not (and (hasKey $v "autoscaling") $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  {{- with .strategy }}
  {{- . | nindent 2 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ich.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ich.componentLabels" $ctx | nindent 8 }}
      annotations:
        checksum/config: {{ $config | sha256sum }}
        {{- with .podAnnotations }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "ich.imagePullSecrets" $root | nindent 6 }}
      {{- if .serviceAccount }}
      serviceAccountName: {{ .serviceAccount }}
      automountServiceAccountToken: true
      {{- else }}
      serviceAccountName: {{ include "ich.fullname" $root }}
      automountServiceAccountToken: false
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      terminationGracePeriodSeconds: 30
      containers:
        - name: {{ $component }}
          image: {{ include "ich.image" (dict "root" $root "repository" $repository) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ include "ich.httpPort" $root }}
              protocol: TCP
            # Health, metrics and OpenAPI: probes and Prometheus only, never the Ingress.
            - name: management
              containerPort: {{ include "ich.managementPort" $root }}
              protocol: TCP
            {{- with .ports }}
            {{- . | nindent 12 }}
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ $name }}
          env:
            {{- include "ich.storageCredentialsEnv" $root | nindent 12 }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: management
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.startup.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: management
            initialDelaySeconds: {{ $root.Values.probes.liveness.initialDelaySeconds }}
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet:
              path: {{ include "ich.readinessPath" $root }}
              port: management
            initialDelaySeconds: {{ $root.Values.probes.readiness.initialDelaySeconds }}
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
          resources:
            {{- toYaml $resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
{{- end -}}


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
ICH_TRAINING_PROMOTION_TOLERANCE: {{ .Values.training.promotionTolerance | toString | quote }}
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
