package simdlearn.train;

/**
 * A distributed engine for partitioned runs, found with {@link java.util.ServiceLoader} by its
 * {@link #name()}: the {@code simdlearn-spark} module provides {@code spark}. The command line
 * asks for one with {@code --engine NAME --master URL --partitions P}.
 */
public interface EngineProvider {
  /** The name {@code --engine} gives it. */
  String name();

  /**
   * An engine of {@code partitions} partitions on the cluster at {@code master} (its meaning is
   * the engine's: a Spark master URL; null for the engine's default); {@link
   * Trainer#partitionedBy} starts and closes it.
   *
   * @throws IllegalArgumentException when the master cannot be used
   */
  PartitionedGradients open(String master, int partitions);

  /**
   * Copies files of the directory {@code location}, a URI of a file system this engine reads
   * ({@code hdfs://}, {@code s3a://}, {@code file:}), into the local directory {@code dir}: for
   * each name, {@code NAME.gz} if there is one, else {@code NAME}. Called after {@link #open}.
   *
   * @throws java.io.IOException naming the location and the file it lacks or cannot read
   */
  default void copyData(String location, java.util.List<String> names, java.nio.file.Path dir)
      throws java.io.IOException {
    throw new java.io.IOException("--engine " + name() + " reads no data at " + location
        + "; give --data a local directory");
  }
}
