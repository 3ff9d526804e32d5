package simdlearn.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Copies a dataset's files from a Hadoop file system (hdfs:, s3a:, file:...) to a local one. */
final class HadoopFiles {
  private HadoopFiles() {}

  /**
   * For each of {@code names}: {@code location/NAME.gz} if it exists, else
   * {@code location/NAME}, copied into {@code dir} under its own name.
   *
   * @throws IOException naming the location and what it lacks, or why it cannot be read
   */
  static void copy(Configuration conf, String location, List<String> names, Path dir)
      throws IOException {
    URI base = URI.create(location.endsWith("/") ? location : location + "/");
    FileSystem fs;
    try {
      fs = FileSystem.get(base, conf);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot open the file system of " + location + ": " + e.getMessage()
          + " (its connector jars must be on the class path)", e);
    }
    for (String name : names) {
      org.apache.hadoop.fs.Path gz = new org.apache.hadoop.fs.Path(base.resolve(name + ".gz"));
      org.apache.hadoop.fs.Path raw = new org.apache.hadoop.fs.Path(base.resolve(name));
      org.apache.hadoop.fs.Path from = fs.exists(gz) ? gz : fs.exists(raw) ? raw : null;
      if (from == null) {
        throw new NoSuchFileException(location, null, "neither " + name + ".gz nor " + name
            + " is in " + location);
      }
      Path to = dir.resolve(from.getName());
      try (InputStream in = fs.open(from)) {
        Files.copy(in, to);
      }
    }
  }
}
