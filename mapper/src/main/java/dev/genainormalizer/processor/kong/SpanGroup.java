package dev.genainormalizer.processor.kong;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;

/** The resource and scope a span arrived under, so a held span is emitted under the same ones. */
record SpanGroup(
    Resource resource,
    String resourceSchemaUrl,
    InstrumentationScope scope,
    String scopeSchemaUrl) {

  record ResourceKey(Resource resource, String schemaUrl) {}

  record ScopeKey(InstrumentationScope scope, String schemaUrl) {}

  ResourceKey resourceKey() {
    return new ResourceKey(resource, resourceSchemaUrl);
  }

  ScopeKey scopeKey() {
    return new ScopeKey(scope, scopeSchemaUrl);
  }
}
