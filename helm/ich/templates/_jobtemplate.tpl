{{/*
The batch/v1 Job the training service copies for every training job (docs/training-api.md, "The Job template").
The service sets name, namespace, its labels and annotations, suspend (Kueue), completions/parallelism, the
trainer's args and the endpoint env it lacks; everything here is kept as rendered. The storage credentials come
from the Secret (the service never writes secrets into a Job). The container must be named "trainer".
*/}}
{{- define "ich.jobTemplate" -}}
{{- $j := .Values.training.jobs -}}
{{- $ctx := dict "root" . "component" "trainer" -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "ich.componentName" $ctx }}
  labels:
    {{- include "ich.componentLabels" $ctx | nindent 4 }}
    {{- with $j.kueue.queueName }}
    kueue.x-k8s.io/queue-name: {{ . }}
    {{- end }}
spec:
  backoffLimit: {{ $j.backoffLimit }}
  activeDeadlineSeconds: {{ $j.activeDeadlineSeconds | int64 }}
  ttlSecondsAfterFinished: {{ $j.ttlSecondsAfterFinished | int64 }}
  template:
    metadata:
      labels:
        {{- include "ich.componentLabels" $ctx | nindent 8 }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "ich.trainer.serviceAccount" . }}
      automountServiceAccountToken: false
      {{- with $j.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- include "ich.imagePullSecrets" . | nindent 6 }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      {{- with $j.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $j.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $j.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: trainer
          image: {{ include "ich.image" (dict "root" . "repository" $j.repository) }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          command:
            {{- toYaml $j.command | nindent 12 }}
          env:
            - name: KAFKA_BOOTSTRAP_SERVERS
              value: {{ .Values.kafka.bootstrapServers | quote }}
            - name: ICH_STORAGE_ENDPOINT
              value: {{ .Values.storage.endpoint | quote }}
            - name: ICH_STORAGE_BUCKET
              value: {{ .Values.storage.bucket | quote }}
            {{- include "ich.storageCredentialsEnv" . | nindent 12 }}
            - name: ICH_WORK_DIR
              value: /work
            - name: DJL_CACHE_DIR
              value: /tmp/djl
            {{- range $k, $val := $j.extraEnv }}
            - name: {{ $k }}
              value: {{ $val | toString | quote }}
            {{- end }}
          resources:
            {{- $resources := deepCopy $j.resources }}
            {{- if gt (int $j.gpu.count) 0 }}
            {{- $limits := default dict $resources.limits }}
            {{- $_ := set $limits $j.gpu.resourceName ($j.gpu.count | toString) }}
            {{- $_ := set $resources "limits" $limits }}
            {{- end }}
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            {{- toYaml .Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: work
              mountPath: /work
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: work
          emptyDir:
            sizeLimit: {{ $j.workSizeLimit }}
        - name: tmp
          emptyDir:
            sizeLimit: {{ $j.tmpSizeLimit }}
{{- end -}}
