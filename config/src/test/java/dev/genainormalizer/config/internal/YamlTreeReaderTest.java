package dev.genainormalizer.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genainormalizer.config.ConfigError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTreeReaderTest {
  private static final Map<String, String> ENV =
      Map.of("PORT", "4318", "FLAG", "true", "ID", "0042", "EMPTY", "");

  private static YamlTree read(String yaml) {
    return YamlTreeReader.read(yaml, "test", new Expander(ENV, null));
  }

  @Test
  void typesPlainScalarsByYaml12CoreSchema() {
    final JsonNode root =
        read("i: 42\n"
                + "neg: -7\n"
                + "big: 12345678901\n"
                + "f: 1.50\n"
                + "b: true\n"
                + "n: ~\n"
                + "e:\n"
                + "yes_: yes\n"
                + "on_: on\n"
                + "oct: 0755\n"
                + "hex: 0x1F\n"
                + "ts: 2024-01-01\n"
                + "s: hello\n"
                + "q: \"42\"\n")
            .root();

    assertThat(root.get("i").isInt()).isTrue();
    assertThat(root.get("neg").intValue()).isEqualTo(-7);
    assertThat(root.get("big").isLong()).isTrue();
    assertThat(root.get("f").isNumber()).isTrue();
    assertThat(root.get("f").asText()).isEqualTo("1.50");
    assertThat(root.get("b").isBoolean()).isTrue();
    assertThat(root.get("n").isNull()).isTrue();
    assertThat(root.get("e").isNull()).isTrue();
    assertThat(root.get("yes_").isTextual()).isTrue();
    assertThat(root.get("on_").isTextual()).isTrue();
    assertThat(root.get("oct").textValue()).isEqualTo("0755");
    assertThat(root.get("hex").textValue()).isEqualTo("0x1F");
    assertThat(root.get("ts").textValue()).isEqualTo("2024-01-01");
    assertThat(root.get("s").textValue()).isEqualTo("hello");
    assertThat(root.get("q").isTextual()).isTrue();
  }

  @Test
  void expandedPlainScalarsAreTypedAgainButQuotedOnesStayStrings() {
    final JsonNode root =
        read("port: ${env:PORT}\n"
                + "quoted: \"${env:PORT}\"\n"
                + "flag: ${env:FLAG}\n"
                + "id: ${env:ID}\n"
                + "empty: ${env:EMPTY}\n"
                + "url: http://h:${env:PORT}\n"
                + "tagged: !!str ${env:PORT}\n")
            .root();

    assertThat(root.get("port").isInt()).isTrue();
    assertThat(root.get("port").intValue()).isEqualTo(4318);
    assertThat(root.get("quoted").textValue()).isEqualTo("4318");
    assertThat(root.get("flag").isBoolean()).isTrue();
    assertThat(root.get("id").textValue()).isEqualTo("0042");
    assertThat(root.get("empty").textValue()).isEmpty();
    assertThat(root.get("url").textValue()).isEqualTo("http://h:4318");
    assertThat(root.get("tagged").textValue()).isEqualTo("4318");
  }

  @Test
  void keysAreNotExpanded() {
    assertThat(read("${env:PORT}: x\n").root().has("${env:PORT}")).isTrue();
  }

  @Test
  void recordsTheLineOfEveryKeyAndListItem() {
    final YamlTree tree = read("a:\n  b:\n    - x\n    - y\n  c: 1\n");
    final YamlPath b = YamlPath.ROOT.key("a").key("b");

    assertThat(tree.lines().lineOf(YamlPath.ROOT.key("a"))).isEqualTo(1);
    assertThat(tree.lines().lineOf(b)).isEqualTo(2);
    assertThat(tree.lines().lineOf(b.index(1))).isEqualTo(4);
    assertThat(tree.lines().lineOf(YamlPath.ROOT.key("a").key("c"))).isEqualTo(5);
    // A key the user left out resolves to its nearest enclosing key.
    assertThat(tree.lines().lineOf(YamlPath.ROOT.key("a").key("missing").key("deeper")))
        .isEqualTo(1);
  }

  @Test
  void mergeKeysAndAliasesWork() {
    final YamlTree tree =
        read(
            "base: &base\n"
                + "  timeout: 5s\n"
                + "  retries: 3\n"
                + "x:\n"
                + "  <<: *base\n"
                + "  retries: 5\n"
                + "list: &l [1, 2]\n"
                + "copy: *l\n");
    final JsonNode root = tree.root();

    assertThat(tree.errors()).isEmpty();
    assertThat(root.get("x").get("timeout").textValue()).isEqualTo("5s");
    assertThat(root.get("x").get("retries").intValue()).isEqualTo(5);
    assertThat(root.get("copy").size()).isEqualTo(2);
  }

  @Test
  void reportsDuplicateKeys() {
    final YamlTree tree = read("a: 1\nb: 2\na: 3\n");
    assertThat(tree.errors())
        .containsExactly(new ConfigError("a", 3, "duplicate key (first at line 1)"));
    assertThat(tree.root().get("a").intValue()).isEqualTo(1);
  }

  @Test
  void syntaxErrorNamesSourceAndLineButNotTheText() {
    final YamlTree tree = read("a: 1\nb: [unclosed, topsecret\n");
    assertThat(tree.readable()).isFalse();
    assertThat(tree.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).startsWith("invalid YAML in test: ");
              assertThat(e.message()).doesNotContain("topsecret");
              assertThat(e.line()).isGreaterThan(1);
            });
  }

  @Test
  void aliasBombIsRejected() {
    final StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 8; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 5; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    final YamlTree tree = read(yaml.toString());
    assertThat(tree.readable()).isFalse();
    assertThat(tree.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("aliases"));
  }

  @Test
  void unsupportedTagIsAnError() {
    final YamlTree tree = read("a: !!int abc\nb: !custom x\n");
    assertThat(tree.errors()).extracting(ConfigError::path).containsExactly("a", "b");
  }
}
