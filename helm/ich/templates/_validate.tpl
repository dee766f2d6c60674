{{/*
Refuses value combinations that cannot work, each with a message that says what to change. values.schema.json
checks each value alone; these are the rules across values. Rendered by validate.yaml (which emits nothing).
*/}}
{{- define "ich.validate" -}}
{{- $errors := list -}}
{{- if not .Values.storage.existingSecret -}}
{{- $errors = append $errors "storage.existingSecret is empty: create a Secret with the bucket's access and secret keys (k8s/minio makes 'ich-storage' for evaluation) and name it here; credentials are never taken from values" -}}
{{- end -}}
{{- if not .Values.kafka.bootstrapServers -}}
{{- $errors = append $errors "kafka.bootstrapServers is empty: set it to the Strimzi bootstrap Service (<cluster>-kafka-bootstrap.<namespace>.svc:9092) or your brokers" -}}
{{- end -}}
{{- if and .Values.labeling.enabled .Values.labeling.persistence.enabled (gt (int .Values.labeling.replicas) 1) -}}
{{- $errors = append $errors (printf "labeling.replicas is %d but labeling.persistence is enabled: the DuckDB table has one writer and its claim is ReadWriteOnce; keep labeling.replicas at 1" (int .Values.labeling.replicas)) -}}
{{- end -}}
{{- if and .Values.training.enabled (ne (int .Values.training.replicas) 1) -}}
{{- $errors = append $errors (printf "training.replicas is %d: the training service watches the Jobs it launched and must run as exactly 1 replica" (int .Values.training.replicas)) -}}
{{- end -}}
{{- range $c := list "cleaning" "inference" -}}
{{- $a := (index $.Values $c).autoscaling -}}
{{- if and (index $.Values $c).enabled $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- $errors = append $errors (printf "%s.autoscaling.minReplicas (%d) is greater than %s.autoscaling.maxReplicas (%d)" $c (int $a.minReplicas) $c (int $a.maxReplicas)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.ingest.enabled .Values.ingest.deidentify.enabled (not .Values.ingest.deidentify.existingSecret) -}}
{{- $errors = append $errors "ingest.deidentify.enabled needs ingest.deidentify.existingSecret: a Secret holding the HMAC key that pseudonymises PatientID" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) -}}
{{- $errors = append $errors "ingress.enabled needs ingress.host: components are served at <component>.<host>" -}}
{{- end -}}
{{- if and .Values.inference.enabled .Values.inference.gpu.enabled (lt (int .Values.inference.gpu.count) 1) -}}
{{- $errors = append $errors "inference.gpu.enabled with inference.gpu.count below 1: a GPU placement needs at least one GPU per pod (or set inference.gpu.enabled=false)" -}}
{{- end -}}
{{- if and .Values.training.enabled (gt (int .Values.training.jobs.gpu.count) 0) (not .Values.training.jobs.tolerations) (not .Values.training.jobs.nodeSelector) (not .Values.training.jobs.affinity) -}}
{{- $errors = append $errors "training.jobs.gpu.count > 0 but the trainer has no nodeSelector, tolerations or affinity: GPU pools are tainted, so the Jobs could never be scheduled; set training.jobs.tolerations (and a nodeSelector for the pool)" -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1")) (not .Values.metrics.serviceMonitor.skipCapabilityCheck) -}}
{{- $errors = append $errors "metrics.serviceMonitor.enabled but the cluster has no monitoring.coreos.com/v1 API: install the Prometheus Operator CRDs first, or set metrics.serviceMonitor.skipCapabilityCheck=true when rendering offline" -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nich: these values cannot work together:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
