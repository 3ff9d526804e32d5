package simdlearn.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launcher's class-data archive: the JVM fills a new one with the classes of the run that
 * creates it, so the launcher keeps it only if that run did a command's whole work, which
 * {@link #keep} records beside it (see {@code jvm_defaults} in {@code bin/simdlearn}).
 */
final class ClassArchive {
  /** Where the launcher put this run's archive: {@code -Dsimdlearn.cds.archive}. */
  static final String PROPERTY = "simdlearn.cds.archive";

  private ClassArchive() {}

  /** Marks this run's archive as one to keep: the run did its command's work. */
  static void keep() {
    String archive = System.getProperty(PROPERTY);
    if (archive == null || archive.isEmpty()) {
      return;
    }
    try {
      Files.createFile(Path.of(archive + ".ok"));
    } catch (IOException | RuntimeException e) {
      // Marked already, or best effort: without the mark the next run dumps the archive again.
    }
  }
}
