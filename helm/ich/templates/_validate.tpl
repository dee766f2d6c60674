{{/*
Refuses value combinations that cannot work, each with a message that says what to change. values.schema.json
checks each value alone; these are the rules across values. Rendered by validate.yaml (which emits nothing).
*/}}
{{- define "ich.validate" -}}
{{- $errors := list -}}
{{- /* Authentication: no issuer means no API could verify a token; opening them must be a stated choice. */ -}}
{{- if and .Values.auth.enabled (not .Values.auth.issuerUrl) -}}
{{- $errors = append $errors "auth.issuerUrl is empty: set it to your OpenID Connect issuer (e.g. https://keycloak.example.org/realms/ich, https://login.microsoftonline.com/<tenant>/v2.0); or set auth.enabled=false to open every API to anyone who can reach it (a closed test cluster only)" -}}
{{- end -}}
{{- /* Storage credentials: from a Secret, or plain text that is not a published placeholder; never both, never none. */ -}}
{{- $s := .Values.storage -}}
{{- $plain := or $s.accessKey $s.secretKey -}}
{{- if and $s.existingSecret $plain -}}
{{- $errors = append $errors (printf "storage.existingSecret (%s) and storage.accessKey/secretKey are both set: the Secret would win and the plain-text keys be ignored; remove the plain-text keys" $s.existingSecret) -}}
{{- else if not (or $s.existingSecret $plain) -}}
{{- $errors = append $errors "storage has no credentials: create a Secret (kubectl -n <namespace> create secret generic ich-storage --from-literal=access-key=... --from-literal=secret-key=...) and set storage.existingSecret=ich-storage" -}}
{{- else if $plain -}}
{{- $placeholders := list "" "minioadmin" "changeme" "change-me" "changeit" "ich-local" "ich-local-secret" "ich-evaluation" "ich-evaluation-not-a-secret" "password" "secret" "admin" "test" "example" -}}
{{- range $k := list "accessKey" "secretKey" -}}
{{- if has (lower (toString (index $s $k))) $placeholders -}}
{{- $errors = append $errors (printf "storage.%s is empty or a published placeholder (%q): use the store's real credentials, preferably from a Secret (storage.existingSecret)" $k (toString (index $s $k))) -}}
{{- end -}}
{{- end -}}
{{- if and $s.secretKey (lt (len (toString $s.secretKey)) 8) -}}
{{- $errors = append $errors "storage.secretKey is shorter than 8 characters: no S3 store accepts it (MinIO's minimum is 8); use the store's real secret key" -}}
{{- end -}}
{{- end -}}
{{- /* Credentials in extraEnv would sit in a ConfigMap in clear, whatever the Secret values say. */ -}}
{{- $credentialVars := list "ICH_STORAGE_ACCESS_KEY" "ICH_STORAGE_SECRET_KEY" "ICH_INGEST_DEIDENTIFY_KEY" "AWS_ACCESS_KEY_ID" "AWS_SECRET_ACCESS_KEY" -}}
{{- range $c := splitList " " (include "ich.components" $) -}}
{{- range $k, $_ := (index $.Values $c).extraEnv -}}
{{- if or (has $k $credentialVars) (contains "SECRET" $k) (contains "PASSWORD" $k) -}}
{{- $errors = append $errors (printf "%s.extraEnv sets %s: extraEnv lands in a ConfigMap in clear; credentials come from Secrets (storage.existingSecret, ingest.deidentify.existingSecret)" $c $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $k, $_ := .Values.training.jobs.extraEnv -}}
{{- if or (has $k $credentialVars) (contains "SECRET" $k) (contains "PASSWORD" $k) -}}
{{- $errors = append $errors (printf "training.jobs.extraEnv sets %s: it lands in the Job template ConfigMap in clear; credentials come from Secrets" $k) -}}
{{- end -}}
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
{{- $errors = append $errors (printf "ingest.deidentify is on (the default) but ingest.deidentify.existingSecret is empty: create the Secret with the HMAC key that pseudonymises PatientID (kubectl -n <namespace> create secret generic ich-pseudonym-key --from-literal=%s=\"$(openssl rand -base64 32)\") and name it here; or set ingest.deidentify.enabled=false to store studies with their identifiers" .Values.ingest.deidentify.secretKey) -}}
{{- end -}}
{{- $aets := .Values.ingest.dimse.allowedCallingAeTitles -}}
{{- if and (has "*" $aets) (gt (len $aets) 1) -}}
{{- $errors = append $errors (printf "ingest.dimse.allowedCallingAeTitles mixes \"*\" (any sender) with named AE titles %v: choose one" (without $aets "*")) -}}
{{- end -}}
{{- /* NetworkPolicies: a required flow with no peers would cut the service off; a peer with no selector is none. */ -}}
{{- $np := .Values.networkPolicy -}}
{{- if $np.enabled -}}
{{- if and .Values.auth.enabled (not $np.oidc.to) -}}
{{- $errors = append $errors "networkPolicy.oidc.to is empty: the services could not reach the issuer to verify tokens; set the issuer's address (e.g. [{ipBlock: {cidr: 203.0.113.10/32}}]) or its selectors, or networkPolicy.enabled=false" -}}
{{- end -}}
{{- if and .Values.training.enabled (not $np.kubernetesApi.to) -}}
{{- $errors = append $errors "networkPolicy.kubernetesApi.to is empty: the training service could not create its Jobs; set the API server's address as pods reach it (kubectl get endpoints kubernetes -n default, e.g. [{ipBlock: {cidr: 10.0.0.1/32}}])" -}}
{{- end -}}
{{- range $flow := list "kafka" "storage" -}}
{{- if not (index $np $flow).to -}}
{{- $errors = append $errors (printf "networkPolicy.%s.to is empty: every service needs %s; set its address (ipBlock) or selectors" $flow $flow) -}}
{{- end -}}
{{- end -}}
{{- range $peer := list "ingressController" "prometheus" "dns" -}}
{{- if not (or (index $np $peer).namespaceSelector (index $np $peer).podSelector) -}}
{{- $errors = append $errors (printf "networkPolicy.%s has neither namespaceSelector nor podSelector: set at least one so the policy names who may connect" $peer) -}}
{{- end -}}
{{- end -}}
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
{{- /* Export destinations: what each kind needs, credentials from a Secret only, and a way out through the policies. */ -}}
{{- if .Values.inference.enabled -}}
{{- range $name, $d := .Values.inference.export.destinations -}}
{{- $at := printf "inference.export.destinations.%s" $name -}}
{{- if and (eq $d.kind "dimse") (not (and $d.host $d.port $d.calledAeTitle)) -}}
{{- $errors = append $errors (printf "%s is a dimse destination without host, port and calledAeTitle: set all three (the PACS's address, DICOM port and AE title)" $at) -}}
{{- end -}}
{{- if and (eq $d.kind "stow") (not $d.url) -}}
{{- $errors = append $errors (printf "%s is a stow destination without url: set its DICOMweb base (objects are POSTed to <url>/studies)" $at) -}}
{{- end -}}
{{- if and (or $d.bearerTokenKey $d.usernameKey $d.passwordKey) (not $d.existingSecret) -}}
{{- $errors = append $errors (printf "%s names credential keys but no existingSecret: create the Secret (kubectl -n <namespace> create secret generic %s-credentials --from-literal=token=...) and set existingSecret" $at $name) -}}
{{- end -}}
{{- if and $.Values.networkPolicy.enabled (not $d.egress) -}}
{{- $errors = append $errors (printf "%s has no egress: with networkPolicy.enabled inference could not reach it; set the peers it is reached at (e.g. [{ipBlock: {cidr: 10.50.0.10/32}}]) or networkPolicy.enabled=false" $at) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nich: these values cannot work together:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
