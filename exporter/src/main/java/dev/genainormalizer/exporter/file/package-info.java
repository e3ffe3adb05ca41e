/** The {@code file} exporter: one OTLP/JSON request per line, appended to a file. */
package dev.genainormalizer.exporter.file;
