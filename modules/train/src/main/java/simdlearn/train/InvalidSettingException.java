package simdlearn.train;

import java.util.Locale;

/**
 * A setting with a value that cannot run, refused before any work. The message speaks of the
 * setting in words ("batch size must be between 1 and 65536, got 0"); a front end that knows
 * the setting by another name (a command-line flag) uses {@link #setting()} and
 * {@link #requirement()} to say it its own way.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String requirement;

  /**
   * @param setting the setting's name as in {@link TrainingConfig.Builder} or
   *     {@link ModelOptions.Builder}: {@code batchSize}, {@code hidden}
   * @param requirement what is wrong, following the name: "must be > 0, got 0"
   */
  public InvalidSettingException(String setting, String requirement) {
    super(words(setting) + " " + requirement);
    this.setting = setting;
    this.requirement = requirement;
  }

  public String setting() {
    return setting;
  }

  public String requirement() {
    return requirement;
  }

  /** {@code batchSize} as "batch size". */
  static String words(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /** Throws unless {@code ok}. */
  static void require(boolean ok, String setting, String requirement) {
    if (!ok) {
      throw new InvalidSettingException(setting, requirement);
    }
  }
}
