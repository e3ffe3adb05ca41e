/**
 * The {@code langfuse} exporter: OTLP/HTTP to {@code {endpoint}/api/public/otel/v1/traces} with
 * Basic {@code public_key:secret_key} and {@code x-langfuse-ingestion-version: 4}, after the {@code
 * langfuse} profile.
 */
package dev.genainormalizer.exporter.langfuse;
