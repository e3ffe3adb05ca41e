package dev.genainormalizer.exporter.profile;

import static java.util.Objects.requireNonNull;

import dev.genainormalizer.config.Validatable;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One mapping profile: a name ({@code profile:} in YAML), its settings record with defaults, and a
 * factory for its {@link VendorMapper}. Settings records bind from YAML with the project's usual
 * Jackson setup (snake_case keys); those that implement {@link Validatable} are checked here too.
 *
 * @param <S> the settings record
 */
public final class VendorProfile<S extends Record> {
  private final String name;
  private final Class<S> settingsType;
  private final S defaultSettings;
  private final BiFunction<S, ContentPolicy, VendorMapper> factory;

  VendorProfile(
      String name,
      Class<S> settingsType,
      S defaultSettings,
      BiFunction<S, ContentPolicy, VendorMapper> factory) {
    this.name = requireNonNull(name, "name");
    this.settingsType = requireNonNull(settingsType, "settingsType");
    this.defaultSettings = requireNonNull(defaultSettings, "defaultSettings");
    this.factory = requireNonNull(factory, "factory");
  }

  public String name() {
    return name;
  }

  public Class<S> settingsType() {
    return settingsType;
  }

  public S defaultSettings() {
    return defaultSettings;
  }

  /**
   * Problems with the settings, as YAML-key messages; empty if fine. Takes any record so callers
   * holding a {@code VendorProfile<?>} can check settings they bound themselves.
   */
  public List<String> validate(Record settings) {
    requireNonNull(settings, "settings");
    if (!settingsType.isInstance(settings)) {
      return List.of(
          "settings: "
              + settings.getClass().getSimpleName()
              + " (expected: "
              + settingsType.getSimpleName()
              + " for profile "
              + name
              + ")");
    }
    return settings instanceof Validatable v ? v.validate() : List.of();
  }

  /**
   * A mapper for these settings.
   *
   * @throws IllegalArgumentException if {@link #validate} reports problems (config validation
   *     should have caught them at start-up)
   */
  public VendorMapper mapper(S settings, ContentPolicy content) {
    requireNonNull(content, "content");
    final List<String> problems = validate(settings);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("profile " + name + ": " + String.join("; ", problems));
    }
    return factory.apply(settings, content);
  }

  /** A mapper with the default settings. */
  public VendorMapper mapper(ContentPolicy content) {
    return mapper(defaultSettings, content);
  }

  /**
   * For callers holding a {@code VendorProfile<?>}: the settings must be of {@link
   * #settingsType()}.
   */
  public VendorMapper mapperFor(Record settings, ContentPolicy content) {
    requireNonNull(settings, "settings");
    if (!settingsType.isInstance(settings)) {
      throw new IllegalArgumentException(validate(settings).get(0));
    }
    return mapper(settingsType.cast(settings), content);
  }

  @Override
  public String toString() {
    return "VendorProfile{" + name + "}";
  }
}
