{{- define "airflowguard.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "airflowguard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "airflowguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "airflowguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "airflowguard.labels" -}}
{{ include "airflowguard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "airflowguard.serviceAccountName" -}}
{{- default (include "airflowguard.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "airflowguard.tlsSecret" -}}
{{- printf "%s-tls" (include "airflowguard.fullname" .) -}}
{{- end -}}

{{- define "airflowguard.serviceHost" -}}
{{- printf "%s.%s.svc" (include "airflowguard.fullname" .) .Release.Namespace -}}
{{- end -}}

{{/*
The self-signed CA and serving certificate: read back from the Secret on upgrades, generated on
install (and by `helm template`, where lookup returns nothing). Generated once per render and
kept on .Values, so the Secret and the webhooks' caBundle always match.
*/}}
{{- define "airflowguard.selfSigned" -}}
{{- if not (hasKey .Values "__airflowguardTls") -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (include "airflowguard.tlsSecret" .) -}}
{{- if and $secret (index $secret.data "ca.crt") -}}
{{- $_ := set .Values "__airflowguardTls" (dict "ca.crt" (index $secret.data "ca.crt") "tls.crt" (index $secret.data "tls.crt") "tls.key" (index $secret.data "tls.key")) -}}
{{- else -}}
{{- $host := include "airflowguard.serviceHost" . -}}
{{- $ca := genCA "airflowguard-ca" (int .Values.certificates.validityDays) -}}
{{- $cert := genSignedCert $host nil (list $host (printf "%s.cluster.local" $host) (include "airflowguard.fullname" .)) (int .Values.certificates.validityDays) $ca -}}
{{- $_ := set .Values "__airflowguardTls" (dict "ca.crt" ($ca.Cert | b64enc) "tls.crt" ($cert.Cert | b64enc) "tls.key" ($cert.Key | b64enc)) -}}
{{- end -}}
{{- end -}}
{{- toYaml (get .Values "__airflowguardTls") -}}
{{- end -}}

{{- define "airflowguard.namespaceSelector" -}}
namespaceSelector:
{{- if eq .Values.webhook.namespaceSelection "opt-in" }}
  matchLabels:
    airflowguard.dev/enabled: "true"
{{- else }}
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: {{ concat (list "kube-system" "kube-node-lease" .Release.Namespace) .Values.webhook.excludeNamespaces | uniq | toJson }}
{{- end }}
{{- end -}}
