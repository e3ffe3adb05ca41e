/**
 * The {@code phoenix} exporter: OTLP/HTTP protobuf to {@code {endpoint}/v1/traces}, optionally with
 * a Bearer API key, after the {@code phoenix} profile (explicit OpenInference keys and the
 * project).
 */
package dev.genainormalizer.exporter.phoenix;
