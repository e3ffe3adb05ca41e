package dev.genainormalizer.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genainormalizer.config.HostPort;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.GrpcConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.HttpConfig;
import dev.genainormalizer.receiver.otlp.OtlpReceiverConfig.Protocols;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The config record, its defaults and its rules. The YAML loader lives elsewhere; these tests build
 * records by hand and check that testdata/config.yaml only uses keys the records have.
 */
class OtlpReceiverConfigTest {

  /** What testdata/config.yaml must bind to. */
  static final OtlpReceiverConfig CONFIG_YAML =
      new OtlpReceiverConfig(
          new Protocols(
              new GrpcConfig(true, "127.0.0.1:14317", 32),
              new HttpConfig(false, "[::1]:14318", "/kong/v1/traces", 32L * 1024 * 1024)));

  @Test
  void defaultsAreTheCollectorsPortsWithBothProtocolsOn() {
    final OtlpReceiverConfig d = new OtlpReceiverFactory().defaultConfig();
    assertThat(d).isEqualTo(OtlpReceiverConfig.defaults());
    assertThat(d.protocols().grpc()).isEqualTo(new GrpcConfig(true, "0.0.0.0:4317", 16));
    assertThat(d.protocols().http())
        .isEqualTo(new HttpConfig(true, "0.0.0.0:4318", "/v1/traces", 16_777_216L));
    assertThat(d.protocols().grpc().maxRecvMsgSizeBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(allErrors(d)).isEmpty();
  }

  @Test
  void nullBlocksAndStringsBecomeDefaults() {
    assertThat(new OtlpReceiverConfig(null)).isEqualTo(OtlpReceiverConfig.defaults());
    assertThat(new Protocols(null, null)).isEqualTo(Protocols.defaults());
    assertThat(new GrpcConfig(true, null, 16).endpoint()).isEqualTo("0.0.0.0:4317");
    final HttpConfig http = new HttpConfig(true, null, null, 1);
    assertThat(http.endpoint()).isEqualTo("0.0.0.0:4318");
    assertThat(http.tracesUrlPath()).isEqualTo("/v1/traces");
  }

  @Test
  void configYamlValuesAreValid() {
    assertThat(allErrors(CONFIG_YAML)).isEmpty();
  }

  @Test
  void configYamlUsesOnlyKeysTheRecordsHave() throws Exception {
    for (String file :
        List.of("config.yaml", "default.yaml", "bad_no_protocol.yaml", "bad_endpoint.yaml")) {
      try (InputStream in = getClass().getResourceAsStream("testdata/" + file)) {
        assertThat(in).as(file).isNotNull();
        final Object tree = new Yaml().load(in);
        assertKeysBind(file, tree, OtlpReceiverConfig.class);
      }
    }
  }

  @Test
  void bothProtocolsDisabledIsAnError() {
    final OtlpReceiverConfig c =
        new OtlpReceiverConfig(
            new Protocols(
                new GrpcConfig(false, "0.0.0.0:4317", 16),
                new HttpConfig(false, "0.0.0.0:4318", "/v1/traces", 1024)));
    assertThat(c.validate())
        .containsExactly(
            "protocols: grpc and http are both disabled (expected: at least one with enabled:"
                + " true)");
  }

  @Test
  void oneProtocolDisabledIsFine() {
    final OtlpReceiverConfig c =
        new OtlpReceiverConfig(
            new Protocols(new GrpcConfig(false, "0.0.0.0:4317", 16), HttpConfig.defaults()));
    assertThat(allErrors(c)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0:4317",
        "localhost:0",
        "127.0.0.1:65535",
        "[::1]:4317",
        "[::]:4318",
        "my-pod.ns.svc:1"
      })
  void goodEndpoints(String endpoint) {
    assertThat(new GrpcConfig(true, endpoint, 16).validate()).isEmpty();
    assertThat(new HttpConfig(true, endpoint, "/v1/traces", 1).validate()).isEmpty();
    assertThat(HostPort.parse(endpoint)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "4317",
        ":4317",
        "localhost:",
        "host:65536",
        "host:-1",
        "host:43x7",
        "::1:4317",
        "ho st:1",
        "host:123456"
      })
  void badEndpoints(String endpoint) {
    assertThat(new GrpcConfig(true, endpoint, 16).validate())
        .containsExactly("endpoint: '" + endpoint + "' (expected: host:port with port 0-65535)");
    assertThat(new HttpConfig(true, endpoint, "/v1/traces", 1).validate())
        .containsExactly("endpoint: '" + endpoint + "' (expected: host:port with port 0-65535)");
  }

  @Test
  void hostPortKeepsIpv6Readable() {
    final HostPort hp = HostPort.parse("[::1]:4317").orElseThrow();
    assertThat(hp.host()).isEqualTo("::1");
    assertThat(hp.port()).isEqualTo(4317);
    assertThat(hp.toString()).isEqualTo("[::1]:4317");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 2048})
  void badMessageSizes(int mib) {
    assertThat(new GrpcConfig(true, "0.0.0.0:4317", mib).validate())
        .containsExactly("max_recv_msg_size_mib: " + mib + " (expected: > 0 and <= 2047)");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -5, 4_294_967_296L})
  void badBodySizes(long bytes) {
    assertThat(new HttpConfig(true, "0.0.0.0:4318", "/v1/traces", bytes).validate())
        .singleElement()
        .asString()
        .startsWith("max_request_body_size: " + bytes + " (expected: > 0 and <= ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v1/traces", "/v1/traces?x=1", "/v1 /traces", "/v1/traces#top"})
  void badPaths(String path) {
    assertThat(new HttpConfig(true, "0.0.0.0:4318", path, 1).validate())
        .singleElement()
        .asString()
        .startsWith(
            "traces_url_path: '" + path + "' (expected: an absolute path starting with '/'");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThat(new HttpConfig(true, "nope", "nope", 0).validate()).hasSize(3);
  }

  /** What the loader's validator does: this record's rules plus each nested block's, prefixed. */
  private static List<String> allErrors(OtlpReceiverConfig c) {
    final List<String> out = new ArrayList<>(c.validate());
    c.protocols().grpc().validate().forEach(m -> out.add("protocols.grpc." + m));
    c.protocols().http().validate().forEach(m -> out.add("protocols.http." + m));
    return out;
  }

  private static void assertKeysBind(String where, Object node, Class<?> type) {
    if (!(node instanceof Map<?, ?> map)) {
      return;
    }
    assertThat(type.isRecord())
        .as(where + ": a block where " + type.getSimpleName() + " is a value")
        .isTrue();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      final String key = String.valueOf(e.getKey());
      RecordComponent match = null;
      for (RecordComponent rc : type.getRecordComponents()) {
        if (snakeCase(rc.getName()).equals(key)) {
          match = rc;
        }
      }
      assertThat(match)
          .as(where + ": unknown key '" + key + "' in " + type.getSimpleName())
          .isNotNull();
      assertKeysBind(where + "." + key, e.getValue(), match.getType());
    }
  }

  private static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
