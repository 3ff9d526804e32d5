package simdlearn.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import simdlearn.train.EngineProvider;
import simdlearn.train.PartitionedGradients;

/**
 * {@code --engine spark}: {@link SparkPartitions} on the master {@code --master} names, and data
 * from any file system Spark's Hadoop configuration reads.
 */
public final class SparkEngineProvider implements EngineProvider {
  private SparkPartitions opened;

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public PartitionedGradients open(String master, int partitions) {
    opened = new SparkPartitions(master, partitions);
    return opened;
  }

  @Override
  public void copyData(String location, List<String> names, Path dir) throws IOException {
    HadoopFiles.copy(opened == null ? new org.apache.hadoop.conf.Configuration()
        : opened.hadoopConfiguration(), location, names, dir);
  }
}
