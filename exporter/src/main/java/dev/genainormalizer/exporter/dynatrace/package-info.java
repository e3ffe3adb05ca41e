/**
 * The {@code dynatrace} exporter: OTLP/HTTP protobuf to {@code {endpoint}/api/v2/otlp/v1/traces}
 * with {@code Authorization: Api-Token}, after the {@code dynatrace} profile, split into requests
 * of at most 8 MB.
 */
package dev.genainormalizer.exporter.dynatrace;
