/**
 * The chain every exporter shares: bounded queue, concurrent consumers, retry with exponential
 * backoff, self-telemetry and graceful shutdown ({@link
 * dev.genainormalizer.exporter.helper.QueuedRetryingExporter}). A backend is plugged in as a {@link
 * dev.genainormalizer.exporter.helper.TraceSender} that sends one batch once and classifies its
 * failures.
 */
package dev.genainormalizer.exporter.helper;
