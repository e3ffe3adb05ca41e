package dev.genainormalizer.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component whose own keys sit directly in the enclosing YAML block, as the
 * Collector's {@code mapstructure:",squash"} does: a record shared by several components (the HTTP
 * client settings of every HTTP exporter) is declared and validated once, while each component's
 * YAML stays flat. The component's name is never a YAML key; errors and the list of known keys
 * speak of the flat keys. The component's type must be a record whose keys do not clash with its
 * siblings'.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Squash {}
