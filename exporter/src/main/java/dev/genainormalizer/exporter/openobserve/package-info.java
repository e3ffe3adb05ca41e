/**
 * The {@code openobserve} exporter: OTLP/HTTP to {@code {endpoint}/api/{organization}/v1/traces}
 * with Basic auth and {@code stream-name}, after the {@code openobserve} profile.
 */
package dev.genainormalizer.exporter.openobserve;
