package dev.genainormalizer.charts;

import static dev.genainormalizer.charts.Manifests.byName;
import static dev.genainormalizer.charts.Manifests.get;
import static dev.genainormalizer.charts.Manifests.list;
import static dev.genainormalizer.charts.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the chart renders, read from the parsed objects. */
class ChartRenderTest {
  @TempDir Path dir;

  private final Manifests defaults = ChartFixture.render((Path) null);

  @Test
  void defaultsRenderADeploymentWithTheAppsPortsAndAServiceWithAppProtocols() {
    assertThat(defaults.workload().get("kind")).isEqualTo("Deployment");
    assertThat(defaults.kinds())
        .containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment");

    final List<Map<String, Object>> ports = list(defaults.container(), "ports");
    assertThat(byName(ports, "otlp-grpc"))
        .containsEntry("containerPort", 4317)
        .containsEntry("protocol", "TCP");
    assertThat(byName(ports, "otlp-http")).containsEntry("containerPort", 4318);
    assertThat(byName(ports, "admin")).containsEntry("containerPort", 8888);

    final Map<String, Object> service = defaults.one("Service");
    assertThat(get(service, "spec.type")).isEqualTo("ClusterIP");
    assertThat(map(service, "spec.selector"))
        .isEqualTo(map(defaults.workload(), "spec.selector.matchLabels"));
    final List<Map<String, Object>> servicePorts = list(service, "spec.ports");
    assertThat(byName(servicePorts, "otlp-grpc"))
        .containsEntry("port", 4317)
        .containsEntry("targetPort", "otlp-grpc")
        .containsEntry("appProtocol", "grpc");
    assertThat(byName(servicePorts, "otlp-http"))
        .containsEntry("port", 4318)
        .containsEntry("appProtocol", "http");
    assertThat(byName(servicePorts, "admin"))
        .containsEntry("port", 8888)
        .containsEntry("appProtocol", "http");
  }

  @Test
  void probesCallTheAdminPort() {
    final Map<String, Object> container = defaults.container();
    assertThat(get(container, "livenessProbe.httpGet"))
        .isEqualTo(Map.of("path", "/healthz", "port", 8888));
    assertThat(get(container, "readinessProbe.httpGet"))
        .isEqualTo(Map.of("path", "/readyz", "port", 8888));
    assertThat(get(container, "startupProbe.httpGet"))
        .isEqualTo(Map.of("path", "/healthz", "port", 8888));
  }

  @Test
  void runsTheConfigFromTheConfigMapWithThePodIpInTheEnvironment() {
    final Map<String, Object> container = defaults.container();
    assertThat(list(container, "args"))
        .containsExactly("run", "--config", "/etc/genai-normalizer/config.yaml");
    assertThat(get(container, "image")).isEqualTo("genai-normalizer:0.1.0");
    final Map<String, Object> podIp = byName(list(container, "env"), "MY_POD_IP");
    assertThat(get(podIp, "valueFrom.fieldRef.fieldPath")).isEqualTo("status.podIP");

    final Map<String, Object> mount = byName(list(container, "volumeMounts"), "config");
    assertThat(mount)
        .containsEntry("mountPath", "/etc/genai-normalizer")
        .containsEntry("readOnly", true);
    final Map<String, Object> volume = byName(list(defaults.podSpec(), "volumes"), "config");
    assertThat(get(volume, "configMap.name"))
        .isEqualTo(get(defaults.one("ConfigMap"), "metadata.name"));
  }

  @Test
  void defaultConfigHasBothReceiversOnThePodIpKongGenaiAndDebug() {
    final Map<String, Object> config = ChartFixture.yaml().load(defaults.configText());
    assertThat(get(config, "receivers.otlp.protocols.grpc.endpoint"))
        .isEqualTo("${env:MY_POD_IP}:4317");
    assertThat(get(config, "receivers.otlp.protocols.http.endpoint"))
        .isEqualTo("${env:MY_POD_IP}:4318");
    assertThat(map(config, "processors")).containsOnlyKeys("kong", "genai");
    assertThat(map(config, "exporters")).containsOnlyKeys("debug");
    assertThat(get(config, "service.pipelines.traces"))
        .isEqualTo(
            Map.of(
                "receivers",
                List.of("otlp"),
                "processors",
                List.of("kong", "genai"),
                "exporters",
                List.of("debug")));
    assertThat(get(config, "service.telemetry.admin.endpoint")).isEqualTo("${env:MY_POD_IP}:8888");
  }

  @Test
  void podIsHardenedByDefault() {
    final Map<String, Object> pod = defaults.podSpec();
    assertThat(map(pod, "securityContext"))
        .containsEntry("runAsNonRoot", true)
        .containsEntry("runAsUser", 10001)
        .containsEntry("fsGroup", 10001)
        .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
    assertThat(map(defaults.container(), "securityContext"))
        .containsEntry("runAsNonRoot", true)
        .containsEntry("runAsUser", 10001)
        .containsEntry("readOnlyRootFilesystem", true)
        .containsEntry("allowPrivilegeEscalation", false)
        .containsEntry("capabilities", Map.of("drop", List.of("ALL")))
        .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
    assertThat(pod).containsEntry("automountServiceAccountToken", false);
    assertThat(byName(list(defaults.container(), "volumeMounts"), "tmp"))
        .containsEntry("mountPath", "/tmp");
    assertThat(byName(list(pod, "volumes"), "tmp")).containsKey("emptyDir");
  }

  @Test
  void resourcesHaveAMemoryLimitAndTheGracePeriodOutlastsTheDrain() {
    assertThat(get(defaults.container(), "resources.limits.memory")).isEqualTo("1Gi");
    assertThat(get(defaults.container(), "resources.requests.cpu")).isNotNull();
    assertThat((Integer) defaults.podSpec().get("terminationGracePeriodSeconds")).isGreaterThan(10);
  }

  @Test
  void checksumAnnotationFollowsTheConfig() {
    final Object before =
        get(defaults.workload(), "spec.template.metadata.annotations.[checksum/config]");
    assertThat(before).asString().matches("[0-9a-f]{64}");
    final Manifests changed =
        ChartFixture.render(Map.of("config.exporters.debug.verbosity", "detailed"));
    final Object after =
        get(changed.workload(), "spec.template.metadata.annotations.[checksum/config]");
    assertThat(after).asString().matches("[0-9a-f]{64}").isNotEqualTo(before);
    assertThat(ChartFixture.render(Map.of("replicaCount", 3)).workload())
        .extracting(w -> get(w, "spec.template.metadata.annotations.[checksum/config]"))
        .isEqualTo(before);
  }

  @Test
  void optionalObjectsAreRenderedOnlyWhenEnabled() {
    assertThat(defaults.kinds())
        .doesNotContain(
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "ServiceMonitor",
            "PrometheusRule",
            "NetworkPolicy",
            "StatefulSet");

    final Manifests on =
        ChartFixture.render(
            Map.of(
                "autoscaling.enabled", true,
                "podDisruptionBudget.enabled", true,
                "serviceMonitor.enabled", true,
                "prometheusRule.enabled", true,
                "networkPolicy.enabled", true));
    assertThat(on.kinds())
        .contains(
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "ServiceMonitor",
            "PrometheusRule",
            "NetworkPolicy");
  }

  @Test
  void hpaTargetsTheWorkloadAndTheWorkloadLeavesReplicasToIt() {
    final Manifests hpa = ChartFixture.render(ChartFixture.ciCases().get("hpa-pdb"));
    final Map<String, Object> autoscaler = hpa.one("HorizontalPodAutoscaler");
    assertThat(autoscaler.get("apiVersion")).isEqualTo("autoscaling/v2");
    assertThat(get(autoscaler, "spec.scaleTargetRef"))
        .isEqualTo(
            Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "genai-normalizer"));
    assertThat(get(autoscaler, "spec.minReplicas")).isEqualTo(2);
    assertThat(get(autoscaler, "spec.maxReplicas")).isEqualTo(6);
    assertThat(map(hpa.workload(), "spec")).doesNotContainKey("replicas");
    final Map<String, Object> pdb = hpa.one("PodDisruptionBudget");
    assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
    assertThat(map(pdb, "spec"))
        .containsEntry("minAvailable", 1)
        .doesNotContainKey("maxUnavailable");
    assertThat(get(pdb, "spec.selector.matchLabels"))
        .isEqualTo(get(hpa.workload(), "spec.selector.matchLabels"));
  }

  @Test
  void statefulsetModeMountsAClaimAtTheDataDirAndHasAHeadlessService() {
    final Manifests sts = ChartFixture.render(ChartFixture.ciCases().get("statefulset-disk-queue"));
    final Map<String, Object> workload = sts.workload();
    assertThat(workload.get("kind")).isEqualTo("StatefulSet");
    assertThat(sts.ofKind("Deployment")).isEmpty();
    final Map<String, Object> claim =
        Manifests.<Map<String, Object>>list(workload, "spec.volumeClaimTemplates").get(0);
    assertThat(get(claim, "metadata.name")).isEqualTo("data");
    assertThat(get(claim, "spec.resources.requests.storage")).isEqualTo("5Gi");
    assertThat(get(claim, "spec.accessModes")).isEqualTo(List.of("ReadWriteOnce"));
    assertThat(byName(list(sts.container(), "volumeMounts"), "data"))
        .containsEntry("mountPath", "/var/lib/genai-normalizer");
    final Map<String, Object> headless = sts.named("Service", "genai-normalizer-headless");
    assertThat(get(headless, "spec.clusterIP")).isEqualTo("None");
    assertThat(get(workload, "spec.serviceName")).isEqualTo("genai-normalizer-headless");
    assertThat(sts.podSpec())
        .as("shutdown_timeout 20s + 5 s")
        .containsEntry("terminationGracePeriodSeconds", 25);
  }

  @Test
  void deploymentModeHasNoDataVolume() {
    final List<Map<String, Object>> mounts = list(defaults.container(), "volumeMounts");
    assertThat(mounts.stream().map(m -> m.get("name"))).containsExactly("config", "tmp");
  }

  @Test
  void existingSecretAndExtraEnvReachTheContainer() {
    final Manifests secret = ChartFixture.render(ChartFixture.ciCases().get("existing-secret"));
    final List<Map<String, Object>> envFrom = list(secret.container(), "envFrom");
    assertThat(envFrom.get(0))
        .isEqualTo(Map.of("secretRef", Map.of("name", "genai-normalizer-backends")));
    assertThat(envFrom.get(1)).containsKey("configMapRef");
    assertThat(byName(list(secret.container(), "env"), "PHOENIX_ENDPOINT")).containsKey("value");
    assertThat(secret.configText()).contains("Bearer ${env:PHOENIX_API_KEY}");
  }

  @Test
  void serviceMonitorScrapesTheAdminPortOfTheMainServiceOnly() {
    final Manifests monitoring = ChartFixture.render(ChartFixture.ciCases().get("monitoring-on"));
    final Map<String, Object> monitor = monitoring.one("ServiceMonitor");
    final Map<String, Object> endpoint =
        Manifests.<Map<String, Object>>list(monitor, "spec.endpoints").get(0);
    assertThat(endpoint).containsEntry("port", "admin").containsEntry("path", "/metrics");
    assertThat(get(monitor, "metadata.labels.release")).isEqualTo("kube-prometheus-stack");
    assertThat(get(monitor, "spec.selector.matchExpressions"))
        .isEqualTo(
            List.of(
                Map.of(
                    "key", "service.genai-normalizer.dev/headless", "operator", "DoesNotExist")));
  }

  @Test
  void prometheusRuleAlertsOnQueueFillExportFailuresAndRefusedSpans() {
    final Manifests monitoring = ChartFixture.render(ChartFixture.ciCases().get("monitoring-on"));
    final Map<String, Object> group =
        Manifests.<Map<String, Object>>list(monitoring.one("PrometheusRule"), "spec.groups").get(0);
    final Map<String, String> exprs = new java.util.HashMap<>();
    for (Map<String, Object> rule : Manifests.<Map<String, Object>>list(group, "rules")) {
      exprs.put((String) rule.get("alert"), ((String) rule.get("expr")).replaceAll("\\s+", " "));
    }
    final String sel = "{namespace=\"observability\",job=\"genai-normalizer\"}";
    assertThat(exprs.get("GenaiNormalizerExporterQueueFilling"))
        .contains("otelcol_exporter_queue_size" + sel)
        .contains("/ max by (namespace, pod, exporter) (otelcol_exporter_queue_capacity" + sel)
        .endsWith("> 0.8");
    assertThat(exprs.get("GenaiNormalizerExportFailures"))
        .contains("rate(otelcol_exporter_send_failed_spans_total" + sel + "[5m])")
        .endsWith("> 0");
    assertThat(exprs.get("GenaiNormalizerEnqueueFailures"))
        .contains("rate(otelcol_exporter_enqueue_failed_spans_total" + sel + "[5m])");
    assertThat(exprs.get("GenaiNormalizerRefusedSpans"))
        .contains("rate(otelcol_receiver_refused_spans_total" + sel + "[5m])")
        .endsWith("> 0");
    assertThat(exprs.get("GenaiNormalizerRefusedRequests"))
        .contains(
            "rate(otelcol_receiver_requests_total{namespace=\"observability\",job=\"genai-normalizer\",outcome=\"refused\"}[5m])")
        .endsWith("> 0");
  }

  @Test
  void networkPolicyLimitsOtlpAndAdminToTheirPeers() {
    final Manifests np = ChartFixture.render(ChartFixture.ciCases().get("network-policy"));
    final Map<String, Object> policy = np.one("NetworkPolicy");
    assertThat(get(policy, "spec.podSelector.matchLabels"))
        .isEqualTo(get(np.workload(), "spec.selector.matchLabels"));
    assertThat(get(policy, "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
    final List<Map<String, Object>> ingress = list(policy, "spec.ingress");
    assertThat(ingress.get(0).get("ports"))
        .isEqualTo(
            List.of(
                Map.of("port", 4317, "protocol", "TCP"), Map.of("port", 4318, "protocol", "TCP")));
    assertThat(get(ingress.get(0), "from")).asString().contains("kong");
    assertThat(ingress.get(1).get("ports"))
        .isEqualTo(List.of(Map.of("port", 8888, "protocol", "TCP")));
    assertThat(get(ingress.get(1), "from")).asString().contains("monitoring");
  }

  @Test
  void schemaRejectsATypoedKey() {
    assertThatThrownBy(() -> ChartFixture.render(Map.of("autoscaling.enabeld", true)))
        .hasMessageContaining("enabeld");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("replicaCout", 2)))
        .hasMessageContaining("replicaCout");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("ports.otlp-http.servciePort", 4318)))
        .hasMessageContaining("servciePort");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("mode", "daemonset")))
        .hasMessageContaining("mode");
  }

  @Test
  void derivesTheGracePeriodFromShutdownTimeoutAndThePreStopSleep() {
    assertThat(ChartFixture.render(Map.of()).podSpec())
        .as("default shutdown_timeout 10s + 5 s")
        .containsEntry("terminationGracePeriodSeconds", 15);
    assertThat(ChartFixture.render(Map.of("config.service.shutdown_timeout", "45s")).podSpec())
        .containsEntry("terminationGracePeriodSeconds", 50);
    assertThat(ChartFixture.render(Map.of("config.service.shutdown_timeout", "2m")).podSpec())
        .containsEntry("terminationGracePeriodSeconds", 125);
    assertThat(ChartFixture.render(Map.of("config.service.shutdown_timeout", "2500ms")).podSpec())
        .as("rounded up")
        .containsEntry("terminationGracePeriodSeconds", 8);
    final Path preStop =
        ChartFixture.valuesFile(
            dir, "prestop.yaml", "lifecycleHooks: {preStop: {sleep: {seconds: 25}}}\n");
    assertThat(ChartFixture.render(preStop).podSpec())
        .as("preStop 25 s + 10 s + 5 s")
        .containsEntry("terminationGracePeriodSeconds", 40);
  }

  @Test
  void aGracePeriodThatIsSetWinsButMayNotCutTheStopShort() {
    assertThat(
            ChartFixture.render(
                    Map.of(
                        "config.service.shutdown_timeout",
                        "45s",
                        "terminationGracePeriodSeconds",
                        60))
                .podSpec())
        .containsEntry("terminationGracePeriodSeconds", 60);
    assertThat(ChartFixture.render(Map.of("terminationGracePeriodSeconds", 12)).podSpec())
        .as("10 s + 2 s is enough for the service to exit")
        .containsEntry("terminationGracePeriodSeconds", 12);
    assertThatThrownBy(
            () ->
                ChartFixture.render(
                    Map.of(
                        "config.service.shutdown_timeout",
                        "45s",
                        "terminationGracePeriodSeconds",
                        30)))
        .hasMessageContaining("terminationGracePeriodSeconds: 30 (expected: >= 47")
        .hasMessageContaining("leave it unset to derive 50");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("terminationGracePeriodSeconds", 11)))
        .hasMessageContaining("terminationGracePeriodSeconds: 11 (expected: >= 12");
    final Path preStop =
        ChartFixture.valuesFile(
            dir, "prestop.yaml", "lifecycleHooks: {preStop: {sleep: {seconds: 25}}}\n");
    assertThatThrownBy(
            () ->
                ChartFixture.template(
                    List.of(preStop), Map.of("terminationGracePeriodSeconds", 30)))
        .hasMessageContaining("expected: >= 37");
  }

  @Test
  void needsAGracePeriodWhenShutdownTimeoutIsNotAPlainDuration() {
    assertThatThrownBy(
            () ->
                ChartFixture.render(
                    Map.of("config.service.shutdown_timeout", "${env:SHUTDOWN_TIMEOUT}")))
        .hasMessageContaining(
            "terminationGracePeriodSeconds: required when config.service.shutdown_timeout is"
                + " \"${env:SHUTDOWN_TIMEOUT}\"");
    assertThat(
            ChartFixture.render(
                    Map.of(
                        "config.service.shutdown_timeout",
                        "${env:SHUTDOWN_TIMEOUT}",
                        "terminationGracePeriodSeconds",
                        90))
                .podSpec())
        .containsEntry("terminationGracePeriodSeconds", 90);
  }

  @Test
  void refusesPortsThatDoNotMatchTheConfig() {
    assertThatThrownBy(() -> ChartFixture.render(Map.of("ports.admin.containerPort", 9999)))
        .hasMessageContaining("ports.admin.containerPort: 9999 (expected: 8888");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("ports.otlp-http.containerPort", 14318)))
        .hasMessageContaining("ports.otlp-http.containerPort: 14318 (expected: 4318");
    final Manifests moved =
        ChartFixture.render(
            Map.of(
                "ports.otlp-http.containerPort",
                14318,
                "config.receivers.otlp.protocols.http.endpoint",
                "${env:MY_POD_IP}:14318"));
    assertThat(byName(list(moved.container(), "ports"), "otlp-http"))
        .containsEntry("containerPort", 14318);
  }

  /** The service's default admin endpoint is localhost:8888; the kubelet probes the pod IP. */
  @Test
  void refusesAnAdminEndpointTheProbesCannotReach() {
    for (String loopback : List.of("localhost:8888", "127.0.0.1:8888", "[::1]:8888")) {
      assertThatThrownBy(
              () ->
                  ChartFixture.render(Map.of("config.service.telemetry.admin.endpoint", loopback)))
          .as(loopback)
          .hasMessageContaining(
              "config.service.telemetry.admin.endpoint: '"
                  + loopback
                  + "' (expected: an address the probes reach, such as ${env:MY_POD_IP}:8888 or 0.0.0.0:8888");
    }
    final Path unset =
        ChartFixture.valuesFile(
            dir, "no-admin.yaml", "config: {service: {telemetry: {admin: null}}}\n");
    assertThatThrownBy(() -> ChartFixture.template(List.of(unset), Map.of()))
        .hasMessageContaining("unset, the service listens on localhost:8888 only");
    final Map<String, Object> everyAddress =
        ChartFixture.yaml()
            .load(
                ChartFixture.render(
                        Map.of("config.service.telemetry.admin.endpoint", "0.0.0.0:8888"))
                    .configText());
    assertThat(get(everyAddress, "service.telemetry.admin.endpoint")).isEqualTo("0.0.0.0:8888");
  }

  @Test
  void refusesAPdbWithBothOrNeitherBound() {
    final Path both =
        ChartFixture.valuesFile(
            dir,
            "both.yaml",
            "podDisruptionBudget: {enabled: true, minAvailable: 1, maxUnavailable: 1}\n");
    assertThatThrownBy(() -> ChartFixture.template(List.of(both), Map.of()))
        .hasMessageContaining("podDisruptionBudget: both minAvailable and maxUnavailable");
  }

  @Test
  void digestWinsOverTag() {
    final String digest = "sha256:" + "a".repeat(64);
    assertThat(
            ChartFixture.render(
                    Map.of("image.repository", "registry.example/gn", "image.digest", digest))
                .container()
                .get("image"))
        .isEqualTo("registry.example/gn@" + digest);
  }
}
