package dev.genainormalizer.charts;

import static dev.genainormalizer.charts.Manifests.byName;
import static dev.genainormalizer.charts.Manifests.get;
import static dev.genainormalizer.charts.Manifests.list;
import static dev.genainormalizer.charts.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genainormalizer.config.AuthConfig;
import dev.genainormalizer.config.ComponentId;
import dev.genainormalizer.config.NormalizerConfig;
import dev.genainormalizer.config.Secret;
import dev.genainormalizer.config.TlsServerConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** receiverTls, receiverAuth and exporterCa: mounts, env and the otlp receiver's config blocks. */
class TlsAndAuthChartTest {
  private static final String DIR = "/etc/genai-normalizer-tls";
  private static final String TLS_SECRET = "gn-receiver-tls";
  private static final String AUTH_SECRET = "gn-receiver-auth";

  @TempDir Path dir;

  @Test
  void offByDefaultAndDisabledBlocksLeaveTheOutputUnchanged() {
    final String defaults = ChartFixture.template(List.of(), Map.of());
    final Map<String, Object> disabled = new LinkedHashMap<>();
    disabled.put("receiverTls.secretName", TLS_SECRET);
    disabled.put("receiverTls.clientCaSecretName", "clients-ca");
    disabled.put("receiverAuth.secretName", AUTH_SECRET);
    disabled.put("receiverAuth.basic.enabled", true);
    disabled.put("exporterCa.secretName", "internal-ca");
    assertThat(ChartFixture.template(List.of(), disabled)).isEqualTo(defaults);
    assertThat(defaults)
        .doesNotContain(DIR, "OTLP_RECEIVER_", "appProtocol: https", "tls:", "auth:");
  }

  @Test
  void receiverTlsMountsTheSecretAndPointsTheOtlpReceiverAtIt() throws Exception {
    final Manifests m =
        ChartFixture.render(
            Map.of("receiverTls.enabled", true, "receiverTls.secretName", TLS_SECRET));
    final Map<String, Object> volume = byName(list(m.podSpec(), "volumes"), "receiver-tls");
    assertThat(get(volume, "secret.secretName")).isEqualTo(TLS_SECRET);
    assertThat(get(volume, "secret.items"))
        .isEqualTo(
            List.of(
                Map.of("key", "tls.crt", "path", "tls.crt"),
                Map.of("key", "tls.key", "path", "tls.key")));
    assertThat(byName(list(m.container(), "volumeMounts"), "receiver-tls"))
        .containsEntry("mountPath", DIR + "/receiver")
        .containsEntry("readOnly", true);
    assertThat(list(m.podSpec(), "volumes"))
        .noneMatch(v -> "receiver-client-ca".equals(((Map<?, ?>) v).get("name")));

    final Map<String, Object> config = ChartFixture.yaml().load(m.configText());
    assertThat(get(config, "receivers.otlp.tls"))
        .isEqualTo(
            Map.of("cert_file", DIR + "/receiver/tls.crt", "key_file", DIR + "/receiver/tls.key"));
    assertThat(get(config, "receivers.otlp.protocols.http.endpoint"))
        .isEqualTo("${env:MY_POD_IP}:4318");
    assertThat(map(config, "receivers.otlp")).doesNotContainKey("auth");

    final NormalizerConfig loaded = load(m);
    final TlsServerConfig tls = receiverTls(loaded);
    assertThat(tls.enabled()).isTrue();
    assertThat(tls.mutual()).isFalse();
    assertThat(tls.certFile()).endsWith(DIR + "/receiver/tls.crt");
  }

  @Test
  void receiverTlsKeepsTheAdminPortAndProbesOnPlainHttpAndMarksTheOtlpPortsHttps() {
    final Manifests m =
        ChartFixture.render(
            Map.of("receiverTls.enabled", true, "receiverTls.secretName", TLS_SECRET));
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(map(m.container(), probe + ".httpGet"))
          .containsEntry("port", 8888)
          .doesNotContainKey("scheme");
    }
    final List<Map<String, Object>> ports = list(m.one("Service"), "spec.ports");
    assertThat(byName(ports, "otlp-grpc"))
        .containsEntry("appProtocol", "https")
        .containsEntry("port", 4317);
    assertThat(byName(ports, "otlp-http"))
        .containsEntry("appProtocol", "https")
        .containsEntry("port", 4318);
    assertThat(byName(ports, "admin")).containsEntry("appProtocol", "http");
    assertThat(
            Manifests.<Map<String, Object>>list(m.container(), "ports").stream()
                .map(p -> p.get("containerPort")))
        .containsExactlyInAnyOrder(4317, 4318, 8888);

    final Manifests custom =
        ChartFixture.render(
            Map.of(
                "receiverTls.enabled",
                true,
                "receiverTls.secretName",
                TLS_SECRET,
                "ports.otlp-grpc.appProtocol",
                "kubernetes.io/h2c"));
    assertThat(byName(list(custom.one("Service"), "spec.ports"), "otlp-grpc"))
        .as("an appProtocol the user chose is kept")
        .containsEntry("appProtocol", "kubernetes.io/h2c");
  }

  @Test
  void mutualTlsMountsTheClientCaUnderAFixedName() throws Exception {
    final Manifests m =
        ChartFixture.render(
            Map.of(
                "receiverTls.enabled",
                true,
                "receiverTls.secretName",
                TLS_SECRET,
                "receiverTls.clientCaSecretName",
                "kong-clients-ca",
                "receiverTls.clientCaKey",
                "bundle.pem"));
    final Map<String, Object> volume = byName(list(m.podSpec(), "volumes"), "receiver-client-ca");
    assertThat(get(volume, "secret.secretName")).isEqualTo("kong-clients-ca");
    assertThat(get(volume, "secret.items"))
        .isEqualTo(List.of(Map.of("key", "bundle.pem", "path", "ca.crt")));
    assertThat(byName(list(m.container(), "volumeMounts"), "receiver-client-ca"))
        .containsEntry("mountPath", DIR + "/client-ca")
        .containsEntry("readOnly", true);
    final Map<String, Object> config = ChartFixture.yaml().load(m.configText());
    assertThat(get(config, "receivers.otlp.tls.client_ca_file"))
        .isEqualTo(DIR + "/client-ca/ca.crt");
    assertThat(receiverTls(load(m)).mutual()).isTrue();
  }

  @Test
  void receiverAuthMapsSecretKeysToEnvAndTheConfigOnlyReferencesThem() throws Exception {
    final Manifests m =
        ChartFixture.template(
                List.of(
                    ChartFixture.valuesFile(
                        dir,
                        "auth.yaml",
                        """
                        receiverAuth:
                          enabled: true
                          secretName: gn-receiver-auth
                          bearerTokenKeys: [token, token-next]
                          basic: {enabled: true, usernameKey: user, passwordKey: pass}
                        """)),
                Map.of())
            .transform(Manifests::parse);
    final List<Map<String, Object>> env = list(m.container(), "env");
    assertThat(secretRef(env, "OTLP_RECEIVER_BEARER_TOKEN_0"))
        .isEqualTo(Map.of("name", AUTH_SECRET, "key", "token"));
    assertThat(secretRef(env, "OTLP_RECEIVER_BEARER_TOKEN_1"))
        .isEqualTo(Map.of("name", AUTH_SECRET, "key", "token-next"));
    assertThat(secretRef(env, "OTLP_RECEIVER_BASIC_USERNAME"))
        .isEqualTo(Map.of("name", AUTH_SECRET, "key", "user"));
    assertThat(secretRef(env, "OTLP_RECEIVER_BASIC_PASSWORD"))
        .isEqualTo(Map.of("name", AUTH_SECRET, "key", "pass"));
    assertThat(env)
        .filteredOn(e -> String.valueOf(e.get("name")).startsWith("OTLP_RECEIVER_"))
        .allSatisfy(e -> assertThat(e).doesNotContainKey("value"));

    final Map<String, Object> config = ChartFixture.yaml().load(m.configText());
    assertThat(get(config, "receivers.otlp.auth"))
        .isEqualTo(
            Map.of(
                "bearer_tokens",
                List.of(
                    "${env:OTLP_RECEIVER_BEARER_TOKEN_0}", "${env:OTLP_RECEIVER_BEARER_TOKEN_1}"),
                "basic",
                Map.of(
                    "username",
                    "${env:OTLP_RECEIVER_BASIC_USERNAME}",
                    "password",
                    "${env:OTLP_RECEIVER_BASIC_PASSWORD}")));
    assertThat(map(config, "receivers.otlp")).doesNotContainKey("tls");
    assertThat(list(m.podSpec(), "volumes")).hasSize(2); // config and tmp only

    final NormalizerConfig loaded = load(m);
    final AuthConfig authConfig = otlp(loaded).auth();
    assertThat(authConfig.bearerTokens().stream().map(Secret::value))
        .containsExactly(
            PodFiles.secretValue(AUTH_SECRET, "token"),
            PodFiles.secretValue(AUTH_SECRET, "token-next"));
    assertThat(authConfig.basic().username()).isEqualTo(PodFiles.secretValue(AUTH_SECRET, "user"));
  }

  @Test
  void receiverAuthDefaultsToOneBearerTokenUnderKeyToken() {
    final Manifests m =
        ChartFixture.render(
            Map.of("receiverAuth.enabled", true, "receiverAuth.secretName", AUTH_SECRET));
    final List<Map<String, Object>> env = list(m.container(), "env");
    assertThat(secretRef(env, "OTLP_RECEIVER_BEARER_TOKEN_0"))
        .isEqualTo(Map.of("name", AUTH_SECRET, "key", "token"));
    assertThat(env).noneMatch(e -> String.valueOf(e.get("name")).startsWith("OTLP_RECEIVER_BASIC"));
    final Map<String, Object> config = ChartFixture.yaml().load(m.configText());
    assertThat(get(config, "receivers.otlp.auth"))
        .isEqualTo(Map.of("bearer_tokens", List.of("${env:OTLP_RECEIVER_BEARER_TOKEN_0}")));
  }

  @Test
  void exporterCaMountsASecretOrAConfigMapAtTheDocumentedPath() {
    final Manifests fromSecret =
        ChartFixture.render(
            Map.of("exporterCa.enabled", true, "exporterCa.secretName", "internal-ca"));
    final Map<String, Object> secretVolume =
        byName(list(fromSecret.podSpec(), "volumes"), "exporter-ca");
    assertThat(secretVolume)
        .isEqualTo(
            Map.of(
                "name",
                "exporter-ca",
                "secret",
                Map.of(
                    "secretName",
                    "internal-ca",
                    "items",
                    List.of(Map.of("key", "ca.crt", "path", "ca.crt")))));
    assertThat(byName(list(fromSecret.container(), "volumeMounts"), "exporter-ca"))
        .isEqualTo(
            Map.of("name", "exporter-ca", "mountPath", DIR + "/exporter-ca", "readOnly", true));
    assertThat(fromSecret.configText()).isEqualTo(ChartFixture.render((Path) null).configText());

    final Manifests fromConfigMap =
        ChartFixture.render(
            Map.of(
                "exporterCa.enabled",
                true,
                "exporterCa.configMapName",
                "trust-bundle",
                "exporterCa.key",
                "trust-bundle.pem"));
    assertThat(byName(list(fromConfigMap.podSpec(), "volumes"), "exporter-ca"))
        .isEqualTo(
            Map.of(
                "name",
                "exporter-ca",
                "configMap",
                Map.of(
                    "name",
                    "trust-bundle",
                    "items",
                    List.of(Map.of("key", "trust-bundle.pem", "path", "ca.crt")))));
  }

  @Test
  void theCiCaseLoadsWithEveryFileItNamesMounted() throws Exception {
    final Manifests m = ChartFixture.render(ChartFixture.ciCases().get("tls-auth"));
    final NormalizerConfig loaded = load(m);
    assertThat(receiverTls(loaded).mutual()).isTrue();
    assertThat(loaded.exporters()).containsKey(ComponentId.parse("otlphttp/internal"));
    assertThat(m.configText()).contains("ca_file: " + DIR + "/exporter-ca/ca.crt");
    assertThat(volumeNames(m.podSpec()))
        .containsExactly("config", "tmp", "receiver-tls", "receiver-client-ca", "exporter-ca");
  }

  @Test
  void aConfigPathThatNoVolumeProvidesFailsToLoad() {
    final Manifests m =
        ChartFixture.render(
            Map.of(
                "receiverTls.enabled",
                true,
                "receiverTls.secretName",
                TLS_SECRET,
                "config.exporters.otlphttp/x.endpoint",
                "https://x.example",
                "config.exporters.otlphttp/x.tls.ca_file",
                DIR + "/exporter-ca/ca.crt"));
    assertThatThrownBy(() -> load(m))
        .hasMessageContaining("ca_file")
        .hasMessageContaining("readable PEM file");
  }

  @Test
  void inTwoTierModeTheRouterTakesTlsAndAuthAndTheNormalizerTierTheExporterCa() throws Exception {
    final Map<String, Object> sets = new LinkedHashMap<>();
    sets.put("twoTier.enabled", true);
    sets.put("receiverTls.enabled", true);
    sets.put("receiverTls.secretName", TLS_SECRET);
    sets.put("receiverAuth.enabled", true);
    sets.put("receiverAuth.secretName", AUTH_SECRET);
    sets.put("exporterCa.enabled", true);
    sets.put("exporterCa.secretName", "internal-ca");
    final Manifests m = ChartFixture.render(sets);
    final String routerName = ChartFixture.RELEASE + "-router";
    final Map<String, Object> router = m.named("Deployment", routerName);
    final Map<String, Object> routerPod = map(router, "spec.template.spec");
    final Map<String, Object> routerContainer =
        Manifests.<Map<String, Object>>list(routerPod, "containers").get(0);
    assertThat(volumeNames(routerPod)).containsExactly("config", "tmp", "receiver-tls");
    assertThat(secretRef(list(routerContainer, "env"), "OTLP_RECEIVER_BEARER_TOKEN_0"))
        .containsEntry("name", AUTH_SECRET);
    final String routerConfig =
        (String) get(m.named("ConfigMap", routerName), "data.[config.yaml]");
    final NormalizerConfig loadedRouter =
        PodFiles.load(
            routerPod, routerContainer, routerConfig, Map.of(), dir.resolve("router"), "router");
    assertThat(receiverTls(loadedRouter).enabled()).isTrue();
    assertThat(byName(list(m.named("Service", routerName), "spec.ports"), "otlp-http"))
        .containsEntry("appProtocol", "https");

    // The normalizer tier behind the router stays plaintext without auth (the router's
    // loadbalancing exporter reaches it so), and gets the exporter CA.
    assertThat(volumeNames(m.podSpec())).containsExactly("config", "tmp", "exporter-ca");
    assertThat(Manifests.<Map<String, Object>>list(m.container(), "env"))
        .noneMatch(e -> String.valueOf(e.get("name")).startsWith("OTLP_RECEIVER_"));
    assertThat(m.configText()).doesNotContain("tls:", "auth:");
    assertThat(byName(list(m.named("Service", ChartFixture.RELEASE), "spec.ports"), "otlp-http"))
        .containsEntry("appProtocol", "http");
  }

  @Test
  void refusesIncompleteOrConflictingValues() {
    assertThatThrownBy(() -> ChartFixture.render(Map.of("receiverTls.enabled", true)))
        .hasMessageContaining("receiverTls.secretName: required when receiverTls.enabled is true");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("receiverAuth.enabled", true)))
        .hasMessageContaining(
            "receiverAuth.secretName: required when receiverAuth.enabled is true");
    final Path noCredential =
        ChartFixture.valuesFile(
            dir,
            "none.yaml",
            "receiverAuth: {enabled: true, secretName: x, bearerTokenKeys: []}\n");
    assertThatThrownBy(() -> ChartFixture.template(List.of(noCredential), Map.of()))
        .hasMessageContaining(
            "receiverAuth: enabled, but bearerTokenKeys is empty and basic.enabled is false");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("exporterCa.enabled", true)))
        .hasMessageContaining(
            "exporterCa: enabled, but neither secretName nor configMapName is set");
    assertThatThrownBy(
            () ->
                ChartFixture.render(
                    Map.of(
                        "exporterCa.enabled",
                        true,
                        "exporterCa.secretName",
                        "a",
                        "exporterCa.configMapName",
                        "b")))
        .hasMessageContaining("exporterCa: both secretName and configMapName are set");
    assertThatThrownBy(
            () ->
                ChartFixture.render(
                    Map.of(
                        "receiverTls.enabled",
                        true,
                        "receiverTls.secretName",
                        TLS_SECRET,
                        "config.receivers.otlp.tls.cert_file",
                        "/x.crt")))
        .hasMessageContaining("config.receivers.otlp.tls: set while receiverTls.enabled is true");
    assertThatThrownBy(
            () ->
                ChartFixture.render(
                    Map.of(
                        "receiverAuth.enabled",
                        true,
                        "receiverAuth.secretName",
                        AUTH_SECRET,
                        "config.receivers.otlp.auth.bearer_tokens[0]",
                        "literal")))
        .hasMessageContaining("config.receivers.otlp.auth: set while receiverAuth.enabled is true");
    final Path noOtlp =
        ChartFixture.valuesFile(dir, "no-otlp.yaml", "config: {receivers: {otlp: null}}\n");
    assertThatThrownBy(
            () ->
                ChartFixture.template(
                    List.of(noOtlp),
                    Map.of("receiverTls.enabled", true, "receiverTls.secretName", "s")))
        .hasMessageContaining("receiverTls.enabled: true needs config.receivers.otlp");
  }

  @Test
  void schemaRejectsMisspeltKeysAndBadNames() {
    assertThatThrownBy(() -> ChartFixture.render(Map.of("receiverTls.secretname", "x")))
        .hasMessageContaining("secretname");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("receiverAuth.basic.passwordkey", "x")))
        .hasMessageContaining("passwordkey");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("exporterCa.secretName", "Not_A_Name")))
        .hasMessageContaining("secretName");
    assertThatThrownBy(() -> ChartFixture.render(Map.of("receiverTls.enabled", "yes")))
        .hasMessageContaining("enabled");
  }

  private NormalizerConfig load(Manifests m) throws Exception {
    return PodFiles.load(m.podSpec(), m.container(), m.configText(), Map.of(), dir, "rendered");
  }

  private static TlsServerConfig receiverTls(NormalizerConfig config) {
    return otlp(config).tls();
  }

  private static OtlpReceiverConfig otlp(NormalizerConfig config) {
    return (OtlpReceiverConfig) config.receivers().get(ComponentId.of("otlp"));
  }

  private static List<String> volumeNames(Map<String, Object> podSpec) {
    return Manifests.<Map<String, Object>>list(podSpec, "volumes").stream()
        .map(v -> (String) v.get("name"))
        .toList();
  }

  private static Map<String, Object> secretRef(List<Map<String, Object>> env, String name) {
    return map(byName(env, name), "valueFrom.secretKeyRef");
  }
}
