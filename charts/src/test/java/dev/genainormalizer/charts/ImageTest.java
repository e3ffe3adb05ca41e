package dev.genainormalizer.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The container image, short of building it (no Docker engine in the build): the Dockerfile and the
 * Jib profile agree, and the service runs the way the image runs it — the Dockerfile's JVM flags,
 * as UID 10001 with no capabilities, in an unwritable working directory, with only its temp and
 * data directories writable (what readOnlyRootFilesystem plus the chart's emptyDir and PVC leave
 * it).
 */
class ImageTest {
  private static final int UID = 10001;
  private static final String MAIN = "dev.genainormalizer.app.Main";

  /**
   * The service's "ready" log line, naming the ports it bound: "… http=/127.0.0.1:N …, admin on
   * /127.0.0.1:N".
   */
  private static final Pattern READY_LINE =
      Pattern.compile(
          "genai-normalizer ready: .*\\bhttp=\\S*?:(?<http>\\d+)\\b.*admin on \\S*?:(?<admin>\\d+)");

  @TempDir Path dir;

  @Test
  void dockerfileRunsTheJarAsUid10001OnAJreWithReadOnlyRootFlags() throws IOException {
    final List<String> entrypoint = dockerfileJsonArray("ENTRYPOINT");
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
        .containsExactly("-jar", "/opt/genai-normalizer/genai-normalizer.jar");
    assertThat(dockerfileJvmFlags())
        .containsExactly(
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-UsePerfData",
            "-Djava.io.tmpdir=/tmp");
    assertThat(dockerfileJsonArray("CMD")).containsExactly("run");
    final List<String> lines = dockerfileLines();
    assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).reduce((a, b) -> b))
        .hasValue("FROM eclipse-temurin:17-jre");
    assertThat(lines).contains("USER 10001:10001", "EXPOSE 4317 4318 8888");
    assertThat(lines.stream().filter(l -> l.startsWith("COPY --from=build")))
        .singleElement()
        .asString()
        .contains(
            "/src/app/target/genai-normalizer.jar /opt/genai-normalizer/genai-normalizer.jar");
  }

  @Test
  void jibProfileBuildsTheSameImageAsTheDockerfileAndIsBoundToNoPhase() throws Exception {
    final Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ChartFixture.repoDir().resolve("app/pom.xml").toFile());
    final String plugin =
        "/project/profiles/profile[id='jib']/build/plugins/plugin[artifactId='jib-maven-plugin']";
    assertThat(xpath(pom, plugin + "/configuration/from/image"))
        .containsExactly("eclipse-temurin:17-jre");
    assertThat(xpath(pom, plugin + "/configuration/container/jvmFlags/jvmFlag"))
        .containsExactlyElementsOf(dockerfileJvmFlags());
    assertThat(xpath(pom, plugin + "/configuration/container/user")).containsExactly("10001:10001");
    assertThat(xpath(pom, plugin + "/configuration/container/ports/port"))
        .containsExactly("4317", "4318", "8888");
    assertThat(xpath(pom, plugin + "/configuration/container/mainClass")).containsExactly(MAIN);
    assertThat(xpath(pom, plugin + "/configuration/container/args/arg"))
        .containsExactlyElementsOf(dockerfileJsonArray("CMD"));
    assertThat(xpath(pom, plugin + "/executions"))
        .as("a plain build must not push images")
        .isEmpty();
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void serviceBecomesReadyAsUid10001WithOnlyTmpAndDataWritable() throws Exception {
    final List<String> asUid = dropToUid();
    // Layout: everything the service reads is owned by root and read-only to it.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    final Path lib = Files.createDirectory(dir.resolve("lib"));
    final String classPath = stageClassPath(lib);
    final Path etc = Files.createDirectory(dir.resolve("etc"));
    final Path work = Files.createDirectory(dir.resolve("work"));
    final Path tmp = Files.createDirectory(dir.resolve("tmp"));
    final Path data = Files.createDirectory(dir.resolve("data"));
    final Path logs = Files.createDirectory(dir.resolve("logs"));
    for (Path writable : List.of(tmp, data)) {
      if (!asUid.isEmpty()) {
        Files.setAttribute(writable, "unix:uid", UID);
        Files.setAttribute(writable, "unix:gid", UID);
      }
      Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwx------"));
    }
    final Path config =
        Files.writeString(
            etc.resolve("config.yaml"),
            String.join(
                "\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc: { endpoint: 127.0.0.1:0 }",
                "      http: { endpoint: 127.0.0.1:0 }",
                "processors:",
                "  kong: {}",
                "  genai: {}",
                "exporters:",
                "  debug: {}",
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [kong, genai]",
                "      exporters: [debug]",
                "  telemetry:",
                "    admin: { endpoint: 127.0.0.1:0 }",
                ""));
    for (Path readOnly : List.of(lib, etc, work)) {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    // The sandbox must actually deny writes, or the test proves nothing.
    assertThat(run(asUid, work, List.of("touch", work.resolve("probe").toString())))
        .as("write to work/")
        .isNotZero();
    assertThat(run(asUid, work, List.of("touch", data.resolve("probe").toString())))
        .as("write to data/")
        .isZero();
    Files.delete(data.resolve("probe"));

    final List<String> command = new ArrayList<>(asUid);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : dockerfileJvmFlags()) {
      command.add(flag.equals("-Djava.io.tmpdir=/tmp") ? "-Djava.io.tmpdir=" + tmp : flag);
    }
    command.addAll(List.of("-cp", classPath, MAIN, "run", "--config", config.toString()));
    final ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectOutput(logs.resolve("stdout.txt").toFile())
            .redirectError(logs.resolve("stderr.txt").toFile());
    builder.environment().put("HOME", "/nonexistent");
    final Process process = builder.start();
    try {
      final HttpClient client =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      // Every port is the kernel's choice (a port picked beforehand could be taken by another build
      // before the service binds it); the ready line names them.
      final Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      Matcher ready = READY_LINE.matcher(read(logs.resolve("stderr.txt")));
      while (!ready.find()) {
        assertThat(process.isAlive())
            .as("service alive; stderr:\n%s", read(logs.resolve("stderr.txt")))
            .isTrue();
        assertThat(Instant.now())
            .as("ready in time; stderr:\n%s", read(logs.resolve("stderr.txt")))
            .isBefore(deadline);
        process.waitFor(200, TimeUnit.MILLISECONDS);
        ready = READY_LINE.matcher(read(logs.resolve("stderr.txt")));
      }
      final int http = Integer.parseInt(ready.group("http"));
      final int admin = Integer.parseInt(ready.group("admin"));
      assertThat(
              status(
                  client,
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/readyz"))))
          .isEqualTo(200);
      assertThat(
              status(
                  client,
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/healthz"))))
          .isEqualTo(200);
      if (!asUid.isEmpty()) {
        assertThat(Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")))
            .as("the service process's identity")
            .anyMatch(l -> l.matches("Uid:\\s+" + UID + "\\s+" + UID + "\\s+" + UID + "\\s+" + UID))
            .anyMatch(l -> l.matches("CapEff:\\s+0+"));
      }
      // A span through receiver, processors and the debug exporter, still without a writable root.
      final String span =
          "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
              + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"client\",\"kind\":3,"
              + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000001000000000\"}]}]}]}";
      assertThat(
              status(
                  client,
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/traces"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(span))))
          .isEqualTo(200);
    } finally {
      process.destroy(); // SIGTERM, as the kubelet sends
      final boolean exited = process.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      assertThat(exited).as("exited after SIGTERM").isTrue();
    }
    assertThat(process.exitValue())
        .as("exit code; stderr:\n%s", read(logs.resolve("stderr.txt")))
        .isZero();
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left).as("files written to the working directory").isEmpty();
    }
  }

  /**
   * The prefix that runs a command as UID/GID 10001 with no capabilities and no privilege
   * escalation; empty when the test already runs as a non-root user (then permissions bind as is).
   */
  private static List<String> dropToUid() throws IOException {
    final int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (uid != 0) {
      return List.of();
    }
    final Path setpriv =
        Stream.of("/usr/bin/setpriv", "/bin/setpriv")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    assumeTrue(
        setpriv != null,
        "running as root without setpriv: root ignores file permissions, so this check would prove nothing");
    return List.of(
        setpriv.toString(),
        "--reuid=" + UID,
        "--regid=" + UID,
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs");
  }

  /**
   * Puts the test class path where UID 10001 can read it (the local Maven repository sits under
   * /root): jars are hard-linked (copied across file systems), directories copied.
   */
  private static String stageClassPath(Path lib) throws IOException {
    final String surefire = System.getProperty("surefire.test.class.path");
    final String classPath =
        surefire != null && !surefire.isEmpty() ? surefire : System.getProperty("java.class.path");
    final List<String> staged = new ArrayList<>();
    int i = 0;
    for (String entry : classPath.split(File.pathSeparator)) {
      final Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      final Path target = lib.resolve(i++ + "-" + source.getFileName());
      if (Files.isDirectory(source)) {
        try (Stream<Path> tree = Files.walk(source)) {
          for (Path p : (Iterable<Path>) tree::iterator) {
            final Path t = target.resolve(source.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(t);
            } else {
              Files.copy(p, t);
            }
          }
        }
      } else {
        try {
          Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(source, target);
        }
      }
      staged.add(target.toString());
    }
    try (Stream<Path> tree = Files.walk(lib)) {
      for (Path p : (Iterable<Path>) tree::iterator) {
        if (Files.isDirectory(p)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (Files.isWritable(p)
            && !Files.isSymbolicLink(p)
            && Files.getAttribute(p, "unix:nlink").equals(1)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    return String.join(File.pathSeparator, staged);
  }

  private static int run(List<String> prefix, Path workDir, List<String> command) throws Exception {
    final List<String> all = new ArrayList<>(prefix);
    all.addAll(command);
    final Process p =
        new ProcessBuilder(all).directory(workDir.toFile()).redirectErrorStream(true).start();
    try (InputStream out = p.getInputStream()) {
      out.readAllBytes();
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private static int status(HttpClient client, HttpRequest.Builder request)
      throws InterruptedException {
    try {
      return client
          .send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException notYet) {
      return -1;
    }
  }

  /** The JVM flags of the Dockerfile's ENTRYPOINT: everything between "java" and "-jar". */
  static List<String> dockerfileJvmFlags() throws IOException {
    final List<String> entrypoint = dockerfileJsonArray("ENTRYPOINT");
    return entrypoint.subList(1, entrypoint.indexOf("-jar"));
  }

  private static List<String> dockerfileJsonArray(String instruction) throws IOException {
    final List<String> found =
        dockerfileLines().stream().filter(l -> l.startsWith(instruction + " ")).toList();
    assertThat(found).as("%s lines in the Dockerfile", instruction).hasSize(1);
    final Object parsed =
        ChartFixture.yaml().load(found.get(0).substring(instruction.length() + 1));
    assertThat(parsed).as("%s in exec (JSON array) form", instruction).isInstanceOf(List.class);
    @SuppressWarnings("unchecked")
    final List<String> list = (List<String>) parsed;
    return list;
  }

  private static List<String> dockerfileLines() throws IOException {
    return Files.readAllLines(ChartFixture.repoDir().resolve("Dockerfile")).stream()
        .map(String::strip)
        .toList();
  }

  private static List<String> xpath(Document doc, String expression) throws Exception {
    final NodeList nodes =
        (NodeList)
            XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.NODESET);
    final List<String> values = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      values.add(nodes.item(i).getTextContent().strip());
    }
    return values;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
