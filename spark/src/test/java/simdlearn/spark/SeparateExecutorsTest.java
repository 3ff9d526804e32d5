package simdlearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import simdlearn.data.ImageDataset;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingResult;

/**
 * {@code local-cluster[2,1,1024]}: two executor JVMs started by a worker, as on a cluster, with
 * the executors' JVM options docs/spark.md gives ({@code --add-modules jdk.incubator.vector}
 * and this engine's jars on their class path). The run is the local one's, bit for bit.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class SeparateExecutorsTest {
  @Test
  void executorsInTheirOwnJvmsGiveTheLocalRunsBits() throws IOException {
    ImageDataset.Split data = SparkPartitionsTest.data();
    ImageDataset.Split small = new ImageDataset.Split(data.train().head(4096),
        data.test().head(1000));
    TrainingResult local = SparkPartitionsTest.train("mlp", ModelOptions.NONE, small, 1, null);
    // The worker builds the executors' command from a Spark distribution's jars/ and Scala
    // version; without one (Spark from Maven Central), the launcher's testing mode takes the
    // Scala version given and does without jars/: the test's class path stands for them.
    SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]")
        .setAppName("simdlearn-test")
        .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
        .set("spark.executorEnv.SPARK_TESTING", "1")
        .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector")
        .set("spark.ui.enabled", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      SparkPartitions engine = new SparkPartitions("local-cluster[2,1,1024]", 4);
      TrainingResult spark = SparkPartitionsTest.train("mlp", ModelOptions.NONE, small, 1,
          engine);
      var a = SparkPartitionsTest.state(local);
      var b = SparkPartitionsTest.state(spark);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i), b.get(i), 0f, "tensor " + i);
      }
      assertEquals(SparkPartitionsTest.figures(local), SparkPartitionsTest.figures(spark));
      // The tasks ran in the executors' JVMs, not this one.
      var pids = sc.parallelize(java.util.List.of(0, 1, 2, 3), 4)
          .map(i -> ProcessHandle.current().pid()).collect();
      assertTrue(!pids.contains(ProcessHandle.current().pid()), "executor pids " + pids);
    }
    deleteTree(Path.of("work")); // the executors' logs, kept only when the test fails
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

}
