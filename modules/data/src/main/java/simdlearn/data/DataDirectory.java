package simdlearn.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a local copy of a dataset lives when the user did not say: the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENV}.
 */
public final class DataDirectory {
  public static final String PROPERTY = "simdlearn.data.dir";
  public static final String ENV = "SIMDLEARN_DATA";

  private DataDirectory() {}

  /** The configured directory, if any (unresolved build placeholders count as unset). */
  public static Optional<Path> configured() {
    for (String v : new String[] {System.getProperty(PROPERTY), System.getenv(ENV)}) {
      if (v != null && !v.isBlank() && !v.startsWith("${")) {
        return Optional.of(Path.of(v));
      }
    }
    return Optional.empty();
  }
}
