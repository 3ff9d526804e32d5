package simdlearn.jmh;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import simdlearn.data.Batch;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.data.Minibatches;

/**
 * Reading one whole epoch of Fashion-MNIST-sized minibatches (60,000 28 x 28 images, batch 256,
 * shuffled): the permutation, then every batch's pixels gathered and turned into floats, on one
 * thread. Random pixels of the real size stand in for the dataset (the cost does not depend on the
 * values); compare with TrainingBenchmark.epoch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class DataBenchmark {
  @Param({"true", "false"})
  public boolean shuffle;

  Minibatches batches;
  Batch batch;
  int epoch;

  @Setup
  public void setUp() {
    int n = 60_000;
    byte[] px = new byte[n * 784];
    byte[] labels = new byte[n];
    Random r = new Random(5);
    r.nextBytes(px);
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(10);
    }
    ImageDataset data = new ImageDataset("fashion-mnist-sized", DatasetSpec.FASHION_MNIST, n, 28,
        28, px, labels, Map.of());
    batches = new Minibatches(data, 256, shuffle, false, 42);
    batch = batches.newBatch();
  }

  @Benchmark
  public void epochOfMinibatches(Blackhole bh) {
    batches.startEpoch(epoch++);
    for (int b = 0; b < batches.batchesPerEpoch(); b++) {
      batches.fill(b, batch);
      bh.consume(batch);
    }
  }
}
