{{/* Chart name, truncated to the 63 characters Kubernetes allows in a label value. */}}
{{- define "genai-normalizer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; the chart name is not repeated when the release already has it. */}}
{{- define "genai-normalizer.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "genai-normalizer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "genai-normalizer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "genai-normalizer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "genai-normalizer.labels" -}}
helm.sh/chart: {{ include "genai-normalizer.chart" . }}
{{ include "genai-normalizer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: gateway
{{- with .Values.additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "genai-normalizer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "genai-normalizer.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "genai-normalizer.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The service's config file, exactly as mounted: `config`, plus the otlp receiver's `tls` and `auth`
blocks that receiverTls and receiverAuth stand for (on the pods that take Kong's traffic). With
both off it is `config` verbatim.
*/}}
{{- define "genai-normalizer.config" -}}
{{- $cfg := .Values.config }}
{{- $tls := .Values.receiverTls }}
{{- $auth := .Values.receiverAuth }}
{{- if and (include "genai-normalizer.receiverSecurity" .) (or $tls.enabled $auth.enabled) }}
{{- $cfg = deepCopy .Values.config }}
{{- $otlp := dig "receivers" "otlp" "" $cfg }}
{{- if not (kindIs "map" $otlp) }}
{{- fail (printf "%s: true needs config.receivers.otlp (expected: the otlp receiver it secures)" (ternary "receiverTls.enabled" "receiverAuth.enabled" (eq $tls.enabled true))) }}
{{- end }}
{{- if $tls.enabled }}
{{- if hasKey $otlp "tls" }}
{{- fail "config.receivers.otlp.tls: set while receiverTls.enabled is true (expected: one of them; receiverTls writes this block)" }}
{{- end }}
{{- $dir := include "genai-normalizer.tlsDir" . }}
{{- $block := dict "cert_file" (printf "%s/receiver/tls.crt" $dir) "key_file" (printf "%s/receiver/tls.key" $dir) }}
{{- if $tls.clientCaSecretName }}
{{- $_ := set $block "client_ca_file" (printf "%s/client-ca/ca.crt" $dir) }}
{{- end }}
{{- $_ := set $otlp "tls" $block }}
{{- end }}
{{- if $auth.enabled }}
{{- if hasKey $otlp "auth" }}
{{- fail "config.receivers.otlp.auth: set while receiverAuth.enabled is true (expected: one of them; receiverAuth writes this block)" }}
{{- end }}
{{- $block := dict }}
{{- if $auth.bearerTokenKeys }}
{{- $tokens := list }}
{{- range $i, $_ := $auth.bearerTokenKeys }}
{{- $tokens = append $tokens (printf "${env:OTLP_RECEIVER_BEARER_TOKEN_%d}" $i) }}
{{- end }}
{{- $_ := set $block "bearer_tokens" $tokens }}
{{- end }}
{{- if $auth.basic.enabled }}
{{- $_ := set $block "basic" (dict "username" "${env:OTLP_RECEIVER_BASIC_USERNAME}" "password" "${env:OTLP_RECEIVER_BASIC_PASSWORD}") }}
{{- end }}
{{- $_ := set $otlp "auth" $block }}
{{- end }}
{{- end }}
{{- toYaml $cfg }}
{{- end }}

{{/*
"true" when this pod takes Kong's traffic and so gets receiverTls/receiverAuth: every pod in single
tier; in two-tier mode the router (rendered with routerTier set), not the normalizer tier behind
it, which the router reaches in plaintext.
*/}}
{{- define "genai-normalizer.receiverSecurity" -}}
{{- if or (not .Values.twoTier.enabled) .Values.routerTier }}true{{ end }}
{{- end }}

{{/* Where the chart mounts certificates: receiver/, client-ca/ and exporter-ca/ below it. */}}
{{- define "genai-normalizer.tlsDir" -}}
/etc/genai-normalizer-tls
{{- end }}

{{/* The env entries receiverAuth maps from its Secret; referenced by the config as ${env:…}. */}}
{{- define "genai-normalizer.receiverAuthEnv" -}}
{{- with .Values.receiverAuth }}
{{- $secret := .secretName }}
{{- range $i, $key := .bearerTokenKeys }}
- name: OTLP_RECEIVER_BEARER_TOKEN_{{ $i }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- if .basic.enabled }}
- name: OTLP_RECEIVER_BASIC_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .basic.usernameKey }}
- name: OTLP_RECEIVER_BASIC_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .basic.passwordKey }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volumes (and, with "mounts", their mounts) for receiverTls and exporterCa. */}}
{{- define "genai-normalizer.tlsVolumes" -}}
{{- $dir := include "genai-normalizer.tlsDir" .root }}
{{- $values := .root.Values }}
{{- $mounts := .mounts }}
{{- if and (include "genai-normalizer.receiverSecurity" .root) $values.receiverTls.enabled }}
{{- if $mounts }}
- name: receiver-tls
  mountPath: {{ $dir }}/receiver
  readOnly: true
{{- if $values.receiverTls.clientCaSecretName }}
- name: receiver-client-ca
  mountPath: {{ $dir }}/client-ca
  readOnly: true
{{- end }}
{{- else }}
- name: receiver-tls
  secret:
    secretName: {{ $values.receiverTls.secretName }}
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
{{- with $values.receiverTls.clientCaSecretName }}
- name: receiver-client-ca
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $values.receiverTls.clientCaKey }}
        path: ca.crt
{{- end }}
{{- end }}
{{- end }}
{{- if and $values.exporterCa.enabled (not $values.routerTier) }}
{{- if $mounts }}
- name: exporter-ca
  mountPath: {{ $dir }}/exporter-ca
  readOnly: true
{{- else }}
- name: exporter-ca
  {{- if $values.exporterCa.secretName }}
  secret:
    secretName: {{ $values.exporterCa.secretName }}
  {{- else }}
  configMap:
    name: {{ $values.exporterCa.configMapName }}
  {{- end }}
    items:
      - key: {{ $values.exporterCa.key }}
        path: ca.crt
{{- end }}
{{- end }}
{{- end }}

{{- define "genai-normalizer.configPath" -}}
/etc/genai-normalizer/config.yaml
{{- end }}

{{/* Label that tells the headless Service apart from the main one (ServiceMonitor skips it). */}}
{{- define "genai-normalizer.headlessLabel" -}}
service.genai-normalizer.dev/headless
{{- end }}

{{/*
Seconds in a duration written as the service writes them (500ms, 10s, 1m, 1h), rounded up;
"" when the text has another form (the service itself then reports it).
*/}}
{{- define "genai-normalizer.durationSeconds" -}}
{{- $d := toString . }}
{{- if regexMatch "^[0-9]+ms$" $d }}
{{- div (add (trimSuffix "ms" $d | int64) 999) 1000 }}
{{- else if regexMatch "^[0-9]+s$" $d }}
{{- trimSuffix "s" $d | int64 }}
{{- else if regexMatch "^[0-9]+m$" $d }}
{{- mul (trimSuffix "m" $d | int64) 60 }}
{{- else if regexMatch "^[0-9]+h$" $d }}
{{- mul (trimSuffix "h" $d | int64) 3600 }}
{{- end }}
{{- end }}

{{/* Seconds of the preStop hook's sleep; 0 without one. */}}
{{- define "genai-normalizer.preStopSeconds" -}}
{{- $preStop := 0 }}
{{- with .Values.lifecycleHooks.preStop }}{{ with .sleep }}{{ $preStop = int64 (default 0 .seconds) }}{{ end }}{{ end }}
{{- $preStop }}
{{- end }}

{{/*
Seconds from the start of a pod's termination to the end of the service's stop: the preStop sleep
plus config.service.shutdown_timeout (default 10s), rounded up; "" when the timeout is not a plain
duration.
*/}}
{{- define "genai-normalizer.stopSeconds" -}}
{{- $service := default dict .Values.config.service }}
{{- $shutdown := include "genai-normalizer.durationSeconds" (default "10s" $service.shutdown_timeout) }}
{{- if $shutdown }}{{ add (int64 $shutdown) (int64 (include "genai-normalizer.preStopSeconds" .)) }}{{ end }}
{{- end }}

{{/*
The pod's terminationGracePeriodSeconds: as set, or the stop's seconds plus 5 s for the JVM to exit
and the last log line to be written (the service itself takes at most 1 s past shutdown_timeout).
*/}}
{{- define "genai-normalizer.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add (int64 (include "genai-normalizer.stopSeconds" .)) 5 }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/* The port of a host:port endpoint, or "" when it is not a literal number (e.g. ${env:PORT}). */}}
{{- define "genai-normalizer.endpointPort" -}}
{{- $m := regexFind ":[0-9]+$" (toString .) }}
{{- if $m }}{{ trimPrefix ":" $m }}{{ end }}
{{- end }}

{{/*
Fails the render on values that would deploy a broken release. Included by configmap.yaml, which
is always rendered (helm template does not render NOTES.txt).
*/}}
{{- define "genai-normalizer.validate" -}}
{{- $cfg := .Values.config }}
{{- $service := default dict $cfg.service }}
{{- /* Grace period: the preStop sleep, then SIGTERM and a stop of at most shutdown_timeout (default 10s). */}}
{{- $stop := include "genai-normalizer.stopSeconds" . }}
{{- $grace := .Values.terminationGracePeriodSeconds }}
{{- if kindIs "invalid" $grace }}
{{- if not $stop }}
{{- fail (printf "terminationGracePeriodSeconds: required when config.service.shutdown_timeout is %q (expected: a number of seconds; it is derived only from a duration such as 30s, 2m or 1h)" (toString $service.shutdown_timeout)) }}
{{- end }}
{{- else if and $stop (lt (int64 $grace) (add (int64 $stop) 2)) }}
{{- fail (printf "terminationGracePeriodSeconds: %v (expected: >= %v, config.service.shutdown_timeout %s plus the preStop sleep %vs plus 2 s for the service to exit, or the drain is killed; leave it unset to derive %v)" $grace (add (int64 $stop) 2) (toString (default "10s" $service.shutdown_timeout)) (include "genai-normalizer.preStopSeconds" .) (add (int64 $stop) 5)) }}
{{- end }}
{{- /* Probes and the Service use ports.*.containerPort: the config must bind the same ports. */}}
{{- $admin := "" }}
{{- with $service.telemetry }}{{ with .admin }}{{ $admin = toString (default "" .endpoint) }}{{ end }}{{ end }}
{{- /* The service's own default (localhost:8888) answers on loopback only: the kubelet probes the pod IP. */}}
{{- $adminHost := regexReplaceAll ":[0-9]+$" $admin "" }}
{{- if or (not $admin) (regexMatch "^127\\." $adminHost) (has (lower $adminHost) (list "localhost" "[::1]" "::1")) }}
{{- fail (printf "config.service.telemetry.admin.endpoint: '%s' (expected: an address the probes reach, such as ${env:MY_POD_IP}:%v or 0.0.0.0:%v; unset, the service listens on localhost:8888 only)" $admin (index .Values.ports "admin").containerPort (index .Values.ports "admin").containerPort) }}
{{- end }}
{{- $adminPort := include "genai-normalizer.endpointPort" $admin }}
{{- if and $adminPort (ne $adminPort (toString (index .Values.ports "admin").containerPort)) }}
{{- fail (printf "ports.admin.containerPort: %v (expected: %s, the port of config.service.telemetry.admin.endpoint, which the probes call)" (index .Values.ports "admin").containerPort $adminPort) }}
{{- end }}
{{- with $cfg.receivers }}{{ with .otlp }}{{ with .protocols }}
{{- range $protocol, $port := dict "grpc" "otlp-grpc" "http" "otlp-http" }}
{{- $p := index $.Values.ports $port }}
{{- with (get $.Values.config.receivers.otlp.protocols $protocol) }}
{{- $endpointPort := include "genai-normalizer.endpointPort" (default "" .endpoint) }}
{{- if and $p.enabled $endpointPort (ne $endpointPort (toString $p.containerPort)) }}
{{- fail (printf "ports.%s.containerPort: %v (expected: %s, the port of config.receivers.otlp.protocols.%s.endpoint)" $port $p.containerPort $endpointPort $protocol) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}{{ end }}{{ end }}
{{- with .Values.podDisruptionBudget }}
{{- if and .enabled (not (kindIs "invalid" .minAvailable)) (not (kindIs "invalid" .maxUnavailable)) }}
{{- fail "podDisruptionBudget: both minAvailable and maxUnavailable are set (expected: exactly one; set the other to null)" }}
{{- end }}
{{- if and .enabled (kindIs "invalid" .minAvailable) (kindIs "invalid" .maxUnavailable) }}
{{- fail "podDisruptionBudget: neither minAvailable nor maxUnavailable is set (expected: exactly one)" }}
{{- end }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int64 .Values.autoscaling.minReplicas) (int64 .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas: %v (expected: <= autoscaling.maxReplicas %v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) }}
{{- end }}
{{- with .Values.receiverTls }}
{{- if and .enabled (not .secretName) }}
{{- fail "receiverTls.secretName: required when receiverTls.enabled is true (expected: a kubernetes.io/tls Secret with tls.crt and tls.key)" }}
{{- end }}
{{- end }}
{{- with .Values.receiverAuth }}
{{- if and .enabled (not .secretName) }}
{{- fail "receiverAuth.secretName: required when receiverAuth.enabled is true (expected: the Secret holding the tokens or the basic-auth user)" }}
{{- end }}
{{- if and .enabled (not .bearerTokenKeys) (not .basic.enabled) }}
{{- fail "receiverAuth: enabled, but bearerTokenKeys is empty and basic.enabled is false (expected: at least one credential)" }}
{{- end }}
{{- end }}
{{- with .Values.exporterCa }}
{{- if and .enabled (not .secretName) (not .configMapName) }}
{{- fail "exporterCa: enabled, but neither secretName nor configMapName is set (expected: exactly one)" }}
{{- end }}
{{- if and .enabled .secretName .configMapName }}
{{- fail "exporterCa: both secretName and configMapName are set (expected: exactly one)" }}
{{- end }}
{{- end }}
{{- if and .Values.serviceMonitor.enabled (not (index .Values.ports "admin").enabled) }}
{{- fail "serviceMonitor.enabled: true needs ports.admin.enabled: true (the ServiceMonitor scrapes the Service's admin port)" }}
{{- end }}
{{- end }}

{{/*
The router's config in two-tier mode: OTLP in, loadbalancing out to the normalizer tier's headless
Service (one address per ready normalizer pod), re-resolved every twoTier.router.resolveInterval.
*/}}
{{- define "genai-normalizer.routerConfig" -}}
{{- $fullname := include "genai-normalizer.fullname" . }}
{{- $grpc := (index .Values.ports "otlp-grpc").containerPort }}
{{- $http := (index .Values.ports "otlp-http").containerPort }}
{{- $admin := (index .Values.ports "admin").containerPort }}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${env:MY_POD_IP}:{{ $grpc }}
      {{- if (index .Values.ports "otlp-http").enabled }}
      http:
        endpoint: ${env:MY_POD_IP}:{{ $http }}
      {{- end }}
exporters:
  loadbalancing:
    routing_key: traceID
    protocol:
      otlp:
        {{- toYaml .Values.twoTier.router.otlp | nindent 8 }}
    resolver:
      dns:
        hostname: {{ $fullname }}-normalizer-headless.{{ .Release.Namespace }}.svc.cluster.local
        port: {{ $grpc }}
        interval: {{ .Values.twoTier.router.resolveInterval }}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [loadbalancing]
  telemetry:
    admin:
      endpoint: ${env:MY_POD_IP}:{{ $admin }}
{{- end }}
