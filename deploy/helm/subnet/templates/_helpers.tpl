{{/* The release's base name, cut to the 63 characters a DNS label allows. */}}
{{- define "subnet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "subnet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: call with (dict "root" $ "component" "validator"). */}}
{{- define "subnet.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "subnet.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret holding a role's key: call with (dict "root" $ "role" "validator"); empty when there is none. */}}
{{- define "subnet.keySecret" -}}
{{- $key := index .root.Values .role "key" -}}
{{- if $key.existingSecret -}}
{{- $key.existingSecret -}}
{{- else if $key.value -}}
{{- printf "%s-%s-key" (include "subnet.fullname" .root) .role -}}
{{- end -}}
{{- end -}}

{{/* The init container that writes the tiny checkpoint into the model volume. */}}
{{- define "subnet.tinyModelInit" -}}
- name: tiny-model
  image: {{ include "subnet.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args: ["model", "init-tiny", "--out", "/model/tiny", "--seed", {{ .Values.model.seed | quote }}]
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: model
      mountPath: /model
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{- define "subnet.modelDir" -}}
{{- if .Values.model.tiny -}}/model/tiny{{- else -}}/model{{- end -}}
{{- end -}}

{{- define "subnet.modelVolume" -}}
- name: model
{{- if .Values.model.tiny }}
  emptyDir: {}
{{- else }}
  persistentVolumeClaim:
    claimName: {{ required "model.existingClaim must name a claim holding the checkpoint when model.tiny is false" .Values.model.existingClaim }}
    readOnly: true
{{- end }}
{{- end -}}
