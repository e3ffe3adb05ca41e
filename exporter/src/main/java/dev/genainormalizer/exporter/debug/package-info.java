/** The {@code debug} exporter: spans as readable text on stdout. */
package dev.genainormalizer.exporter.debug;
