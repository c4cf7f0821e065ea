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

{{- define "airflowguard.caSecret" -}}
{{- printf "%s-ca" (include "airflowguard.fullname" .) -}}
{{- end -}}

{{/*
The self-signed CA and serving certificate (mode self-signed), generated once per render and kept
on .Values so the Secrets and the webhooks' caBundle always match.
- The CA (certificates.caValidityDays) lives in its own Secret, never mounted by the pods, and is
  kept across upgrades (lookup). `helm template` (no cluster) generates a fresh one.
- The serving leaf (certificates.validityDays) is kept while it has more than
  certificates.renewBeforeDays left, else re-issued by the same CA on `helm upgrade`; its expiry is
  recorded in an annotation because Helm cannot parse certificates.
- caBundle carries the CA in force and, for one upgrade, a previous one (a release installed by an
  older chart, whose CA key was never kept), so pods still serving the old pair are trusted until
  the kubelet has refreshed their Secret volume.
*/}}
{{- define "airflowguard.selfSigned" -}}
{{- if not (hasKey .Values "__airflowguardTls") -}}
{{- $host := include "airflowguard.serviceHost" . -}}
{{- $names := list $host (printf "%s.cluster.local" $host) (include "airflowguard.fullname" .) -}}
{{- $caSecret := lookup "v1" "Secret" .Release.Namespace (include "airflowguard.caSecret" .) -}}
{{- $tlsSecret := lookup "v1" "Secret" .Release.Namespace (include "airflowguard.tlsSecret" .) -}}
{{- $ca := dict -}}
{{- if and $caSecret (index $caSecret.data "ca.key") -}}
{{- $ca = buildCustomCert (index $caSecret.data "ca.crt") (index $caSecret.data "ca.key") -}}
{{- else -}}
{{- $ca = genCA "airflowguard-ca" (int .Values.certificates.caValidityDays) -}}
{{- end -}}
{{- $caPem := $ca.Cert | b64enc -}}
{{- $previousCa := "" -}}
{{- if and $tlsSecret (index $tlsSecret.data "ca.crt") (ne (index $tlsSecret.data "ca.crt") $caPem) -}}
{{- $previousCa = index $tlsSecret.data "ca.crt" | b64dec -}}
{{- end -}}
{{- $keep := false -}}
{{- if and $tlsSecret (not $previousCa) $tlsSecret.metadata.annotations -}}
{{- $notAfter := index $tlsSecret.metadata.annotations "airflowguard.dev/not-after" | default "" -}}
{{- if $notAfter -}}
{{- $renewAt := sub ((toDate "2006-01-02T15:04:05Z07:00" $notAfter) | unixEpoch) (mul (int .Values.certificates.renewBeforeDays) 86400) -}}
{{- $keep = lt (now | unixEpoch | int64) ($renewAt | int64) -}}
{{- end -}}
{{- end -}}
{{- if $keep -}}
{{- $_ := set .Values "__airflowguardTls" (dict "ca.crt" $caPem "ca.key" ($ca.Key | b64enc) "tls.crt" (index $tlsSecret.data "tls.crt") "tls.key" (index $tlsSecret.data "tls.key") "notAfter" (index $tlsSecret.metadata.annotations "airflowguard.dev/not-after") "caBundle" $caPem) -}}
{{- else -}}
{{- $cert := genSignedCert $host nil $names (int .Values.certificates.validityDays) $ca -}}
{{- $notAfter := now | dateModify (printf "+%dh" (mul (int .Values.certificates.validityDays) 24)) | date "2006-01-02T15:04:05Z07:00" -}}
{{- $bundle := printf "%s%s" $ca.Cert $previousCa | b64enc -}}
{{- $_ := set .Values "__airflowguardTls" (dict "ca.crt" $caPem "ca.key" ($ca.Key | b64enc) "tls.crt" ($cert.Cert | b64enc) "tls.key" ($cert.Key | b64enc) "notAfter" $notAfter "caBundle" $bundle) -}}
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

{{/*
matchConditions: the API server calls the webhook only for what can be an Airflow object, so a
webhook that is down (failurePolicy Fail) cannot stop unrelated pods. The pod (a Pod, a workload's
template, a CronJob's job template) matches when a label value names airflow (tier=airflow,
release=airflow, app.kubernetes.io/name=airflow), it carries a label the executors set
(airflow-worker, dag_id, task_id, kubernetes_executor, airflow_version), a container's image,
command or args names airflow, a container has an AIRFLOW* env var or envFrom a ConfigMap/Secret
whose name contains airflow, or a volume mounts such a ConfigMap (airflow.cfg). Every has() guard
matters: an evaluation error is treated as a webhook failure. webhook.narrowToAirflow=false sends
everything in the selected namespaces (and clusters before 1.28 need it: no matchConditions there).
*/}}
{{- define "airflowguard.matchConditions" -}}
{{- if .Values.webhook.narrowToAirflow }}
matchConditions:
  - name: can-be-airflow
    expression: >-
      [has(object.spec.template) ? object.spec.template
        : has(object.spec.jobTemplate) ? object.spec.jobTemplate.spec.template : object].exists(p,
        (has(p.metadata) && has(p.metadata.labels) && p.metadata.labels.exists(k,
          k in ['airflow-worker', 'dag_id', 'task_id', 'kubernetes_executor', 'airflow_version', 'airflow-version']
          || p.metadata.labels[k].contains('airflow')))
        || (has(p.spec) && (
          p.spec.containers.exists(c, c.image.contains('airflow')
            || (has(c.command) && c.command.exists(a, a.contains('airflow')))
            || (has(c.args) && c.args.exists(a, a.contains('airflow')))
            || (has(c.env) && c.env.exists(e, e.name.startsWith('AIRFLOW')))
            || (has(c.envFrom) && c.envFrom.exists(f, (has(f.configMapRef) && f.configMapRef.name.contains('airflow'))
                                                      || (has(f.secretRef) && f.secretRef.name.contains('airflow')))))
          || (has(p.spec.initContainers) && p.spec.initContainers.exists(c, c.image.contains('airflow')
            || (has(c.args) && c.args.exists(a, a.contains('airflow')))
            || (has(c.env) && c.env.exists(e, e.name.startsWith('AIRFLOW')))))
          || (has(p.spec.volumes) && p.spec.volumes.exists(v, has(v.configMap) && v.configMap.name.contains('airflow'))))))
{{- end }}
{{- end -}}

{{/* PersistentVolumes: only CSI volumes can get FUSE mount options. */}}
{{- define "airflowguard.pvMatchConditions" -}}
{{- if .Values.webhook.narrowToAirflow }}
matchConditions:
  - name: csi-volume
    expression: has(object.spec.csi)
{{- end }}
{{- end -}}
