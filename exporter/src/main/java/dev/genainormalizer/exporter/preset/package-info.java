/**
 * Vendor exporters as presets: a {@link dev.genainormalizer.exporter.preset.VendorPreset} per
 * backend (path, headers, profile, checks) and one {@link
 * dev.genainormalizer.exporter.preset.PresetExporterFactory} that builds every one of them. See
 * {@code docs/contributing.md} for adding a vendor.
 */
package dev.genainormalizer.exporter.preset;
