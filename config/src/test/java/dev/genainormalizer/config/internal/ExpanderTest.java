package dev.genainormalizer.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpanderTest {
  private static final Map<String, String> ENV =
      Map.of("HOST", "example.com", "PORT", "4318", "EMPTY", "");

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "${env:HOST}|example.com",
        "http://${env:HOST}:${env:PORT}/v1|http://example.com:4318/v1",
        "${env:MISSING:-fallback}|fallback",
        "${env:EMPTY:-fallback}|fallback",
        "${env:HOST:-fallback}|example.com",
        "${env:MISSING:-}|''",
        "${env:MISSING:-a:-b}|a:-b",
        "$${env:HOST}|${env:HOST}",
        "$$|$",
        "cost $5|cost $5",
        "a$|a$",
        "$$$${env:HOST}|$${env:HOST}",
        "$$${env:HOST}|$example.com",
        "plain|plain"
      })
  void expands(String text, String expected) {
    final Expander.Result result = new Expander(ENV, null).expand(text);
    assertThat(result.errors()).isEmpty();
    assertThat(result.value()).isEqualTo(expected);
  }

  @Test
  void emptyVariableWithoutDefaultIsEmpty() {
    assertThat(new Expander(ENV, null).expand("x${env:EMPTY}y").value()).isEqualTo("xy");
  }

  @Test
  void reportsEveryProblemInAValue() {
    final Expander.Result result =
        new Expander(ENV, null).expand("${env:NOPE}/${env:1BAD}/${FOO}/${file:}/${env:HOST");
    assertThat(result.ok()).isFalse();
    assertThat(result.errors())
        .containsExactly(
            "environment variable 'NOPE' is not set (set it, or give a default:"
                + " ${env:NOPE:-default})",
            "invalid environment variable name '1BAD' in ${env:1BAD} (expected: letters, digits and"
                + " '_', not starting with a digit)",
            "unknown reference '${FOO}' (expected: ${env:NAME}, ${env:NAME:-default} or"
                + " ${file:path}; write $$ for a literal $)",
            "empty path in ${file:} (expected: ${file:path})",
            "unterminated '${' at position 40 (expected: '}'; write $$ for a literal $)");
  }

  @Test
  void readsFilesRelativeToBaseDirAndTrimsOneNewline(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("token"), "abc\n\n");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/key"), "k\r\n");
    final Expander expander = new Expander(Map.of(), dir);

    assertThat(expander.expand("${file:token}").value()).isEqualTo("abc\n");
    assertThat(expander.expand("Bearer ${file:sub/key}").value()).isEqualTo("Bearer k");
    assertThat(expander.expand("${file:" + dir.resolve("token") + "}").value()).isEqualTo("abc\n");
  }

  @Test
  void missingFileNamesThePathButNeverContent(@TempDir Path dir) {
    final Expander.Result result = new Expander(Map.of(), dir).expand("${file:absent}");
    assertThat(result.errors())
        .singleElement()
        .asString()
        .startsWith("cannot read ${file:absent}: no such file '" + dir.resolve("absent") + "'");
  }

  @Test
  void errorsNeverContainVariableValues() {
    final Expander.Result result =
        new Expander(Map.of("SECRET", "hunter2"), null).expand("${env:SECRET}${env:OTHER}");
    assertThat(result.errors()).noneMatch(e -> e.contains("hunter2"));
  }
}
