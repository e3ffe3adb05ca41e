package dev.genainormalizer.exporter.otlphttp;

/** The same contract with {@code encoding: json}. */
class OtlpHttpJsonExporterTest extends OtlpHttpExporterTest {
  @Override
  Encoding encoding() {
    return Encoding.JSON;
  }
}
