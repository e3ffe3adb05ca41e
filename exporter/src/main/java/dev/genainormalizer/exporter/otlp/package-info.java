/** The {@code otlp} exporter: OTLP/gRPC to any OTLP backend, on Armeria's gRPC client. */
package dev.genainormalizer.exporter.otlp;
