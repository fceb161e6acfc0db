{{/* The labels every object of a release carries. */}}
{{- define "vibe-operator.labels" -}}
app.kubernetes.io/name: vibe-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The labels the Deployment selects its pods by; never change once installed. */}}
{{- define "vibe-operator.selectorLabels" -}}
app.kubernetes.io/name: vibe-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Where the model API key Secret is mounted in the operator's pod. */}}
{{- define "vibe-operator.modelKeyDir" -}}
/etc/vibe-operator/model-key
{{- end }}

{{/* The preview router's port (operator.previewRouterAddress, else 8088). */}}
{{- define "vibe-operator.previewRouterPort" -}}
{{- $address := default "0.0.0.0:8088" .Values.operator.previewRouterAddress -}}
{{- last (splitList ":" $address) -}}
{{- end }}

{{/*
The operator's config file (`vibe operator --config`): the operator values plus what the chart itself
decides (sandbox namespace, leader election in the release namespace, the probe port, the model key
file, the preview router on the pod's address). The operator validates it strictly at start and names any key it does not know.
*/}}
{{- define "vibe-operator.config" -}}
{{- $config := deepCopy .Values.operator -}}
{{- $_ := set $config "sandboxNamespace" .Values.sandbox.namespace -}}
{{- $_ := set $config "sandboxPoolSize" (int .Values.sandbox.poolSize) -}}
{{- if .Values.sandbox.image }}
{{- $_ := set $config "sandboxImage" .Values.sandbox.image -}}
{{- else if eq (default "" $config.executor) "pod" }}
{{- fail "sandbox.image is required with executor pod: build it with `vibe sandbox image` and push it where the cluster can pull it" -}}
{{- end }}
{{- $_ := set $config "leaderElect" true -}}
{{- $_ := set $config "leaderElectionNamespace" .Release.Namespace -}}
{{- $_ := set $config "leaderElectionId" .Release.Name -}}
{{- $_ := set $config "metricsPort" (int .Values.metricsPort) -}}
{{- if and $config.previewRouter (not $config.previewRouterAddress) }}
{{- /* In a pod the router must answer on the pod's address, not only on loopback. */ -}}
{{- $_ := set $config "previewRouterAddress" (printf "0.0.0.0:%s" (include "vibe-operator.previewRouterPort" .)) -}}
{{- end }}
{{- if .Values.model.provider }}
{{- $provider := deepCopy .Values.model.provider -}}
{{- if .Values.model.apiKeySecret.name }}
{{- $_ := set $provider "apiKeyFile" (printf "%s/%s" (include "vibe-operator.modelKeyDir" .) .Values.model.apiKeySecret.key) -}}
{{- end }}
{{- $_ := set $config "planner" $provider.kind -}}
{{- $_ := set $config "models" (dict "providers" (list $provider)) -}}
{{- end }}
{{- toYaml $config }}
{{- end }}
