package simdlearn.kernel;

import java.util.Locale;

/** Which implementation of {@link Kernels} runs the arithmetic. */
public enum Backend {
  /** Panama Vector API kernels ({@code jdk.incubator.vector}); the default. */
  VECTOR,
  /** Plain-Java scalar reference kernels: the ground truth the vector kernels are tested by. */
  SCALAR;

  /** System property that picks the default backend: {@code vector} or {@code scalar}. */
  public static final String PROPERTY = "simdlearn.backend";

  /**
   * Lower-case name, as used on command lines and in reports.
   *
   * @return the name, lower case
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code vector} or {@code scalar} (any case).
   *
   * @param name the name, in any case
   * @return the backend
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Backend parse(String name) {
    if (name != null) {
      for (Backend b : values()) {
        if (b.id().equalsIgnoreCase(name.trim())) {
          return b;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown backend '" + name + "': use 'vector' or 'scalar'");
  }
}
