package dev.genainormalizer.charts;

import static dev.genainormalizer.charts.Manifests.get;
import static dev.genainormalizer.charts.Manifests.list;

import dev.genainormalizer.config.ComponentRegistry;
import dev.genainormalizer.config.ConfigException;
import dev.genainormalizer.config.ConfigLoader;
import dev.genainormalizer.config.NormalizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rendered pod's config loaded as the pod would see it: environment from the container's env
 * (literal values, and a stand-in for every Secret key it maps), and each Secret/ConfigMap volume
 * item written as a file under a temporary root, so a config path that names no mounted file fails
 * the loader's "readable file" check exactly as it would in the pod.
 */
final class PodFiles {
  private PodFiles() {}

  /** What a Secret key maps to in these tests: non-empty, no spaces, so it is a valid token. */
  static String secretValue(String secret, String key) {
    return "from-" + secret + "-" + key;
  }

  static NormalizerConfig load(
      Map<String, Object> podSpec,
      Map<String, Object> container,
      String configText,
      Map<String, String> envFromSecrets,
      Path root,
      String source)
      throws ConfigException {
    final Map<String, String> env = new HashMap<>(envFromSecrets);
    for (Map<String, Object> entry : Manifests.<Map<String, Object>>list(container, "env")) {
      if (entry.get("value") instanceof String value) {
        env.put((String) entry.get("name"), value);
      } else if (get(entry, "valueFrom.secretKeyRef") instanceof Map<?, ?> ref) {
        env.put(
            (String) entry.get("name"),
            secretValue((String) ref.get("name"), (String) ref.get("key")));
      }
    }
    env.put("MY_POD_IP", "127.0.0.1");
    String text = configText;
    final List<Map<String, Object>> volumes = list(podSpec, "volumes");
    for (Map<String, Object> mount :
        Manifests.<Map<String, Object>>list(container, "volumeMounts")) {
      // A mount without a pod volume is a StatefulSet's claim (volumeClaimTemplates).
      final Map<String, Object> volume =
          volumes.stream()
              .filter(v -> mount.get("name").equals(v.get("name")))
              .findFirst()
              .orElse(Map.of());
      Object items = get(volume, "secret.items");
      if (items == null) {
        items = get(volume, "configMap.items");
      }
      if (!(items instanceof List<?> itemList)) {
        continue;
      }
      final String mountPath = (String) mount.get("mountPath");
      if ("config".equals(mount.get("name"))) {
        continue; // the config file itself
      }
      final Path dir = root.resolve(mountPath.substring(1));
      try {
        Files.createDirectories(dir);
        for (Object item : itemList) {
          final String path = (String) ((Map<?, ?>) item).get("path");
          Files.writeString(
              dir.resolve(path),
              "-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      text = text.replace(mountPath + "/", dir + "/");
    }
    return new ConfigLoader(ComponentRegistry.loadInstalled()).load(text, source, env);
  }
}
