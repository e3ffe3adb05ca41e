/**
 * The {@code mlflow} exporter: OTLP/HTTP protobuf to {@code {endpoint}/v1/traces} with {@code
 * x-mlflow-experiment-id}, after the {@code mlflow} profile.
 */
package dev.genainormalizer.exporter.mlflow;
