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

{{/*
registry/repository:tag; (dict "root" $ "repository" "ich-ingest"). With image.flavor=native, the services that ship a
native executable (ich.nativeRepositories) get their <tag>-native image; the rest keep the JVM one.
*/}}
{{- define "ich.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if and (eq (default "jvm" .root.Values.image.flavor) "native") (has .repository (include "ich.nativeRepositories" . | fromJsonArray)) -}}
{{- $tag = printf "%s-native" $tag -}}
{{- end -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .repository $tag -}}
{{- end -}}

{{/* The images built as native executables (docs/deploy.md, "Native images": the others need JNI, AWT or PixelMed). */}}
{{- define "ich.nativeRepositories" -}}
["ich-training"]
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

{{/* The Secret holding the storage credentials: the site's existingSecret, else the chart's (secret-storage.yaml). */}}
{{- define "ich.storage.secretName" -}}
{{- if .Values.storage.existingSecret -}}
{{- .Values.storage.existingSecret -}}
{{- else -}}
{{- include "ich.componentName" (dict "root" . "component" "storage") -}}
{{- end -}}
{{- end -}}

{{/* Storage credentials from that Secret, as env entries; used by every pod and the trainer. */}}
{{- define "ich.storageCredentialsEnv" -}}
- name: ICH_STORAGE_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "ich.storage.secretName" . }}
      key: {{ .Values.storage.accessKeyKey }}
- name: ICH_STORAGE_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "ich.storage.secretName" . }}
      key: {{ .Values.storage.secretKeyKey }}
{{- end -}}

{{/*
Ports inside every service container: the API (QUARKUS_HTTP_PORT) and Quarkus' management interface
(QUARKUS_MANAGEMENT_PORT: /q/health, /q/metrics, /q/openapi). Fixed: the values choose the Service ports.
*/}}
{{- define "ich.httpPort" -}}8080{{- end -}}
{{- define "ich.managementPort" -}}9000{{- end -}}
{{/* Quarkus' readiness check: the readiness probe and the helm test (tests/readiness-test.yaml) ask the same. */}}
{{- define "ich.readinessPath" -}}/q/health/ready{{- end -}}

{{/* auth.roleMap as ICH_AUTH_ROLE_MAP: ich-admin=group-a|group-b;ich-uploader=pacs-senders (roles sorted). */}}
{{- define "ich.auth.roleMap" -}}
{{- $entries := list -}}
{{- range $role, $groups := .Values.auth.roleMap -}}
{{- $entries = append $entries (printf "%s=%s" $role (join "|" $groups)) -}}
{{- end -}}
{{- join ";" $entries -}}
{{- end -}}

{{/* What services/runtime reads to verify tokens (the same in all five services). */}}
{{- define "ich.authConfig" -}}
ICH_AUTH_ENABLED: {{ .Values.auth.enabled | quote }}
{{- if .Values.auth.enabled }}
ICH_AUTH_ISSUER_URL: {{ .Values.auth.issuerUrl | quote }}
{{- with .Values.auth.audience }}
ICH_AUTH_AUDIENCE: {{ . | quote }}
{{- end }}
ICH_AUTH_ROLES_CLAIM: {{ .Values.auth.rolesClaim | quote }}
{{- with include "ich.auth.roleMap" . }}
ICH_AUTH_ROLE_MAP: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Labels every ich pod carries (services and trainer Jobs): what the NetworkPolicies select. */}}
{{- define "ich.podSelectorLabels" -}}
app.kubernetes.io/name: {{ include "ich.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The helm test Pod's labels: the release's, not ich.podSelectorLabels (no ich policy holds it). */}}
{{- define "ich.readinessTest.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: readiness-test
app.kubernetes.io/part-of: ich
{{- end -}}

{{/* The connection settings every service reads (non-secret part): rendered into each component's ConfigMap. */}}
{{- define "ich.connectionConfig" -}}
KAFKA_BOOTSTRAP_SERVERS: {{ .Values.kafka.bootstrapServers | quote }}
ICH_STORAGE_ENDPOINT: {{ .Values.storage.endpoint | quote }}
ICH_STORAGE_BUCKET: {{ .Values.storage.bucket | quote }}
QUARKUS_HTTP_PORT: {{ include "ich.httpPort" . | quote }}
QUARKUS_MANAGEMENT_PORT: {{ include "ich.managementPort" . | quote }}
JAVA_OPTS_APPEND: {{ .Values.javaOptions | quote }}
{{ include "ich.authConfig" . }}
{{- end -}}

{{/* name: value map as a ConfigMap data fragment (values quoted). */}}
{{- define "ich.envMap" -}}
{{- range $k, $v := . }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end -}}
