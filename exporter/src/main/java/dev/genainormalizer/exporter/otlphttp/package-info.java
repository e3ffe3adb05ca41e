/** The {@code otlphttp} exporter: OTLP/HTTP (protobuf or JSON) to any OTLP backend. */
package dev.genainormalizer.exporter.otlphttp;
