/**
 * Vendor mapping profiles: pure functions that re-shape normalized Gen AI spans (current OTel GenAI
 * semantic conventions) into what one observability backend reads. Entry points: {@link
 * dev.genainormalizer.exporter.profile.VendorProfiles#byName(String)}, {@link
 * dev.genainormalizer.exporter.profile.VendorProfile#mapper}, {@link
 * dev.genainormalizer.exporter.profile.RequestSplitter}. The vendor facts each profile rests on are
 * listed in {@code docs/vendors.md}. Comments cite the project's backend research as "vendors.md
 * §N" (§1 Langfuse, §2 MLflow, §3 OpenObserve and OpenInference, §4 Fiddler, §5 Dynatrace, §6
 * Phoenix, §7 OTel GenAI conventions, §8 cross-backend pitfalls); docs/vendors.md gives the same
 * facts per vendor with their sources.
 */
package dev.genainormalizer.exporter.profile;
