/**
 * The HTTP client settings shared by every OTLP/HTTP exporter ({@code endpoint}, {@code headers},
 * {@code compression}, {@code timeout}, {@code tls}, {@code retry_on_failure}, {@code
 * sending_queue}), embedded flat in each exporter's block.
 */
package dev.genainormalizer.exporter.confighttp;
