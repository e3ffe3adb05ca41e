package dev.genainormalizer.config;

import java.util.List;

/**
 * A config record with rules that span its fields. Messages start with the YAML key they concern,
 * relative to the record ({@code "max_interval: 0s (expected: >= initial_interval)"}); the
 * validator prefixes the path of the record itself.
 */
public interface Validatable {
  List<String> validate();
}
