/**
 * The {@code fiddler} exporter: OTLP/HTTP to {@code {endpoint}/v1/traces} with a Bearer token and
 * the {@code fiddler-application-id} header, after the {@code fiddler} mapping profile.
 */
package dev.genainormalizer.exporter.fiddler;
